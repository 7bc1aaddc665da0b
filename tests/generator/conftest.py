"""Fixtures for the generator tests: small configs and a shared multi-day run."""

from __future__ import annotations

import datetime as dt

import pytest
from gen_helpers import EPOCH, RUN_DAYS

from ecommerce_dwh.generator import GeneratorConfig, generate_day


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
