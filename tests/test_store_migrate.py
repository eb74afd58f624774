"""A store moved to PostGIS and back loses nothing: every layer's rows and checksum match, and the warning
index and coverage computed from the PostGIS copy equal those from the GeoPackage."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from fixtures.demo_copy import demo_store_in

from geo.api import (
    CoverageInputs,
    StoreError,
    mediator_coverage,
    migrate_store,
    open_store,
    warning_scores,
)
from geo.store.migrate import layer_check
from pingan_cli.main import main

MONTH = "2026-07"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_store_in(tmp_path_factory.mktemp("migrate"))


def test_the_demo_store_goes_to_postgis_and_back_with_every_row(
    demo: Path, postgis_url: Callable[[], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgis_url()
    assert main(["store", "migrate", "--from", str(demo), "--to", url]) == 0
    printed = capsys.readouterr().out
    source = open_store(demo)
    assert f"{source.count('incidents'):,} rows" in printed and "incidents" in printed
    back = tmp_path / "back.gpkg"
    assert main(["store", "migrate", "--from", url, "--to", str(back)]) == 0
    for layer in source.layers():
        assert layer_check(open_store(back), layer) == layer_check(source, layer), layer


def test_the_index_and_the_coverage_from_postgis_equal_those_from_the_geopackage(
    demo: Path, postgis_url: Callable[[], str]
) -> None:
    gpkg = open_store(demo)
    postgis = open_store(postgis_url())
    migrate_store(gpkg, postgis)
    assert postgis.count("incidents") == gpkg.count("incidents")
    for store in (gpkg, postgis):
        assert len(store.read_areas(levels=["county"])) == 7
    scores = [warning_scores(s.read("incidents"), s.read_areas(current=False), month=MONTH)
              for s in (gpkg, postgis)]
    pd.testing.assert_frame_equal(scores[0], scores[1])
    reports = [mediator_coverage(CoverageInputs.from_store(s), month=MONTH) for s in (gpkg, postgis)]
    pd.testing.assert_frame_equal(reports[0], reports[1])


def test_an_unreachable_database_is_a_clear_error(demo: Path) -> None:
    with pytest.raises(StoreError, match="is not reachable"):
        migrate_store(open_store(demo), open_store("postgresql://pingan@127.0.0.1:1/none"))
