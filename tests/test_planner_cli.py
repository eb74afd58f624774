"""The QGIS round trip through the CLI: export, import (refusals listing every problem, the preview, --yes),
history and diff, on the hand-drawn store."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest
from fixtures.planner_store import NE, NW, SE, SW, VILLAGE, build_planner_store, import_arguments
from shapely.geometry import MultiPolygon, Polygon, box

from geo.api import GeoPackageStore
from pingan_cli.main import main

MERGED = f"{VILLAGE}005"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    build_planner_store(tmp_path / "store.gpkg")
    policy = tmp_path / "policy.toml"
    policy.write_text(
        "min_grid_area_m2 = 2000\n[households.urban]\nmin = 100\nmax = 1000\n", encoding="utf-8"
    )
    return tmp_path / "store.gpkg"


def _export(store: Path, out: Path, file_format: str = "geojson") -> gpd.GeoDataFrame:
    assert (
        main(
            [
                "boundaries",
                "export",
                "--version",
                "v2024-01-01",
                "--parent",
                VILLAGE,
                "--format",
                file_format,
                "--out",
                str(out),
                "--store",
                str(store),
            ]
        )
        == 0
    )
    return gpd.read_file(out)


def _import(store: Path, layout: Path, *extra: str) -> int:
    policy = store.parent / "policy.toml"
    return main([*import_arguments(layout, store, policy, reason="合并", author="李娜"), *extra])


#: SW and SE as one polygon, keeping the vertex where NW and NE meet on its north edge.
MERGED_SHAPE = Polygon([(98.50, 39.73), (98.52, 39.73), (98.52, 39.74), (98.51, 39.74), (98.50, 39.74)])


def _merged(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    keep = frame[~frame["code"].isin([SW, SE])]
    row = frame[frame["code"] == SW].assign(
        code=MERGED, households=800, geometry=[MultiPolygon([MERGED_SHAPE])]
    )
    return gpd.GeoDataFrame(
        [*keep.to_dict("records"), *row.to_dict("records")], geometry="geometry", crs=frame.crs
    )


@pytest.mark.parametrize("file_format", ["gpkg", "geojson", "shp"])
def test_an_exported_layout_round_trips_through_each_format(
    store: Path, tmp_path: Path, file_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = _export(store, tmp_path / f"layout.{file_format}", file_format)
    assert sorted(frame["code"]) == [SW, SE, NW, NE] and set(frame["households"]) == {400}
    layout = tmp_path / f"merged.{file_format}"
    _merged(frame).to_file(
        layout,
        driver={"gpkg": "GPKG", "geojson": "GeoJSON", "shp": "ESRI Shapefile"}[file_format],
        **({"encoding": "UTF-8"} if file_format == "shp" else {}),
    )
    assert _import(store, layout) == 0
    out = capsys.readouterr().out
    assert "preview only" in out and re.search(rf"{MERGED}\s+added", out)
    assert len(GeoPackageStore(store).read("boundary_versions")) == 1, "nothing saved without --yes"


def test_import_with_yes_saves_and_history_and_diff_show_it(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = tmp_path / "merged.geojson"
    _merged(_export(store, tmp_path / "layout.geojson")).to_file(layout)
    assert _import(store, layout, "--yes") == 0
    assert "saved v2025-07-01-620902001001" in capsys.readouterr().out
    assert main(["boundaries", "history", "--store", str(store)]) == 0
    assert "v2025-07-01-620902001001" in (history := capsys.readouterr().out) and "李娜" in history
    assert main(["boundaries", "diff", "v2024-01-01", "v2025-07-01-620902001001", "--store", str(store)]) == 0
    diff = capsys.readouterr().out
    assert re.search(rf"{SW}\s+removed", diff) and re.search(rf"{MERGED}\s+added", diff)


def test_a_bad_file_is_refused_with_every_problem_and_nothing_saved(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = _export(store, tmp_path / "layout.geojson")
    frame.loc[frame["code"] == NE, "code"] = NW  # a duplicate
    frame.loc[frame["code"] == SE, "code"] = None  # a missing code
    bowtie = Polygon([(98.50, 39.73), (98.51, 39.74), (98.51, 39.73), (98.50, 39.74)])
    frame.loc[frame["code"] == SW, "geometry"] = gpd.GeoSeries([MultiPolygon([bowtie])], crs=frame.crs).values
    bad = tmp_path / "bad.geojson"
    frame.to_crs(3857).to_file(bad)
    assert _import(store, bad, "--yes") == 2
    err = capsys.readouterr().err
    assert "refused, 4 problem(s)" in err
    assert "WGS 84 / Pseudo-Mercator" in err
    assert f"(code {SW}): invalid polygon: Self-intersection" in err
    assert "no code" in err and f"(code {NW}): the code appears more than once" in err
    assert len(GeoPackageStore(store).read("boundary_versions")) == 1


def test_a_layout_with_a_gap_is_refused_naming_it(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = _export(store, tmp_path / "layout.geojson")
    frame.loc[frame["code"] == SW, "geometry"] = gpd.GeoSeries(
        [MultiPolygon([box(98.50, 39.73, 98.509, 39.74)])], crs=frame.crs
    ).values
    gap = tmp_path / "gap.geojson"
    frame.to_file(gap)
    assert _import(store, gap, "--yes") == 1
    out = capsys.readouterr().out
    assert f"parent {VILLAGE}: gap of" in out and "not saved" in out
    assert len(GeoPackageStore(store).read("boundary_versions")) == 1
