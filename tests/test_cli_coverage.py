"""`pingan coverage report` and `pingan coverage suggest` on the demo store, through the command line:
what a user reads in the CSV, the GeoPackage and the exit code of a bad request."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from fixtures.demo_copy import demo_store_in

from geo.schema import Col, CoverageCol, Layer, Level
from geo.store import open_store
from pingan_cli.main import main


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_store_in(tmp_path_factory.mktemp("cli-coverage"))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_report_writes_one_row_per_township_with_the_coverage_columns(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "townships.csv"
    code, _, err = run("coverage", "report", "--store", str(store), "--month", "2026-07",
                       "--level", "township", "--out", str(out))
    assert code == 0 and "2026-07" in err
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a byte order mark, so Excel reads the names
    table = pd.read_csv(out, dtype={Col.CODE.value: str}, encoding="utf-8-sig")
    assert len(table) == len(open_store(store).read_areas(levels=[Level.TOWNSHIP.value]))
    assert {CoverageCol.UNCOVERED_SHARE, CoverageCol.MEDIATORS_PER_10K, CoverageCol.CASELOAD_PER_MEDIATOR,
            CoverageCol.SPECIALTY_GAPS, CoverageCol.WITHIN_VILLAGE} <= set(table.columns)
    assert table[CoverageCol.MEDIATORS].sum() <= open_store(store).count(Layer.MEDIATORS)
    assert table[CoverageCol.UNCOVERED_SHARE].between(0, 1).all()


def test_report_to_stdout_has_every_level_and_every_mediator_at_the_city(store: Path) -> None:
    code, text, _ = run("coverage", "report", "--store", str(store), "--month", "2026-01")
    assert code == 0
    table = pd.read_csv(io.StringIO(text), dtype={Col.CODE.value: str})
    assert list(dict.fromkeys(table[Col.LEVEL])) == ["city", "county", "township", "village"]
    city = table[table[Col.LEVEL] == "city"].iloc[0]
    assert city[CoverageCol.MEDIATORS] == open_store(store).count(Layer.MEDIATORS)


def test_report_by_kind_gives_each_county_its_distance_to_every_kind_of_mediation(store: Path) -> None:
    code, text, _ = run("coverage", "report", "--store", str(store), "--month", "2026-07", "--level",
                        "county", "--by-kind")
    assert code == 0
    table = pd.read_csv(io.StringIO(text), dtype={Col.CODE.value: str})
    kinds = {"km_to_centre", "km_to_village_committee", "km_to_township_committee", "km_to_personal_studio"}
    assert kinds <= set(table.columns)
    assert (table[sorted(kinds)] > 0).all().all()
    # Every village has a centre or committee near it; studios are few: farther on the whole.
    assert (table["km_to_personal_studio"] >= table["km_to_village_committee"]).sum() >= 5


def test_suggest_prints_ranked_sites_and_writes_a_geopackage(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "sites.gpkg"
    code, text, _ = run("coverage", "suggest", "--store", str(store), "--month", "2026-07", "--sites", "4",
                        "--out", str(out))
    assert code == 0
    assert "4 new site(s) bring" in text and "greedy" in text
    sites = pyogrio.read_dataframe(out, layer="suggested_sites")
    assert list(sites[CoverageCol.RANK]) == [1, 2, 3, 4]
    assert sites.crs.to_epsg() == 4490
    assert (sites[CoverageCol.MARGINAL_GAIN] > 0).all()


def test_suggest_refuses_a_proposed_site_outside_the_city(store: Path, tmp_path: Path) -> None:
    proposed = tmp_path / "proposed.csv"
    rows = "site_id,name,lon,lat\nP1,敦煌东,94.90,40.10\nP2,兰州,103.83,36.06\n"
    proposed.write_text(rows, encoding="utf-8")
    code, _, err = run("coverage", "suggest", "--store", str(store), "--sites", "1",
                       "--candidates", str(proposed))
    assert code == 2
    assert "P2 (103.8300, 36.0600)" in err and "inside the city's boundary" in err


def test_suggest_formula_like_names_in_a_csv_are_neutralised(store: Path, tmp_path: Path) -> None:
    proposed = tmp_path / "proposed.csv"
    proposed.write_text("site_id,name,lon,lat\nP1,=HYPERLINK(1),94.90,40.10\n", encoding="utf-8")
    out = tmp_path / "sites.csv"
    code, _, _ = run("coverage", "suggest", "--store", str(store), "--sites", "1",
                     "--candidates", str(proposed), "--out", str(out))
    assert code == 0
    assert "'=HYPERLINK(1)" in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(("argv", "message"), [
    (("report", "--month", "2026-07", "--level", "planet"), "unknown level 'planet'"),
    (("report", "--month", "2026-07", "--specialty", "astrology"), "unknown specialty 'astrology': allowed"),
    (("suggest", "--sites", "0"), "number of new sites 0: allowed are 1 to 500"),
    (("suggest", "--sites", "2", "--capacity", "0"), "capacity 0.0: give a caseload above 0"),
])
def test_bad_requests_exit_2_with_one_line_naming_the_value(
    store: Path, argv: tuple[str, ...], message: str
) -> None:
    code, _, err = run("coverage", *argv, "--store", str(store))
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_band_of_zero_in_a_config_file_is_refused(store: Path, tmp_path: Path) -> None:
    config = tmp_path / "bands.toml"
    config.write_text('covered_by = ["village"]\nspecialty_km = 15\n'
                      '[bands]\nvillage = 0\ntownship = 15\ncounty = 60\n'
                      '[pastoral]\nvillage = 20\ntownship = 40\ncounty = 60\nspecialty_km = 60\n',
                      encoding="utf-8")
    code, _, err = run("coverage", "report", "--store", str(store), "--config", str(config))
    assert code == 2 and "bands.village = 0: a band is a number of kilometres above 0" in err
