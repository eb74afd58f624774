"""`pingan index` and `pingan metrics` on a GeoPackage store holding the hand-drawn village of
test_warning_index (grid A scores 117.5 in March 2024, the village 46.7)."""

from __future__ import annotations

import argparse
import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest
from test_warning_index import GRID_A, GRID_B, VILLAGE, tiny_areas, tiny_incidents

from geo.errors import GeoInputError
from geo.store import GeoPackageStore
from pingan_cli import index_commands


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.gpkg"
    GeoPackageStore(path).write({"areas": tiny_areas(), "incidents": tiny_incidents()})
    return path


def run(*argv: str) -> str:
    parser = argparse.ArgumentParser(prog="pingan")
    index_commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    out = io.StringIO()
    with redirect_stdout(out):
        assert args.run(args) == 0
    return out.getvalue()


def test_index_writes_every_area_with_score_level_and_factor_points(store: Path) -> None:
    table = pd.read_csv(
        io.StringIO(run("index", "--store", str(store), "--month", "2024-03")), dtype={"code": str}
    )
    assert list(table.columns[:6]) == ["level", "code", "name", "score", "warning_level", "rank"]
    assert [c for c in table.columns if c.startswith("points_")] == [
        "points_incidents",
        "points_unresolved",
        "points_overdue",
        "points_repeat_petitions",
        "points_serious",
        "points_month_on_month",
        "points_year_on_year",
    ]
    scores = table.set_index("code")["score"]
    assert scores[GRID_A] == pytest.approx(117.5) and scores[VILLAGE] == pytest.approx(46.7)
    assert table["level"].tolist() == ["city", "county", "township", "village", "grid", "grid"]


def test_index_filters_a_level_and_writes_a_file(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "grids.csv"
    assert (
        run(
            "index",
            "--store",
            str(store),
            "--month",
            "2024-03",
            "--level",
            "grid",
            "--out",
            str(out),
            "--mode",
            "fixed",
        )
        == ""
    )
    table = pd.read_csv(out, dtype={"code": str})
    # Grids use the shipped fixed thresholds 35 / 16.
    assert table.set_index("code")["warning_level"].to_dict() == {GRID_A: "red", GRID_B: "yellow"}


def test_metrics_prints_a_table_or_json(store: Path) -> None:
    text = run("metrics", "--store", str(store), "--month", "2024-03", "--level", "grid")
    assert "closure_rate" in text and GRID_A in text
    records = json.loads(run("metrics", "--store", str(store), "--month", "2024-03", "--json"))
    grid_a = next(r for r in records if r["code"] == GRID_A)
    assert (grid_a["incidents"], grid_a["status_closed"], grid_a["overdue"]) == (2, 1, 1)
    assert grid_a["closure_rate"] == 0.5 and grid_a["pre_litigation_diversion_rate"] is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--month", "03/2024"], r"month '03/2024' is not a month: write it as YYYY-MM"),
        (
            ["--month", "2024-03", "--level", "street"],
            r"unknown level 'street': allowed are city, county, township",
        ),
        (["--month", "2022-12"], r"no boundary version is in force in 2022-12"),
    ],
)
@pytest.mark.parametrize("command", ["index", "metrics"])
def test_bad_requests_raise_clear_errors(store: Path, command: str, argv: list[str], message: str) -> None:
    with pytest.raises(GeoInputError, match=message):
        run(command, "--store", str(store), *argv)


def test_a_store_without_incidents_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "areas-only.gpkg"
    GeoPackageStore(path).write({"areas": tiny_areas()})
    with pytest.raises(GeoInputError, match=r"areas-only.gpkg has no incidents layer \(it has areas\)"):
        run("index", "--store", str(path), "--month", "2024-03")
    with pytest.raises(GeoInputError, match=r"missing.gpkg does not exist"):
        run("metrics", "--store", str(tmp_path / "missing.gpkg"), "--month", "2024-03")
