"""Fixtures shared by every test folder: a PostgreSQL + PostGIS server of the tests' own, and new stores
of either backend."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fixtures.planner_store import build_planner_store

from bench.postgis_scratch import PostGISServer, postgis_server
from geo.api import Store, open_store


@pytest.fixture(scope="session")
def postgis() -> Iterator[PostGISServer]:
    """One server for the run; skipped loudly where it cannot start, a failure under CI."""
    try:
        with postgis_server() as server:
            yield server
    except RuntimeError as error:
        reason = f"POSTGIS TESTS NOT RUN: {error}"
        if os.environ.get("PINGAN_REQUIRE_SYSTEM") == "1":
            pytest.fail(reason + " (PINGAN_REQUIRE_SYSTEM=1)")
        pytest.skip(reason)


@pytest.fixture
def postgis_url(postgis: PostGISServer) -> Callable[[], str]:
    """Makes a new, empty PostGIS database and returns its URL."""
    return lambda: postgis.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture(params=["gpkg", "postgis"])
def new_location(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Path | str]:
    """Makes the location of a new, empty store of the backend: a GeoPackage path, or the URL of a new
    database of the tests' server (what `--store` takes on the command line)."""
    if request.param == "gpkg":
        numbers = itertools.count()
        return lambda: tmp_path / f"s{next(numbers)}.gpkg"
    make_database: Callable[[], str] = request.getfixturevalue("postgis_url")
    return make_database


@pytest.fixture
def new_store(new_location: Callable[[], Path | str]) -> Callable[[], Store]:
    """Makes a new, empty store of either backend (the test runs once for each)."""
    return lambda: open_store(new_location())


@pytest.fixture
def village_location(new_location: Callable[[], Path | str]) -> Path | str:
    """The planners' hand-drawn village (tests/fixtures/planner_store.py) in a new store of either backend:
    its GeoPackage path or its database URL."""
    location = new_location()
    build_planner_store(location)
    return location
