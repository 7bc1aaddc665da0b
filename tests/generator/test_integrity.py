"""Across a multi-day run: referential integrity, SCD2 changes, status transitions, money."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from gen_helpers import read_rows

from ecommerce_dwh.generator.lifecycle import LEGAL_TRANSITIONS
from ecommerce_dwh.generator.schemas import STATUSES

_CUSTOMER_CHANGE_COLS = ("email", "street", "city", "state", "postal_code", "segment")
_PRODUCT_CHANGE_COLS = ("list_price_usd", "unit_cost_usd", "is_active")


def _day_rows(out, results, table):
    for r in results:
        yield r, read_rows(out / r.manifest["tables"][table]["file"])


def test_orders_and_items_refer_to_existing_rows(multi_day):
    out, results = multi_day
    customers: dict[str, dict] = {}
    products: dict[str, dict] = {}
    for r in results:
        day = r.day.isoformat()
        for row in read_rows(r.files["customers"]):
            assert row["updated_at"].startswith(day)
            customers[row["customer_id"]] = row
        for row in read_rows(r.files["products"]):
            assert row["updated_at"] == f"{day} 00:00:00"
            products[row["product_id"]] = row
        placed_today = {}
        for row in read_rows(r.files["orders"]):
            cust = customers[row["customer_id"]]  # KeyError = unknown customer
            assert cust["signup_at"] < row["placed_at"]
            assert row["updated_at"].startswith(day)
            if row["placed_at"].startswith(day):
                placed_today[row["order_id"]] = row
        assert placed_today
        items = read_rows(r.files["order_items"])
        assert {i["order_id"] for i in items} == set(placed_today)
        for item in items:
            product = products[item["product_id"]]
            assert product["is_active"] == "true"
            # Price rule: the product's list price on the order's day, after that day's changes.
            assert item["unit_price_usd"] == product["list_price_usd"]
            assert item["updated_at"] == placed_today[item["order_id"]]["placed_at"]


def test_ids_are_unique_per_file_and_stable(multi_day):
    out, results = multi_day
    seen_items: set[str] = set()
    for r in results:
        for table, key in (("customers", "customer_id"), ("products", "product_id"),
                           ("orders", "order_id")):
            ids = [row[key] for row in read_rows(r.files[table])]
            assert len(ids) == len(set(ids)) and ids == sorted(ids, key=int)
        items = [row["order_item_id"] for row in read_rows(r.files["order_items"])]
        assert not seen_items & set(items)
        seen_items |= set(items)


def test_scd2_changes_match_manifest(multi_day):
    out, results = multi_day
    latest: dict[str, dict[str, dict]] = {"customers": {}, "products": {}}
    total_changes = {"customers": 0, "products": 0}
    for r in results:
        for table, key, cols in (("customers", "customer_id", _CUSTOMER_CHANGE_COLS),
                                 ("products", "product_id", _PRODUCT_CHANGE_COLS)):
            changed = new = 0
            for row in read_rows(r.files[table]):
                before = latest[table].get(row[key])
                if before is None:
                    new += 1
                else:
                    changed += 1
                    assert any(row[c] != before[c] for c in cols), (table, row[key])
                    assert row["updated_at"] > before["updated_at"]
                    if table == "customers":  # identity does not change
                        assert row["first_name"] == before["first_name"]
                        assert row["signup_at"] == before["signup_at"]
                    else:
                        assert row["sku"] == before["sku"]
                latest[table][row[key]] = row
            assert r.manifest["scd2_changes"][table] == changed
            assert r.manifest["new_rows"][table] == new
            total_changes[table] += changed
    assert total_changes["customers"] > 10 and total_changes["products"] > 10


def test_status_changes_are_legal_transitions(multi_day):
    out, results = multi_day
    history: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        earlier = 0
        for row in read_rows(r.files["orders"]):
            if not row["placed_at"].startswith(r.day.isoformat()):
                earlier += 1
                assert row["order_id"] in history  # a change of an order seen before
            else:
                assert row["status"] in ("placed", "paid")
            history[row["order_id"]].append(row)
        assert r.manifest["order_status_changes"] == earlier
    later_days = transitions = 0
    for rows in history.values():
        for prev, cur in zip(rows, rows[1:], strict=False):
            later_days += 1
            a, b = STATUSES.index(prev["status"]), STATUSES.index(cur["status"])
            assert b in LEGAL_TRANSITIONS[a], (prev, cur)
            assert (cur["customer_id"], cur["placed_at"]) == (prev["customer_id"],
                                                              prev["placed_at"])
            assert cur["updated_at"] > prev["updated_at"]
            transitions += 1
    seen = {row["status"] for rows in history.values() for row in rows}
    assert {"shipped", "delivered", "cancelled"} <= seen
    assert transitions > 100


def test_line_amounts_are_exact(multi_day):
    out, results = multi_day
    for r in results:
        total = Decimal(0)
        for item in read_rows(r.files["order_items"]):
            q, p, d = Decimal(item["quantity"]), Decimal(item["unit_price_usd"]), \
                Decimal(item["discount_usd"])
            line = Decimal(item["line_amount_usd"])
            assert line == q * p - d and q >= 1 and d >= 0
            for col in ("unit_price_usd", "discount_usd", "line_amount_usd"):
                assert item[col].split(".")[1].__len__() == 2
            total += line
        assert Decimal(r.manifest["order_items_line_amount_usd"]) == total


def test_repeat_customers_from_day_one(multi_day):
    out, results = multi_day
    first_day = results[0]
    initial = {row["customer_id"] for row in read_rows(first_day.files["customers"])
               if row["signup_at"] < "2024-01-01"}
    orders = read_rows(first_day.files["orders"])
    assert initial and sum(o["customer_id"] in initial for o in orders) > len(orders) / 2
