"""Archives and batch work on the demo: `pingan archive export|import` round-trips the incidents, and
`pingan batch join|index` on a LocalCluster of two workers give exactly the one-process answers."""

from __future__ import annotations

import io
import multiprocessing
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest
from dask.distributed import LocalCluster

from geo.analysis.area_months import local_month_ordinals, month_ordinal
from geo.analysis.warning_index import warning_scores_all_months
from geo.batch.archive import archive_parts, read_archive
from geo.demo import build_demo_store
from geo.intake.join import assign_grids, build_grid_index
from geo.intake.join_index import DEFAULT_EDGE_HALO_M
from geo.store import GeoPackageStore
from pingan_cli.main import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The demo store and its incidents exported as an archive."""
    folder = tmp_path_factory.mktemp("demo")
    store, archive = folder / "demo.gpkg", folder / "archive"
    build_demo_store(store)
    run("archive", "export", "--out", str(archive), "--store", str(store))
    yield store, archive


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
    demo: tuple[Path, Path], tmp_path: Path
) -> None:
    store, archive = demo
    fresh = tmp_path / "fresh.gpkg"
    GeoPackageStore(fresh).write({"areas": GeoPackageStore(store).read("areas")})
    total = len(read_archive(archive))
    first = run("archive", "import", str(archive), "--store", str(fresh))
    assert f"{total:,} added, 0 skipped" in first
    assert GeoPackageStore(fresh).count("incidents") == total
    second = run("archive", "import", str(archive), "--store", str(fresh))
    assert f"0 added, {total:,} skipped" in second
    assert GeoPackageStore(fresh).count("incidents") == total


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
    demo: tuple[Path, Path], tmp_path: Path
) -> None:
    store, archive = demo
    out = tmp_path / "index.parquet"
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None, host="127.0.0.1") as cluster:
        run("batch", "index", "--archive", str(archive), "--store", str(store),
            "--scheduler", cluster.scheduler_address, "--out", str(out))
    batch = pd.read_parquet(out)
    areas = GeoPackageStore(store).read("areas")
    one = warning_scores_all_months(GeoPackageStore(store).read("incidents"), areas)
    pd.testing.assert_frame_equal(batch, one.astype(batch.dtypes.to_dict()), check_exact=True)
    assert batch["month"].nunique() >= 12 and set(batch["warning_level"]) == {"red", "yellow", "blue"}


def test_batch_refuses_an_output_it_cannot_write(demo: tuple[Path, Path], tmp_path: Path) -> None:
    store, archive = demo
    assert main(["batch", "join", "--archive", str(archive), "--store", str(store),
                 "--out", str(tmp_path / "joined.xlsx")]) == 2
