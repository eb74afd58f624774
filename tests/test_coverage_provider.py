"""The coverage page's provider on the demo store and on a store without households: the page says what
is missing instead of failing, and every level's rows add up to the same households."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.demo_copy import demo_store_in
from test_wall_views import text_of

from dashboard.coverage import page
from dashboard.data import Providers
from dashboard.settings import Settings
from geo.api import GeoPackageStore, Layer, open_store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_store_in(tmp_path_factory.mktemp("coverage-provider"))


def _providers(store: Path, cache: Path) -> Providers:
    return Providers.from_settings(Settings.from_env({}, store=store, cache_dir=cache))


def test_a_store_without_households_gets_a_page_that_says_so(demo: Path, tmp_path: Path) -> None:
    only_areas = tmp_path / "areas.gpkg"
    GeoPackageStore(only_areas).write({Layer.AREAS.value: open_store(demo).read_areas()})
    shown = text_of(page.layout(_providers(only_areas, tmp_path / "cache"), search="?lang=en",
                                pathname="/coverage"))
    assert "lacks the households, centres or mediation organisations" in shown


def test_every_level_comes_from_one_report_of_the_specialty(demo: Path, tmp_path: Path) -> None:
    data = _providers(demo, tmp_path / "cache").coverage
    townships, villages = data.report("township", None), data.report("village", None)
    store = open_store(demo)
    assert len(townships) == len(store.read_areas(levels=["township"]))
    assert len(villages) == len(store.read_areas(levels=["village"]))
    assert townships["households"].sum() == pytest.approx(villages["households"].sum())
    assert data.report("township", "land")["households_within_specialty"].sum() > 0
