"""Shared fixtures: the recorded reference data from ../shared/reference (read-only, tests only)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

REFERENCE_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "reference"


@lru_cache(maxsize=None)
def load_reference(name: str) -> Any:
    """Load a JSON file from ../shared/reference, skipping the test if the folder is absent."""
    path = REFERENCE_DIR / name
    if not path.exists():
        pytest.skip(f"reference data not available: {path}")
    with path.open() as fh:
        return json.load(fh)


@pytest.fixture(scope="session")
def golden() -> Any:
    """The spec-461 localnet recording (metadata, storage keys, calls, extrinsics, block, …)."""
    return load_reference("localnet-spec461-golden.json")


@pytest.fixture(scope="session")
def kusama_spec() -> Any:
    """The raw Kusama chain spec (genesis.raw.top with 3,419 entries)."""
    return load_reference("kusama-chain-spec-raw.json")
