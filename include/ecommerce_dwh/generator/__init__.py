"""Deterministic e-commerce data generator: one day of customers, products, orders and items.

    from ecommerce_dwh.generator import GeneratorConfig, generate_day
    result = generate_day(datetime.date(2024, 1, 5), GeneratorConfig(seed=42), Path("out"))

Each day is a pure function of (config, day) and writes
``<table>/dt=YYYY-MM-DD/<table>.csv`` for each of TABLES plus
``_manifests/dt=YYYY-MM-DD/manifest.json``. See benchmarks/README.md and the module
docstrings (products: price rule; badrows: bad row rules) for the data's contract.
"""

from .badrows import BAD_ID_BASE, BAD_ROW_KINDS
from .config import DEFAULT_EPOCH, GeneratorConfig
from .day import GENERATOR_VERSION, DayResult, generate_day, manifest_relpath, partition
from .schemas import TABLES

__all__ = [
    "BAD_ID_BASE",
    "BAD_ROW_KINDS",
    "DEFAULT_EPOCH",
    "GENERATOR_VERSION",
    "TABLES",
    "DayResult",
    "GeneratorConfig",
    "generate_day",
    "manifest_relpath",
    "partition",
]
