"""The leaders' map's data providers on a hand-drawn city (fixtures/overview/store.py): the area tree, the
per-area geometry files, and the fast look-ups that must agree with geo's own analyses."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import shapely
from fixtures.overview import store as town
from fixtures.overview.store import overview_providers
from fixtures.rows import assert_same_row
from shapely.geometry import shape

from dashboard.data import Providers
from geo.api import GeoInputError, case_metrics, explain_warning


@pytest.fixture(scope="module")
def providers(tmp_path_factory: pytest.TempPathFactory) -> Providers:
    return overview_providers(tmp_path_factory.mktemp("overview"))


def _features(providers: Providers, name: str) -> list[dict]:
    return json.loads((providers.settings.cache_dir / name).read_text(encoding="utf-8"))["features"]


def test_the_tree_knows_parents_children_and_the_way_down_to_a_grid(providers: Providers) -> None:
    tree = providers.files.tree()

    assert tree.city_code == town.CITY
    assert tree.children(town.CITY) == [town.SUZHOU, town.JINTA]
    assert tree.children(town.SUZHOU) == [town.DONGGUAN, town.XIGUAN]
    assert tree.child_level(town.DONGGUAN) == "village" and not tree.has_children(town.SW)
    assert [n.name for n in tree.ancestors(town.SW)] == [
        "酒泉市",
        "肃州区",
        "东关街道",
        "河渠社区",
        "河渠社区第1网格",
    ]
    (south, west), (north, east) = tree.node(town.SUZHOU).bounds
    assert (south, west, north, east) == pytest.approx((39.73, 98.50, 39.75, 98.52))


def test_search_finds_names_and_code_prefixes_coarse_levels_first(providers: Providers) -> None:
    tree = providers.files.tree()

    assert [n.code for n in tree.search("东关街道")] == [town.DONGGUAN, "620921001"]
    assert [n.code for n in tree.search("河渠")] == [town.DONGGUAN + "001", town.SW, town.NW]
    assert [n.code for n in tree.search("6209020020")] == [town.XIGUAN + "001", town.SE, town.NE]
    assert tree.search("  ") == []


def test_a_level_file_within_an_area_holds_exactly_its_areas_as_a_valid_coverage(
    providers: Providers,
) -> None:
    name = providers.files.level_file("grid", town.DONGGUAN)
    features = _features(providers, name)

    assert name.startswith("areas-grid-v1-") and name.endswith(f"-in-{town.DONGGUAN}.geojson")
    assert [f["properties"]["code"] for f in features] == [town.SW, town.NW]
    assert shapely.coverage_is_valid([shape(f["geometry"]) for f in features])
    assert providers.files.level_file("grid", town.DONGGUAN) == name  # the same file, not a second one


def test_the_whole_level_is_the_file_of_the_city(providers: Providers) -> None:
    name = providers.files.level_file("county", "")

    assert "-in-" not in name
    assert [f["properties"]["code"] for f in _features(providers, name)] == [town.SUZHOU, town.JINTA]


def test_a_level_file_refuses_a_prefix_that_is_not_a_code(providers: Providers) -> None:
    with pytest.raises(GeoInputError, match=r"area code '\.\./x' is not a code: expected 6 to 17 digits"):
        providers.files.level_file("grid", "../x")


def test_places_within_an_area_are_points_with_name_and_kind(providers: Providers) -> None:
    everywhere = _features(providers, providers.files.places_file("mediation_orgs"))
    in_suzhou = _features(providers, providers.files.places_file("mediation_orgs", town.SUZHOU))

    assert len(everywhere) == 3
    assert [f["properties"]["name"] for f in in_suzhou] == [
        "东关街道人民调解委员会",
        "新湖社区人民调解委员会",
    ]
    assert in_suzhou[0]["properties"]["kind"] == "township_committee"
    assert in_suzhou[0]["geometry"] == {"type": "Point", "coordinates": [98.505, 39.745]}
    centres = _features(providers, providers.files.places_file("centres", town.JINTA))
    assert [(f["properties"]["name"], f["properties"]["kind"]) for f in centres] == [
        ("金塔县综治中心", "county")
    ]


@pytest.mark.parametrize("code", [town.CITY, town.SUZHOU, town.DONGGUAN, town.SW, town.NE, town.JT])
@pytest.mark.parametrize("month", ["2026-01", town.SPIKE_MONTH])
def test_the_explanation_is_geos_own(providers: Providers, code: str, month: str) -> None:
    data = providers.indicators.data()

    assert providers.indicators.explain(code, month) == explain_warning(
        data.incidents, data.areas, code=code, month=month
    )


def test_levels_of_months_without_data_are_not_made_up(providers: Providers) -> None:
    why = providers.indicators.explain(town.SW, town.MONTHS[0])

    assert why.level_last_month is None and why.level_year_ago is None


@pytest.mark.parametrize(
    ("code", "level"),
    [(town.CITY, "city"), (town.SUZHOU, "county"), (town.XIGUAN, "township"), (town.SW, "grid")],
)
def test_area_metrics_are_geos_case_metrics_row(providers: Providers, code: str, level: str) -> None:
    data = providers.indicators.data()
    expected = case_metrics(data.incidents, data.areas, month=town.SPIKE_MONTH, level=level)
    expected_row = expected[expected["code"] == code].iloc[0].to_dict()

    found = providers.indicators.area_metrics(code, (town.SPIKE_MONTH, town.SPIKE_MONTH))

    assert_same_row(found, expected_row)


def test_kpis_count_the_month_compare_it_with_the_last_and_tally_colours_below(providers: Providers) -> None:
    kpis = providers.indicators.kpis(town.SUZHOU, town.SPIKE_MONTH)

    assert (kpis.incidents, kpis.incidents_last_month) == (17, 4)
    assert kpis.change == pytest.approx(17 / 4 - 1)
    assert kpis.closure_rate == pytest.approx(7 / 17)
    assert kpis.warning_counts["grid"] == {"red": 1, "blue": 3}
    assert set(kpis.warning_counts) == {"township", "village", "grid"}


def test_levels_within_an_area_are_its_areas_only(providers: Providers) -> None:
    assert providers.indicators.levels_within(town.SPIKE_MONTH, "township", town.SUZHOU) == {
        town.DONGGUAN: "red",
        town.XIGUAN: "blue",
    }
    counties = providers.indicators.levels_within("2026-01", "county")
    assert counties == {town.SUZHOU: "blue", town.JINTA: "blue"}


def test_the_trend_lists_every_month_asked_for(providers: Providers) -> None:
    trend = providers.indicators.trend(town.SW, ["2024-12", *town.MONTHS[-2:]])

    assert list(trend["month"]) == ["2024-12", "2026-01", town.SPIKE_MONTH]
    assert math.isnan(trend["score"][0]) and trend["warning_level"][2] == "red"


def test_an_unscored_month_or_code_is_refused_with_what_is_allowed(providers: Providers) -> None:
    with pytest.raises(GeoInputError, match="month '2030-01' has no scores: allowed are 2025-01 to 2026-02"):
        providers.indicators.kpis(town.SUZHOU, "2030-01")
    with pytest.raises(GeoInputError, match="area '999' has no warning scores"):
        providers.indicators.explain("999", town.SPIKE_MONTH)


def test_incident_layers_follow_area_months_category_and_source(providers: Providers) -> None:
    from dashboard.data import IncidentFilter

    every = IncidentFilter(town.SPIKE_MONTH, town.SPIKE_MONTH)
    points, total = providers.incidents.points(town.SUZHOU, "county", every)
    assert total == len(points["features"]) == 17
    _, land = providers.incidents.points(
        town.SUZHOU, "county", IncidentFilter(town.SPIKE_MONTH, town.SPIKE_MONTH, ("land",))
    )
    _, hotline = providers.incidents.points(
        town.CITY, "city", IncidentFilter(town.MONTHS[0], town.SPIKE_MONTH, (), ("hotline",))
    )
    year_filter = IncidentFilter(town.MONTHS[0], town.MONTHS[11])
    _, year = providers.incidents.points(town.JINTA, "county", year_filter)
    assert (land, hotline, year) == (3, 3, 12)
    hexagons = providers.incidents.hexagons(town.SUZHOU, "county", every)
    assert sum(f["properties"]["count"] for f in hexagons["features"]) == 17


def test_no_personal_field_is_held_for_pages(providers: Providers, tmp_path: Path) -> None:
    incidents = providers.indicators.data().incidents
    text = incidents.to_csv()

    assert not any(value in text for value in town.PERSONAL_VALUES)
    assert {"reporter_name", "reporter_phone", "address", "description"}.isdisjoint(incidents.columns)


def test_a_level_that_rounding_would_break_keeps_more_decimals(tmp_path: Path) -> None:
    """A 40 cm sliver between two grids would vanish at 5 decimals; the level keeps 6 instead of failing."""
    import geopandas as gpd
    from shapely.geometry import box

    from geo.api import GeoPackageStore, area_geojson

    edges = [(98.0, 98.5), (98.5, 98.500004), (98.500004, 99.0)]
    frame = gpd.GeoDataFrame(
        {
            "code": [f"62090200100100{i}" for i in (1, 2, 3)],
            "name": ["A", "B", "C"],
            "level": "grid",
            "parent_code": "620902001001",
            "version_id": "v1",
            "valid_from": "2024-01-01",
            "valid_to": None,
        },
        geometry=[box(west, 39.0, east, 39.5) for west, east in edges],
        crs=4490,
    )
    store = GeoPackageStore(tmp_path / "sliver.gpkg")
    store.write({"areas": frame})

    collection = area_geojson(store, "grid")

    polygons = [shape(f["geometry"]) for f in collection["features"]]
    assert shapely.coverage_is_valid(polygons) and all(p.area > 0 for p in polygons)
    assert {round(x, 6) for p in polygons for x, _ in p.exterior.coords} == {98.0, 98.5, 98.500004, 99.0}


def test_a_centres_own_warning_config_scores_every_page(tmp_path: Path) -> None:
    """PINGAN_WARNING_CONFIG: doubling every weight doubles every score the pages read."""
    import tomllib

    from fixtures.overview.store import build_overview_store

    from dashboard.settings import Settings
    from geo.api import load_warning_config

    built_in = load_warning_config()
    text = (Path(__file__).resolve().parents[1] / "geo" / "config" / "warning_index.toml").read_text("utf-8")
    data = tomllib.loads(text)
    custom = tmp_path / "centre.toml"
    lines = []
    section = ""
    for line in text.splitlines():
        stripped = line.split("#")[0].strip()
        if stripped.startswith("["):
            section = stripped
        if section == "[weights]" and "=" in stripped:
            key, value = (part.strip() for part in stripped.split("=", 1))
            line = f"{key} = {float(value) * 2}"
        lines.append(line)
    custom.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert data["weights"]
    store = build_overview_store(tmp_path / "city.gpkg")
    plain = Providers.from_settings(Settings.from_env({}, store=store, cache_dir=tmp_path / "a"))
    doubled = Providers.from_settings(
        Settings.from_env({"PINGAN_WARNING_CONFIG": str(custom)}, store=store, cache_dir=tmp_path / "b")
    )
    assert doubled.indicators.config.weights != built_in.weights
    one, two = plain.indicators.scores(town.SPIKE_MONTH), doubled.indicators.scores(town.SPIKE_MONTH)
    assert (two["score"].to_numpy() == pytest.approx(2 * one["score"].to_numpy()))
    assert two["score"].max() > 0


def test_a_warning_config_that_is_not_a_file_is_refused_by_name(tmp_path: Path) -> None:
    from dashboard.settings import Settings, SettingsError

    with pytest.raises(SettingsError, match=r"PINGAN_WARNING_CONFIG=.* is not a file"):
        Settings.from_env({"PINGAN_WARNING_CONFIG": str(tmp_path / "nope.toml")}, store=tmp_path / "s.gpkg")
