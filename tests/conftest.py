"""Fixtures shared by every test folder: a PostgreSQL + PostGIS server of the tests' own, and new stores
of either backend."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.postgis_scratch import PostGISServer, postgis_server
from geo.api import GeoPackageStore, Store, open_store


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
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Store]:
    """Makes a new, empty store of the backend: a GeoPackage path, or a database of the tests' server."""
    if request.param == "gpkg":
        return lambda: GeoPackageStore(tmp_path / "s.gpkg")
    make_database: Callable[[], str] = request.getfixturevalue("postgis_url")
    return lambda: open_store(make_database())
