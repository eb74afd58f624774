"""Raw incident rows of the demo: the seed's rates, the channels' file formats, positions and planted defects.

The hierarchy is synthetic and of the seed's full size (1,424 grids): fixtures/demo_hierarchy.py.
"""

from __future__ import annotations

import bisect
import re

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely
from fixtures.demo_hierarchy import FULL, synthetic_hierarchy

from geo.crs import to_wgs84
from geo.demo.addresses import generate_addresses
from geo.demo.figures import compare_figures
from geo.demo.incident_files import write_raw_incidents
from geo.demo.incident_labels import (
    APP_COLUMNS,
    CATEGORY_LABELS,
    HOTLINE_COLUMNS,
    MINIPROGRAM_COLUMNS,
    OUTCOME_LABELS,
    STATUS_LABELS,
)
from geo.demo.incident_rates import seed_rates
from geo.demo.incidents import generate_incidents
from geo.errors import GeoInputError
from geo.schema import PERSONAL_FIELDS, IncidentCategory, Outcome


@pytest.fixture(scope="module")
def hierarchy() -> gpd.GeoDataFrame:
    return synthetic_hierarchy(FULL)


@pytest.fixture(scope="module")
def addresses(hierarchy) -> gpd.GeoDataFrame:
    return generate_addresses(hierarchy, 11)


@pytest.fixture(scope="module")
def raw(hierarchy, addresses):
    return generate_incidents(hierarchy, addresses, 11)


@pytest.fixture(scope="module")
def clean_truth(raw) -> gpd.GeoDataFrame:
    """Truth rows whose raw row carries no planted defect."""
    planted = set(zip(raw.planted["source"], raw.planted["source_id"], strict=True))
    keep = [(s, i) not in planted for s, i in zip(raw.truth["source"], raw.truth["source_id"], strict=True)]
    return raw.truth[keep]


@pytest.fixture(scope="module")
def files(raw, tmp_path_factory):
    return write_raw_incidents(raw, tmp_path_factory.mktemp("raw"))


def test_each_channel_has_exactly_its_columns(raw):
    assert tuple(raw.app.columns) == APP_COLUMNS
    assert tuple(raw.hotline.columns) == HOTLINE_COLUMNS
    assert tuple(raw.miniprogram.columns) == MINIPROGRAM_COLUMNS


def test_about_11140_disputes_a_year_split_over_the_channels(raw):
    rates = seed_rates(raw)
    assert rates["disputes_per_year"] == pytest.approx(11_140, rel=0.03)
    total = len(raw.truth)
    assert len(raw.truth.query("source == 'app'")) / total == pytest.approx(0.60, abs=0.01)
    assert len(raw.truth.query("source == 'hotline'")) / total == pytest.approx(0.25, abs=0.01)
    assert len(raw.truth.query("source == 'miniprogram'")) / total == pytest.approx(0.15, abs=0.01)


def test_rates_match_the_seed_within_half_a_point(raw):
    checks = compare_figures(seed_rates(raw))
    assert [c.name for c in checks if not c.ok] == []
    assert {c.name for c in checks} >= {
        "closure_rate",
        "pre_litigation_diversion_rate",
        "pre_litigation_success_rate",
    }


def test_the_period_is_36_months_with_times_in_order(raw, clean_truth):
    reported = clean_truth["reported_at"]
    assert reported.min() >= pd.Timestamp("2023-11-01") and reported.max() < pd.Timestamp("2026-11-01")
    assert reported.dt.to_period("M").nunique() == 36
    closed = clean_truth.dropna(subset=["closed_at"])
    assert (closed["closed_at"] > closed["reported_at"]).all()
    assert (closed["closed_at"] <= pd.Timestamp("2026-11-01")).all()


def test_handling_takes_about_a_week_and_some_cases_run_late(clean_truth):
    closed = clean_truth.dropna(subset=["closed_at"])
    days = (closed["closed_at"] - closed["reported_at"]).dt.total_seconds() / 86400
    assert 5 <= days.median() <= 10
    assert 0.01 < (days > 30).mean() < 0.15


def test_labels_map_to_the_schema(raw):
    assert set(CATEGORY_LABELS.values()) == set(IncidentCategory)
    assert set(OUTCOME_LABELS.values()) == set(Outcome)
    planted_labels = raw.planted.query("defect == 'unknown_category'")
    categories = pd.concat([raw.app["category"], raw.hotline["诉求类型"], raw.miniprogram["type"]])
    unknown = categories[~categories.isin(list(CATEGORY_LABELS))]
    assert len(unknown) == len(planted_labels)
    outcomes = pd.concat([raw.app["outcome"], raw.hotline["处理结果"], raw.miniprogram["result"]]).dropna()
    assert outcomes.isin(list(OUTCOME_LABELS)).all()
    statuses = pd.concat([raw.app["status"], raw.hotline["办理状态"], raw.miniprogram["status"]])
    assert statuses.isin(list(STATUS_LABELS)).all()


def test_open_cases_have_no_outcome_and_closed_ones_do(raw):
    app = raw.app
    closed = app["status"] == "已办结"
    assert app.loc[closed, "outcome"].notna().all() and app.loc[~closed, "outcome"].isna().all()
    assert app.loc[~closed, "closed_at"].isna().all()
    hotline_open = raw.hotline["办理状态"] != "已办结"
    assert raw.hotline.loc[hotline_open, ["满意度", "处理结果", "诉前分流", "办结时间"]].isna().all().all()
    pre = app["outcome"].isin(["诉前调解成功", "诉前调解不成"])
    assert (app["pre_litigation"] == pre.astype(int)).all()


def test_true_positions_lie_inside_their_grids(hierarchy, raw):
    grids = hierarchy.set_index("code").loc[raw.truth["grid_code"]].geometry.values
    assert shapely.contains(grids, raw.truth.geometry.values).all()


def test_raw_coordinates_are_the_true_positions_in_each_channels_crs(raw, clean_truth):
    for source, frame, lon, lat, crs in (
        ("app", raw.app, "lon", "lat", "wgs84"),
        ("miniprogram", raw.miniprogram, "lng", "lat", "gcj02"),
    ):
        ids = {"app": "event_id", "miniprogram": "report_id"}[source]
        rows = frame.drop_duplicates(ids).set_index(ids)
        truth = clean_truth[clean_truth["source"] == source].set_index("source_id")
        x, y = to_wgs84(
            rows.loc[truth.index, lon].astype(float), rows.loc[truth.index, lat].astype(float), crs
        )
        assert np.abs(x - truth.geometry.x.to_numpy()).max() < 2e-6
        assert np.abs(y - truth.geometry.y.to_numpy()).max() < 2e-6


def test_about_15_percent_of_hotline_rows_give_only_an_address_from_the_library(raw, addresses):
    hotline = raw.hotline
    address_only = hotline["经度"].isna()
    assert address_only.mean() == pytest.approx(0.15, abs=0.01)
    library = set(addresses["full_address"])
    texts = hotline.loc[address_only, "事发地址"]
    unmatched = raw.planted.query("defect == 'unmatched_address'")["row"]
    assert (hotline.loc[unmatched, "经度"].isna()).all()
    texts = texts.drop(index=unmatched)
    full = texts.isin(library)
    assert 0.4 < full.mean() < 0.7  # the rest are abbreviated
    forwards = sorted(library)
    backwards = sorted(a[::-1] for a in library)
    for text in texts[~full]:
        # Without the county name the text ends a library address; without the number it begins one.
        assert _starts_one_of(text, forwards) or _starts_one_of(text[::-1], backwards), text


def _starts_one_of(text: str, ordered: list[str]) -> bool:
    position = bisect.bisect_left(ordered, text)
    return position < len(ordered) and ordered[position].startswith(text)


def test_planted_defects_are_all_there_and_really_bad(raw):
    planted = raw.planted
    assert set(planted["defect"]) == {
        "swapped_coordinates",
        "non_numeric_coordinate",
        "unparseable_date",
        "duplicate_id",
        "unknown_category",
        "unmatched_address",
    }
    rows = sum(len(f) for f in raw.frames().values())
    assert 0.002 <= len(planted) / rows <= 0.005
    frames = {str(k): v for k, v in raw.frames().items()}
    for item in planted.itertuples():
        row = frames[item.source].iloc[item.row]
        if item.defect == "swapped_coordinates":
            lon, lat = (row["lon"], row["lat"]) if item.source == "app" else (row["lng"], row["lat"])
            assert float(lon) < 60 < float(lat)
        elif item.defect == "non_numeric_coordinate":
            values = [row[c] for c in ("lon", "lat", "经度", "纬度") if c in row.index]
            assert any(pd.isna(pd.to_numeric(v, errors="coerce")) and v is not None for v in values)
        elif item.defect == "unparseable_date":
            column = {"app": "reported_at", "hotline": "来电时间", "miniprogram": "submitted_at"}[item.source]
            assert pd.isna(pd.to_datetime(row[column], errors="coerce", format="mixed"))
        elif item.defect == "duplicate_id":
            ids = frames[item.source].iloc[:, 0]
            assert (ids == item.source_id).sum() == 2
        elif item.defect == "unknown_category":
            assert row.iloc[2] not in CATEGORY_LABELS
        elif item.defect == "unmatched_address":
            assert not re.search(r"(区|县|市).*(街道|镇|乡)", row["事发地址"])


def test_land_disputes_peak_in_spring_and_family_quarrels_at_the_spring_festival(clean_truth):
    month = clean_truth["reported_at"].dt.month
    land = clean_truth["category"] == "land"
    assert land[month.isin([3, 4, 5])].mean() > 1.5 * land[month.isin([11, 12, 1])].mean()
    period = clean_truth["reported_at"].dt.to_period("M").astype(str)
    neighbours = clean_truth[clean_truth["category"] == "neighbour"].groupby(period).size()
    assert neighbours["2024-02"] > 1.2 * neighbours.drop(["2024-02", "2025-01", "2026-02"]).median()


def test_property_disputes_are_urban_and_land_dominates_the_steppe(hierarchy, clean_truth):
    kinds = hierarchy.set_index("code").loc[clean_truth["grid_code"], "kind"].to_numpy()
    share = pd.crosstab(kinds, clean_truth["category"].to_numpy(), normalize="index")
    assert share.loc["urban", "property_management"] > 5 * share.loc["rural", "property_management"]
    assert share.loc["pastoral"].idxmax() == "land"


def test_hot_spots_move_so_the_busiest_grid_changes_by_month(raw, clean_truth):
    assert raw.hot_spots["grid_code"].nunique() >= 10
    period = clean_truth["reported_at"].dt.to_period("M")
    per_grid = clean_truth.groupby([period, "grid_code"]).size()
    busiest = per_grid.groupby(level=0).idxmax().map(lambda key: key[1])
    assert busiest.nunique() >= 6


def test_files_are_written_in_each_channels_format(raw, files):
    app_bytes = files["app"].read_bytes()
    assert not app_bytes.startswith(b"\xef\xbb\xbf")
    assert app_bytes.decode("utf-8").splitlines()[0] == ",".join(APP_COLUMNS)
    mini_bytes = files["miniprogram"].read_bytes()
    assert mini_bytes.startswith(b"\xef\xbb\xbf")
    assert mini_bytes.decode("utf-8-sig").splitlines()[0] == ",".join(MINIPROGRAM_COLUMNS)
    sheet = openpyxl.load_workbook(files["hotline"], read_only=True).active
    assert tuple(next(sheet.iter_rows(max_row=1, values_only=True))) == HOTLINE_COLUMNS
    assert re.fullmatch(
        r"\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}",
        next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))[1],
    )


def test_files_read_back_give_the_same_rates(raw, files):
    read = {
        "app": pd.read_csv(files["app"], dtype=str, encoding="utf-8"),
        "hotline": pd.read_excel(files["hotline"], dtype=str),
        "miniprogram": pd.read_csv(files["miniprogram"], dtype=str, encoding="utf-8-sig"),
    }
    assert {k: len(v) for k, v in read.items()} == {str(k): len(v) for k, v in raw.frames().items()}
    assert seed_rates(read) == pytest.approx(seed_rates(raw))


def test_personal_columns_are_declared(raw):
    from geo.demo.incident_labels import RAW_PERSONAL_COLUMNS

    assert (
        set(RAW_PERSONAL_COLUMNS["app"]) <= set(APP_COLUMNS)
        and set(RAW_PERSONAL_COLUMNS["app"]) <= PERSONAL_FIELDS
    )
    for source, mapping in RAW_PERSONAL_COLUMNS.items():
        assert set(mapping.values()) <= PERSONAL_FIELDS, source
        assert set(mapping) <= set(raw.frames()[source].columns), source


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(hierarchy, addresses, raw):
    again = generate_incidents(hierarchy, addresses, 11)
    other = generate_incidents(hierarchy, addresses, 12)
    for source, frame in raw.frames().items():
        pd.testing.assert_frame_equal(frame, again.frames()[source], check_exact=True)
        assert not frame.equals(other.frames()[source])


def test_an_address_library_without_grid_codes_is_refused(hierarchy, addresses):
    with pytest.raises(GeoInputError, match=r"address library lacks column.*grid_code"):
        generate_incidents(hierarchy, addresses.drop(columns="grid_code"), 1)
