"""Archives and batch work on the demo: `pingan archive export|import` round-trips the incidents, and
`pingan batch join|index|coverage` on Dask workers give exactly the one-process answers."""

from __future__ import annotations

import io
import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest
from dask.distributed import LocalCluster
from fixtures.demo_copy import demo_store_in

from geo.analysis.area_months import local_month_ordinals, month_ordinal
from geo.analysis.coverage import CoverageInputs, mediator_coverage
from geo.analysis.coverage_cases import add_case_counts, count_cases
from geo.analysis.coverage_config import load_coverage_config
from geo.analysis.warning_index import warning_scores_all_months
from geo.batch.archive import archive_parts, read_archive
from geo.batch.coverage import batch_mediator_coverage
from geo.intake.join import assign_grids, build_grid_index
from geo.intake.join_index import DEFAULT_EDGE_HALO_M
from geo.store import GeoPackageStore, open_store
from pingan_cli.main import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The demo store and its incidents exported as an archive."""
    folder = tmp_path_factory.mktemp("demo")
    store, archive = demo_store_in(folder), folder / "archive"
    run("archive", "export", "--out", str(archive), "--store", str(store))
    yield store, archive


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a LocalCluster of two workers the tests below share (each start costs seconds)."""
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None, host="127.0.0.1") as cluster:
        yield cluster.scheduler_address


def run(*argv: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(argv)) == 0
    return out.getvalue()


def test_export_writes_one_partition_per_month_holding_every_incident(demo: tuple[Path, Path]) -> None:
    store, archive = demo
    incidents = GeoPackageStore(store).read("incidents")
    months = set(local_month_ordinals(incidents["reported_at"]).tolist())
    assert len(archive_parts(archive)) == len(months)
    back = read_archive(archive)
    assert sorted(back["incident_id"]) == sorted(incidents["incident_id"])


def test_export_of_a_month_range_keeps_only_those_months(demo: tuple[Path, Path], tmp_path: Path) -> None:
    store, _ = demo
    said = run("archive", "export", "--out", str(tmp_path), "--store", str(store),
               "--from", "2024-03", "--to", "2024-05")
    parts = archive_parts(tmp_path)
    assert [p.parent.parent.name + "/" + p.parent.name for p in parts] == [
        "year=2024/month=03", "year=2024/month=04", "year=2024/month=05"]
    ordinals = local_month_ordinals(GeoPackageStore(store).read("incidents")["reported_at"])
    expected = int(((ordinals >= month_ordinal("2024-03")) & (ordinals <= month_ordinal("2024-05"))).sum())
    assert len(read_archive(tmp_path)) == expected
    assert said.startswith(f"{expected:,} incidents written")


def test_import_adds_the_archive_once_and_a_second_import_skips_every_row(
    demo: tuple[Path, Path], tmp_path: Path, new_location: Callable[[], Path | str]
) -> None:
    store, _ = demo
    archive = tmp_path / "archive"  # three months: the skip is the store's unique key, on either backend
    run("archive", "export", "--out", str(archive), "--store", str(store), "--from", "2024-03",
        "--to", "2024-05")
    fresh = new_location()
    open_store(fresh).write({"areas": GeoPackageStore(store).read("areas")})
    total = len(read_archive(archive))
    first = run("archive", "import", str(archive), "--store", str(fresh))
    assert f"{total:,} added, 0 skipped" in first
    assert open_store(fresh).count("incidents") == total
    second = run("archive", "import", str(archive), "--store", str(fresh))
    assert f"0 added, {total:,} skipped" in second
    assert open_store(fresh).count("incidents") == total


def test_batch_join_on_two_workers_equals_the_join_in_one_process(
    demo: tuple[Path, Path], tmp_path: Path
) -> None:
    store, archive = demo
    out, cache = tmp_path / "joined.parquet", tmp_path / "index-cache"
    run("batch", "join", "--archive", str(archive), "--store", str(store), "--scheduler", "local",
        "--workers", "2", "--out", str(out), "--index-cache", str(cache))
    batch = pd.read_parquet(out)
    incidents = read_archive(archive)
    assert len(list(cache.glob("grid_index_*.npz"))) == 1  # read back below instead of built a second time
    index = build_grid_index(GeoPackageStore(store).read_areas(levels=["grid"]), cache_dir=cache)
    codes = assign_grids(incidents["lon"].to_numpy(float), incidents["lat"].to_numpy(float), index,
                         edge_tolerance_m=DEFAULT_EDGE_HALO_M).codes
    one = pd.DataFrame({"incident_id": incidents["incident_id"].astype(str), "grid_code": codes.astype(str)})
    pd.testing.assert_frame_equal(batch, one, check_exact=True)
    assert (batch["grid_code"] == incidents["grid_code"].astype(str)).all()  # as assigned at ingest
    assert not multiprocessing.active_children()  # the LocalCluster's workers are gone


def test_batch_index_on_a_running_scheduler_is_identical_to_all_months_in_one_process(
    demo: tuple[Path, Path], scheduler: str, tmp_path: Path
) -> None:
    store, archive = demo
    out = tmp_path / "index.parquet"
    run("batch", "index", "--archive", str(archive), "--store", str(store), "--scheduler", scheduler,
        "--out", str(out))
    batch = pd.read_parquet(out)
    areas = GeoPackageStore(store).read("areas")
    one = warning_scores_all_months(GeoPackageStore(store).read("incidents"), areas)
    pd.testing.assert_frame_equal(batch, one.astype(batch.dtypes.to_dict()), check_exact=True)
    assert batch["month"].nunique() >= 12 and set(batch["warning_level"]) == {"red", "yellow", "blue"}


def test_batch_refuses_an_output_it_cannot_write(demo: tuple[Path, Path], tmp_path: Path) -> None:
    store, archive = demo
    assert main(["batch", "join", "--archive", str(archive), "--store", str(store),
                 "--out", str(tmp_path / "joined.xlsx")]) == 2


def test_batch_coverage_writes_the_csv_of_the_coverage_report_byte_for_byte(
    demo: tuple[Path, Path], scheduler: str, tmp_path: Path
) -> None:
    store, archive = demo
    one, batch = tmp_path / "one.csv", tmp_path / "batch.csv"
    run("coverage", "report", "--store", str(store), "--out", str(one))
    run("batch", "coverage", "--archive", str(archive), "--store", str(store), "--scheduler", scheduler,
        "--out", str(batch))
    assert batch.read_bytes() == one.read_bytes()
    table = pd.read_csv(batch, encoding="utf-8-sig", dtype={"code": str})
    assert table["cases_12m"].iloc[0] > 0 and table["gap_cases"].sum() > 0  # disputes were counted


def test_batch_coverage_of_a_month_and_a_specialty_equals_mediator_coverage_value_for_value(
    demo: tuple[Path, Path], scheduler: str
) -> None:
    store, archive = demo
    inputs = CoverageInputs.from_store(GeoPackageStore(store))
    one = mediator_coverage(inputs, month="2025-03", specialty="land", by_kind=True)
    without_incidents = CoverageInputs.from_store(GeoPackageStore(store), with_incidents=False)
    batch, month = batch_mediator_coverage(archive, without_incidents, month="2025-03", specialty="land",
                                           by_kind=True, scheduler=scheduler)
    assert month == "2025-03"
    pd.testing.assert_frame_equal(batch, one, check_exact=True)


def test_case_counts_of_any_split_of_the_incidents_add_up_to_the_counts_of_the_whole(
    demo: tuple[Path, Path],
) -> None:
    store, _ = demo
    inputs = CoverageInputs.from_store(GeoPackageStore(store))
    reach = inputs.specialist_reach(load_coverage_config())
    incidents = inputs.disputes().sample(frac=1.0, random_state=3)  # shuffled, then cut in uneven pieces
    pieces = [incidents.iloc[a:b] for a, b in ((0, 5), (5, 9000), (9000, 9001), (9001, len(incidents)))]
    whole = count_cases(incidents, month="2026-10", reach=reach)
    split = add_case_counts([count_cases(piece, month="2026-10", reach=reach) for piece in pieces])
    pd.testing.assert_frame_equal(split, whole, check_exact=True)
    assert whole["cases"].sum() > 1000 and 0 < whole["gap_cases"].sum() < whole["cases"].sum()
