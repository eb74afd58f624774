"""The wall's mediation coverage view shows the city's reach from the coverage analysis: the share of
households beyond every band and the mediators, aggregates only; a store without households shows none."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from fixtures.demo_copy import demo_store_in
from test_wall_views import ZH, make_digest, text_of, view

from dashboard.data.wall import CoverageReach, coverage_reach
from dashboard.wall import views
from geo.api import PERSONAL_FIELDS, GeoPackageStore, Layer, open_store


def test_the_coverage_legend_names_the_uncovered_share_and_the_mediators() -> None:
    digest = dataclasses.replace(make_digest(), reach=CoverageReach(0.0671, 7193, 69.4))
    shown = text_of(views.legend(digest, view("coverage"), ZH))
    assert "超出调解距离带的住户 6.7%" in shown and "调解员 7,193 人（每万人 69.4）" in shown


def test_without_the_coverage_layers_the_legend_keeps_its_counts_only() -> None:
    shown = text_of(views.legend(make_digest(), view("coverage"), ZH))
    assert "超出调解距离带" not in shown and "综治中心 4 个" in shown


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_store_in(tmp_path_factory.mktemp("wall-reach"))


def test_a_store_with_areas_only_has_no_reach(demo: Path, tmp_path: Path) -> None:
    only_areas = GeoPackageStore(tmp_path / "areas.gpkg")
    only_areas.write({Layer.AREAS.value: open_store(demo).read_areas()})
    assert coverage_reach(only_areas, "2026-07") is None


def test_the_demo_city_reach_counts_every_mediator_and_carries_no_personal_data(demo: Path) -> None:
    reach = coverage_reach(open_store(demo), "2026-07")
    assert reach is not None
    assert reach.mediators == open_store(demo).count(Layer.MEDIATORS)
    assert 0 < reach.uncovered_share < 1
    assert not set(vars(reach)) & PERSONAL_FIELDS
