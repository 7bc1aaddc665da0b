"""The product taxonomy: categories, subcategories, price ranges and name words.

Fixed in code (not Faker) because price ranges per subcategory are what makes revenue
plausible; brands come from the Faker pools.
"""

from __future__ import annotations

import numpy as np

# category -> (sku prefix, share of catalogue, popularity, {subcategory: (min $, max $, nouns)})
TAXONOMY: dict[str, tuple[str, float, float, dict[str, tuple[float, float, list[str]]]]] = {
    "Electronics": ("ELE", 0.16, 1.3, {
        "Phones": (149, 1299, ["Smartphone", "Phone"]),
        "Laptops": (399, 2499, ["Laptop", "Notebook", "Chromebook"]),
        "Audio": (19, 399, ["Headphones", "Earbuds", "Speaker", "Soundbar"]),
        "Accessories": (5, 79, ["Charger", "USB-C Cable", "Phone Case", "Power Bank"]),
    }),
    "Home & Kitchen": ("HOM", 0.17, 1.0, {
        "Cookware": (15, 249, ["Frying Pan", "Saucepan", "Dutch Oven", "Knife Set"]),
        "Appliances": (29, 699, ["Blender", "Toaster", "Coffee Maker", "Air Fryer"]),
        "Decor": (9, 149, ["Vase", "Table Lamp", "Picture Frame", "Scented Candle"]),
    }),
    "Clothing": ("CLO", 0.18, 1.1, {
        "Men": (12, 180, ["T-Shirt", "Jeans", "Jacket", "Sweater"]),
        "Women": (12, 220, ["Dress", "Blouse", "Cardigan", "Leggings"]),
        "Shoes": (29, 220, ["Sneakers", "Boots", "Sandals", "Loafers"]),
    }),
    "Books": ("BOO", 0.12, 0.9, {
        "Fiction": (6, 30, ["Novel", "Thriller", "Short Stories"]),
        "Non-Fiction": (8, 45, ["Biography", "Cookbook", "History"]),
        "Children": (4, 25, ["Picture Book", "Activity Book"]),
    }),
    "Sports & Outdoors": ("SPO", 0.12, 0.8, {
        "Fitness": (9, 899, ["Yoga Mat", "Dumbbells", "Treadmill", "Resistance Bands"]),
        "Camping": (15, 499, ["Tent", "Sleeping Bag", "Backpack", "Camp Stove"]),
        "Cycling": (9, 1999, ["Helmet", "Bike Light", "Road Bike", "Bike Lock"]),
    }),
    "Beauty": ("BEA", 0.09, 1.0, {
        "Skincare": (6, 120, ["Moisturizer", "Serum", "Cleanser", "Sunscreen"]),
        "Makeup": (5, 60, ["Lipstick", "Mascara", "Foundation", "Eyeliner"]),
    }),
    "Toys & Games": ("TOY", 0.09, 0.9, {
        "Board Games": (12, 80, ["Board Game", "Puzzle", "Card Game"]),
        "Building Sets": (9, 299, ["Building Set", "Construction Kit"]),
        "Dolls & Figures": (8, 90, ["Doll", "Action Figure", "Plush Toy"]),
    }),
    "Grocery": ("GRO", 0.07, 1.4, {
        "Snacks": (2, 15, ["Granola Bars", "Trail Mix", "Crackers"]),
        "Beverages": (2, 40, ["Coffee Beans", "Green Tea", "Sparkling Water"]),
    }),
}  # fmt: skip
ADJECTIVES = [
    "Classic", "Pro", "Ultra", "Essential", "Deluxe", "Compact", "Premium", "Eco", "Smart",
    "Everyday", "Sport", "Travel", "Max", "Lite", "Signature", "Original", "Studio", "Urban",
]  # fmt: skip
TOYS_DECEMBER_BOOST = 2.5  # toys sell far more before Christmas


class Taxonomy:
    """Flattened arrays of the taxonomy, indexed by subcategory number."""

    def __init__(self) -> None:
        self.categories: list[str] = []
        self.prefixes: list[str] = []
        self.sub_names: list[str] = []
        self.sub_category: list[int] = []
        self.sub_weight: list[float] = []
        self.sub_popularity: list[float] = []
        self.sub_lo: list[float] = []
        self.sub_hi: list[float] = []
        self.sub_noun_start: list[int] = []
        self.sub_noun_count: list[int] = []
        self.nouns: list[str] = []
        for c, (category, (prefix, share, popularity, subs)) in enumerate(TAXONOMY.items()):
            self.categories.append(category)
            self.prefixes.append(prefix)
            for sub, (lo, hi, nouns) in subs.items():
                self.sub_names.append(sub)
                self.sub_category.append(c)
                self.sub_weight.append(share / len(subs))
                self.sub_popularity.append(popularity)
                self.sub_lo.append(lo)
                self.sub_hi.append(hi)
                self.sub_noun_start.append(len(self.nouns))
                self.sub_noun_count.append(len(nouns))
                self.nouns.extend(nouns)
        self.toys = self.categories.index("Toys & Games")
        self.arrays = {
            name: np.asarray(getattr(self, name))
            for name in ("sub_category", "sub_popularity", "sub_lo", "sub_hi",
                         "sub_noun_start", "sub_noun_count")
        }  # fmt: skip


TAX = Taxonomy()
