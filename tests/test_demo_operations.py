"""Demo operations data: the seed's counts, placement inside the right areas, determinism, personal fields.

The hierarchy here is synthetic (fixtures/demo_hierarchy.py), at the seed's full size for the count tests
and tiny for the rest, so these tests do not depend on the generated hierarchy.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from fixtures.demo_hierarchy import FULL, TINY, synthetic_hierarchy

from geo.demo.addresses import generate_addresses
from geo.demo.centres import generate_centres
from geo.demo.check import operations_figures
from geo.demo.figures import FIGURES, compare_figures, scaled_count
from geo.demo.gatehouses import generate_gatehouses
from geo.demo.herders import generate_herders
from geo.demo.mediation_orgs import generate_mediation_orgs
from geo.demo.mediators import generate_mediators
from geo.demo.workers import generate_grid_workers
from geo.errors import GeoInputError
from geo.schema import PERSONAL_FIELDS, OrgType, Specialty


def generate_all(hierarchy: gpd.GeoDataFrame, seed: int) -> dict[str, pd.DataFrame]:
    centres = generate_centres(hierarchy, seed)
    orgs = generate_mediation_orgs(hierarchy, centres, seed)
    herders, pastures = generate_herders(hierarchy, seed)
    return {
        "grid_workers": generate_grid_workers(hierarchy, seed),
        "centres": centres,
        "mediation_orgs": orgs,
        "mediators": generate_mediators(hierarchy, orgs, seed),
        "gatehouses": generate_gatehouses(hierarchy, seed),
        "herder_households": herders,
        "pastures": pastures,
        "addresses": generate_addresses(hierarchy, seed),
    }


@pytest.fixture(scope="module")
def full() -> gpd.GeoDataFrame:
    return synthetic_hierarchy(FULL)


@pytest.fixture(scope="module")
def tiny() -> gpd.GeoDataFrame:
    return synthetic_hierarchy(TINY)


@pytest.fixture(scope="module")
def layers(full) -> dict[str, pd.DataFrame]:
    return generate_all(full, seed=7)


@pytest.fixture(scope="module")
def areas(full) -> pd.Series:
    return full.set_index("code").geometry


def test_the_synthetic_hierarchy_has_the_seed_size(full):
    villages = full[full["level"] == "village"]
    counts = full["level"].value_counts()
    assert (counts["county"], counts["township"], counts["village"], counts["grid"]) == (7, 77, 510, 1424)
    assert (villages["kind"] == "urban").sum() == 51


def test_every_count_of_the_seed_is_hit_exactly(layers):
    measured = operations_figures(
        grid_workers=layers["grid_workers"],
        centres=layers["centres"],
        mediation_orgs=layers["mediation_orgs"],
        mediators=layers["mediators"],
        gatehouses=layers["gatehouses"],
    )
    checks = compare_figures(measured)
    assert [c.name for c in checks if not c.ok] == []
    assert len(checks) == len(measured) == 20
    assert measured["centres_village"] == 428 and measured["resident_orgs"] == 832


def test_every_grid_has_a_worker_and_town_grids_have_more(layers, full):
    workers = layers["grid_workers"]
    grids = full[full["level"] == "grid"].set_index("code")
    per_grid = workers["grid_code"].value_counts().reindex(grids.index, fill_value=0)
    assert per_grid.min() >= 1
    assert per_grid[grids["kind"] == "urban"].mean() > 2 * per_grid[grids["kind"] != "urban"].mean()
    assert workers["worker_id"].is_unique
    assert (workers["village_code"] == workers["grid_code"].str[:12]).all()
    assert workers["full_time"].any() and not workers["full_time"].all()


def test_centres_sit_inside_their_area_and_grid(layers, areas):
    centres = layers["centres"]
    assert centres["centre_id"].is_unique
    for row in centres.itertuples():
        assert areas[row.area_code].contains(row.geometry), row.centre_id
        assert areas[row.grid_code].contains(row.geometry), row.centre_id
    county_centres = centres[centres["level"] == "county"]
    assert all(row.grid_code.startswith(row.area_code) for row in county_centres.itertuples())


def test_village_centres_go_to_all_communities_and_the_largest_villages(layers, full):
    village_centres = set(layers["centres"].query("level == 'village'")["area_code"])
    villages = full[full["level"] == "village"]
    assert set(villages.loc[villages["kind"] == "urban", "code"]) <= village_centres
    without = villages[~villages["code"].isin(village_centres)]
    with_centre = villages[villages["code"].isin(village_centres) & (villages["kind"] != "urban")]
    assert without["households"].max() <= with_centre["households"].min()


def test_resident_organisations_share_their_centres_point(layers, areas):
    orgs, centres = layers["mediation_orgs"], layers["centres"].set_index("centre_id")
    resident = orgs[orgs["resident_in_centre"]]
    assert resident["centre_id"].notna().all()
    assert orgs.loc[~orgs["resident_in_centre"], "centre_id"].isna().all()
    assert shapely.equals(resident.geometry.values, centres.loc[resident["centre_id"]].geometry.values).all()
    # Everything the seed lists as resident is: legal services, counselling rooms, township committees.
    always = [OrgType.LEGAL_SERVICE, OrgType.COUNSELLING_ROOM, OrgType.TOWNSHIP_COMMITTEE]
    assert orgs.loc[orgs["org_type"].isin(always), "resident_in_centre"].all()
    for row in orgs[~orgs["resident_in_centre"]].itertuples():
        assert areas[row.area_code].contains(row.geometry), row.org_id


def test_court_links_go_only_to_mediation_bodies(layers):
    orgs = layers["mediation_orgs"]
    linked = orgs[orgs["court_linked"]]
    assert not linked["org_type"].isin([OrgType.LEGAL_SERVICE, OrgType.COUNSELLING_ROOM]).any()
    assert orgs["org_id"].is_unique and orgs["name"].notna().all()


def test_mediators_belong_to_mediation_bodies_with_schema_specialties(layers):
    mediators, orgs = layers["mediators"], layers["mediation_orgs"].set_index("org_id")
    types = orgs.loc[mediators["org_id"], "org_type"]
    assert not types.isin([OrgType.LEGAL_SERVICE, OrgType.COUNSELLING_ROOM]).any()
    assert (types[mediators["expert"].to_numpy()] == OrgType.INDUSTRY_COMMITTEE).all()
    allowed = {s.value for s in Specialty}
    assert all(set(text.split(",")) <= allowed for text in mediators["specialties"])
    assert not (mediators["expert"] & (mediators["gold"] | mediators["court_invited"])).any()
    invited_orgs = orgs.loc[mediators.loc[mediators["court_invited"], "org_id"], "court_linked"]
    assert invited_orgs.mean() > 0.5  # court-invited mediators mostly come from court-linked bodies


def test_gatehouses_are_in_jintas_town_grids(layers, full, areas):
    gatehouses = layers["gatehouses"]
    grids = full[full["level"] == "grid"].set_index("code")
    assert (gatehouses["county_code"] == "620921").all()
    assert (grids.loc[gatehouses["grid_code"], "kind"] == "urban").all()
    assert all(areas[row.grid_code].contains(row.geometry) for row in gatehouses.itertuples())
    assert gatehouses["name"].is_unique


def test_herders_move_between_a_summer_and_a_winter_pasture(layers, areas):
    herders, pastures = layers["herder_households"], layers["pastures"].set_index("pasture_id")
    assert set(herders["county_code"]) == {"620923", "620924"}
    seasons = herders.groupby("herder_id")["season"].agg(sorted)
    assert (seasons.map(tuple) == ("summer", "winter")).all()
    assert (pastures.loc[herders["pasture_id"], "season"].to_numpy() == herders["season"].to_numpy()).all()
    summer = herders[herders["season"] == "summer"].set_index("herder_id")
    winter = herders[herders["season"] == "winter"].set_index("herder_id")
    assert summer["move_in_month"].isin([5, 6]).all() and summer["move_out_month"].isin([9, 10]).all()
    assert (winter.loc[summer.index, "move_in_month"] == summer["move_out_month"]).all()
    camps_inside = shapely.contains(
        pastures.loc[herders["pasture_id"]].geometry.values, herders.geometry.values
    )
    assert camps_inside.all()
    for row in pastures.itertuples():
        assert row.geometry.geom_type == "Polygon" and row.area_km2 > 0
        assert areas[row.village_code].buffer(1e-9).contains(row.geometry), row.Index


def test_pastures_of_a_village_do_not_overlap(layers):
    pastures = layers["pastures"]
    for _, group in pastures.groupby("village_code"):
        geometries = group.geometry.to_numpy()
        overlap = sum(
            shapely.intersection(a, b).area for i, a in enumerate(geometries) for b in geometries[i + 1 :]
        )
        assert overlap < 1e-9


def test_personal_data_appears_only_under_personal_field_names(layers):
    phone = re.compile(r"^1\d{10}$")
    for name, frame in layers.items():
        for column in frame.columns:
            if column == "geometry" or frame[column].dtype != object:
                continue
            values = frame[column].dropna().astype(str)
            if values.str.match(phone).any():
                assert column in PERSONAL_FIELDS, f"{name}.{column} holds phone numbers"
        people = {"person_name", "phone"} & set(frame.columns)
        assert people <= PERSONAL_FIELDS


def test_layers_are_in_cgcs2000_with_plain_column_names(layers):
    for name, frame in layers.items():
        assert all(type(column) is str for column in frame.columns), name
        if isinstance(frame, gpd.GeoDataFrame):
            assert frame.crs.to_epsg() == 4490, name


def test_the_same_seed_gives_the_same_frames_and_another_seed_others(tiny):
    first, again, other = generate_all(tiny, 3), generate_all(tiny, 3), generate_all(tiny, 4)
    for name in first:
        pd.testing.assert_frame_equal(first[name], again[name], check_exact=True, obj=name)
    differs = [name for name in first if not first[name].equals(other[name])]
    assert set(differs) == set(first)


def test_a_generator_given_a_numpy_generator_uses_it(tiny):
    a = generate_grid_workers(tiny, np.random.default_rng(5))
    b = generate_grid_workers(tiny, np.random.default_rng(5))
    pd.testing.assert_frame_equal(a, b)


def test_counts_scale_down_with_a_smaller_hierarchy(tiny):
    workers = generate_grid_workers(tiny, 1)
    units = {"grids": int((tiny["level"] == "grid").sum())}
    assert len(workers) == scaled_count("grid_workers", units) == round(5575 * units["grids"] / 1424)
    centres = generate_centres(tiny, 1)
    assert (centres["level"] == "township").sum() == (tiny["level"] == "township").sum()


def test_a_hierarchy_without_needed_columns_is_refused(tiny):
    with pytest.raises(GeoInputError, match=r"lacks column.*households"):
        generate_grid_workers(tiny.drop(columns="households"), 1)
    with pytest.raises(GeoInputError, match="allowed are EPSG:4490"):
        generate_centres(tiny.to_crs(3857), 1)


def test_herders_need_pastoral_villages(tiny):
    settled = tiny.assign(kind=tiny["kind"].replace("pastoral", "rural"))
    with pytest.raises(GeoInputError, match="no pastoral villages in 620923, 620924"):
        generate_herders(settled, 1)


def test_gatehouses_need_jintas_town(tiny):
    without_town = tiny.assign(kind=np.where(tiny["code"].str.startswith("620921"), "rural", tiny["kind"]))
    with pytest.raises(GeoInputError, match="金塔县 \\(620921\\) has no urban grids"):
        generate_gatehouses(without_town, 1)


def test_every_figure_has_a_description_and_a_tolerance():
    names = [f.name for f in FIGURES]
    assert len(names) == len(set(names))
    assert all(f.description and f.tolerance >= 0 for f in FIGURES)


def test_compare_figures_checks_against_tolerance():
    checks = {
        c.name: c
        for c in compare_figures(
            {"grids": 1424, "mediators": 6910, "disputes_per_year": 11_400, "closure_rate": 0.974}
        )
    }
    assert checks["grids"].ok and not checks["mediators"].ok
    assert checks["disputes_per_year"].ok  # within 3 % of 11,140
    assert not checks["closure_rate"].ok  # more than half a point below 98 %
    assert checks["closure_rate"].expected == 0.98 and checks["closure_rate"].tolerance == 0.005


def test_compare_figures_can_require_every_figure():
    checks = compare_figures({"grids": 1424}, require_all=True)
    assert len(checks) == len(FIGURES)
    missing = [c for c in checks if c.name != "grids"]
    assert all(np.isnan(c.measured) and not c.ok for c in missing)


def test_compare_figures_refuses_unknown_names():
    with pytest.raises(GeoInputError, match=r"unknown seed figure.*gridz.*known are counties"):
        compare_figures({"gridz": 1})


def test_the_address_library_covers_every_grid_with_unique_addresses(layers, full):
    addresses = layers["addresses"]
    grids = full[full["level"] == "grid"]
    assert set(addresses["grid_code"]) == set(grids["code"])
    assert len(addresses) < 60_000
    assert addresses["full_address"].is_unique and addresses["address_id"].is_unique
    inside = shapely.contains(
        full.set_index("code").loc[addresses["grid_code"]].geometry.values, addresses.geometry.values
    )
    assert inside.all()


def test_full_addresses_read_county_township_village_road_number(layers, full):
    names = full.set_index("code")["name"]
    for row in layers["addresses"].sample(200, random_state=1).itertuples():
        expected = (
            names[row.county_code]
            + names[row.township_code]
            + names[row.village_code]
            + f"{row.road}{row.number}号"
        )
        assert row.full_address == expected
    kinds = full.set_index("code").loc[layers["addresses"]["village_code"], "kind"].to_numpy()
    roads = layers["addresses"]["road"]
    assert roads[kinds != "urban"].str.fullmatch(r"[一二三四五六七八九十]+[组社]").all()
    assert roads[kinds == "urban"].str.fullmatch(r".+(街|路|巷|大道)").all()


def test_organisations_need_the_city_centre(tiny):
    centres = generate_centres(tiny, 1)
    with pytest.raises(GeoInputError, match="centres lack the city centre"):
        generate_mediation_orgs(tiny, centres[centres["level"] != "city"], 1)
