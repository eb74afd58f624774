"""Demo operations data: the seed's counts, placement inside the right areas, determinism, personal fields.

The hierarchy here is synthetic (strips of boxes with the demo's real county codes), at the seed's full
size for the count tests and tiny for the rest, so these tests do not depend on the generated hierarchy.
"""

from __future__ import annotations

import itertools
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.demo.addresses import generate_addresses
from geo.demo.figures import FIGURES, compare_figures, scaled_count
from geo.demo.operations import (
    generate_centres,
    generate_gatehouses,
    generate_grid_workers,
    generate_herders,
    generate_mediation_orgs,
    generate_mediators,
    operations_figures,
)
from geo.errors import GeoInputError
from geo.schema import CITY_CODE, PERSONAL_FIELDS, OrgType, Specialty

# code, name, streets, towns, communities, villages, urban grids, rural grids, pastoral: the seed's totals
# (77 townships, 51 communities, 510 villages and communities, 1,424 grids).
FULL = (
    ("620902", "肃州区", 6, 16, 24, 154, 360, 260, False),
    ("620921", "金塔县", 1, 9, 5, 80, 60, 100, False),
    ("620922", "瓜州县", 1, 11, 5, 75, 60, 110, False),
    ("620923", "肃北蒙古族自治县", 1, 5, 1, 22, 10, 28, True),
    ("620924", "阿克塞哈萨克族自治县", 1, 3, 1, 12, 8, 18, True),
    ("620981", "玉门市", 3, 10, 7, 60, 100, 100, False),
    ("620982", "敦煌市", 2, 8, 8, 56, 110, 100, False),
)
TINY = (
    ("620902", "肃州区", 1, 1, 2, 2, 5, 3, False),
    ("620921", "金塔县", 1, 1, 1, 2, 3, 2, False),
    ("620923", "肃北蒙古族自治县", 1, 1, 1, 2, 2, 2, True),
    ("620924", "阿克塞哈萨克族自治县", 1, 1, 1, 1, 2, 1, True),
)
HOUSEHOLDS = {"urban": 400, "rural": 150, "pastoral": 60}


def _strips(box: tuple[float, float, float, float], count: int, vertical: bool) -> list[tuple[float, ...]]:
    west, south, east, north = box
    edges = np.linspace(west if vertical else south, east if vertical else north, count + 1)
    return [(a, south, b, north) if vertical else (west, a, east, b) for a, b in itertools.pairwise(edges)]


def synthetic_hierarchy(plan: tuple[tuple, ...]) -> gpd.GeoDataFrame:
    """Counties as boxes side by side, townships as vertical strips, villages as horizontal strips, grids
    as vertical strips; households add up from the grids."""
    rows: list[dict] = []

    def add(code, name, level, parent, kind, box, households):
        rows.append(
            {
                "code": code,
                "name": name,
                "level": level,
                "parent_code": parent,
                "kind": kind,
                "households": households,
                "population": round(households * 2.6),
                "area_km2": 1.0,
                "version_id": "test",
                "valid_from": "2023-11-01",
                "valid_to": None,
                "geometry": shapely.box(*box),
            }
        )

    for i, (
        code,
        name,
        streets,
        towns,
        communities,
        villages,
        urban_grids,
        rural_grids,
        pastoral,
    ) in enumerate(plan):
        county_box = (94.0 + 0.7 * i, 39.0, 94.6 + 0.7 * i, 39.6)
        other = "pastoral" if pastoral else "rural"
        villages_per_township = [len(a) for a in np.array_split(range(communities), streets)]
        villages_per_township += [len(a) for a in np.array_split(range(villages), towns)]
        grids_per_village = [len(a) for a in np.array_split(range(urban_grids), communities)]
        grids_per_village += [len(a) for a in np.array_split(range(rural_grids), villages)]
        village_number, county_households = 0, 0
        for t, township_box in enumerate(_strips(county_box, streets + towns, True)):
            kind = "urban" if t < streets else other
            township_code, township_households = f"{code}{t + 1:03d}", 0
            for v, village_box in enumerate(_strips(township_box, villages_per_township[t], False)):
                village_code = f"{township_code}{v + 1:03d}"
                grid_count = grids_per_village[village_number]
                village_number += 1
                households = [HOUSEHOLDS[kind] + 7 * g for g in range(grid_count)]
                for g, grid_box in enumerate(_strips(village_box, grid_count, True)):
                    add(
                        f"{village_code}{g + 1:03d}",
                        f"网格{g + 1}",
                        "grid",
                        village_code,
                        kind,
                        grid_box,
                        households[g],
                    )
                add(
                    village_code,
                    ("和" if kind == "urban" else "丰")
                    + village_code[-5:]
                    + ("社区" if kind == "urban" else "村"),
                    "village",
                    township_code,
                    kind,
                    village_box,
                    sum(households),
                )
                township_households += sum(households)
            add(
                township_code,
                f"泉{township_code[-4:]}{'街道' if kind == 'urban' else '镇'}",
                "township",
                code,
                kind,
                township_box,
                township_households,
            )
            county_households += township_households
        add(code, name, "county", CITY_CODE, other, county_box, county_households)
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=4490)
    counties = frame[frame["level"] == "county"]
    add(
        CITY_CODE,
        "酒泉市",
        "city",
        None,
        "urban",
        shapely.union_all(counties.geometry.values).bounds,
        int(counties["households"].sum()),
    )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4490)


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
