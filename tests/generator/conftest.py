"""Fixtures for the generator tests: small configs and a shared multi-day run."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

INCLUDE = Path(__file__).resolve().parents[2] / "include"
try:  # the project package is importable once installed (pip install -e .); else use the tree
    import ecommerce_dwh.generator  # noqa: F401
except ImportError:
    sys.path.insert(0, str(INCLUDE))

from gen_helpers import EPOCH, RUN_DAYS  # noqa: E402

from ecommerce_dwh.generator import GeneratorConfig, generate_day  # noqa: E402


@pytest.fixture(scope="session")
def small_cfg() -> GeneratorConfig:
    """A small universe: fast, yet every day has changes and status updates."""
    return GeneratorConfig(seed=7, orders_per_day=80)


@pytest.fixture(scope="session")
def multi_day(tmp_path_factory: pytest.TempPathFactory, small_cfg: GeneratorConfig):
    """RUN_DAYS consecutive days from the epoch, generated in one run."""
    out = tmp_path_factory.mktemp("multi")
    results = [generate_day(EPOCH + dt.timedelta(days=i), small_cfg, out)
               for i in range(RUN_DAYS)]
    return out, results
