"""Benchmark: `geo.intake.join.assign_grids` against `geopandas.sjoin` on synthetic Jiuquan grids.

    python -m bench.join                  # 1,424 and 30,000 grids x 1 M and 10 M points (a few minutes)
    python -m bench.join --quick          # 1,424 grids x 200,000 points, a smoke run
    python -m bench.join --grids 1424 --points 1000000 3000000

Points: 70 % scattered around the seeds of the 10 % smallest (densest) grids, as incidents cluster in
towns; 27 % around the seeds of any grid; 3 % uniform over the extent (many outside); and 0.1 % exactly
on grid vertices, where the lowest-code rule decides.

Each path runs in its own subprocess, so its peak memory (VmHWM) is its own: the process loads the
same grids and points, notes its peak so far, then runs the join. "sjoin" is the full reference path a
user would write: points_from_xy + sjoin(predicate="covered_by") + lowest code; the sjoin call alone is
shown too. The index is built (and cached) in a separate process; its build time is reported apart.
Grid answers are compared on every point; near-edge flags against the exact reference on a sample.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import shapely

from bench.synthetic_grids import synthetic_grids
from geo.crs import to_metric
from geo.intake.join import assign_grids, assign_grids_sjoin, build_grid_index, code_order, sjoin_lowest_code

DENSE_SHARE: Final = 0.70
ANY_GRID_SHARE: Final = 0.27
VERTEX_SHARE: Final = 0.001
NEAR_SAMPLE: Final = 200_000
REPEATS_UP_TO: Final = 2_000_000  # sjoin runs up to this size are timed 3 times (ours always): best kept


def incident_points(grids: gpd.GeoDataFrame, n: int, *, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """n lon/lat points clustered like incidents; deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    metric = shapely.transform(
        grids.geometry.values, lambda xy: np.column_stack(to_metric(xy[:, 0], xy[:, 1]))
    )
    width_m = np.sqrt(shapely.area(metric))
    dense = np.argsort(width_m)[: max(1, len(grids) // 10)]
    n_dense, n_any = int(n * DENSE_SHARE), int(n * ANY_GRID_SHARE)
    n_vertex = int(n * VERTEX_SHARE)
    n_uniform = n - n_dense - n_any - n_vertex
    grid = np.concatenate([rng.choice(dense, n_dense), rng.integers(0, len(grids), n_any)])
    seed_lon, seed_lat = grids["seed_lon"].to_numpy()[grid], grids["seed_lat"].to_numpy()[grid]
    spread_m = 0.25 * width_m[grid]
    lat = seed_lat + rng.normal(0.0, 1.0, len(grid)) * spread_m / 111_000
    lon = seed_lon + rng.normal(0.0, 1.0, len(grid)) * spread_m / (111_000 * np.cos(np.radians(seed_lat)))
    west, south, east, north = grids.total_bounds
    vertices = shapely.get_coordinates(grids.geometry.values)
    vertex = vertices[rng.integers(0, len(vertices), n_vertex)]
    lon = np.concatenate([lon, rng.uniform(west, east, n_uniform), vertex[:, 0]])
    lat = np.concatenate([lat, rng.uniform(south, north, n_uniform), vertex[:, 1]])
    order = rng.permutation(n)
    return lon[order], lat[order]


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss would carry the
    parent's peak over into the worker."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no /proc: KiB on Linux


def _worker(
    mode: str, workdir: Path, grids_file: Path, points_file: Path | None, out: Path | None
) -> dict[str, Any]:
    with grids_file.open("rb") as handle:
        grids = pickle.load(handle)
    if mode == "build":
        start = time.perf_counter()
        index = build_grid_index(grids, cache_dir=workdir)
        return {"build_s": time.perf_counter() - start, "peak_mb": _peak_mb(), "key": index.key}
    assert points_file is not None and out is not None
    xy = np.load(points_file)
    x, y = xy[0], xy[1]
    repeats = 3 if mode == "ours" or len(x) <= REPEATS_UP_TO else 1
    before_mb = _peak_mb()
    report: dict[str, Any] = {"inputs_mb": before_mb}
    if mode == "ours":
        start = time.perf_counter()
        index = build_grid_index(grids, cache_dir=workdir)
        report["load_s"] = time.perf_counter() - start
        assert index.loaded_from_cache
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            result = assign_grids(x, y, index)
            times.append(time.perf_counter() - start)
            grid_idx, near = result.grid_idx, result.near_edge
            del result
        np.save(out, grid_idx)
        np.save(out.with_name(out.stem + "_near.npy"), near)
    else:
        codes = grids["code"].to_numpy(dtype=object)
        order = code_order(codes)
        code_rank = np.empty(len(order), dtype=np.int64)
        code_rank[order] = np.arange(len(order))
        times, call_times = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            rank = sjoin_lowest_code(x, y, grids, code_rank)
            times.append(time.perf_counter() - start)
        report["peak_mb"] = _peak_mb()  # before the call-only timing below, which keeps its points alive
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=grids.crs)
        right = gpd.GeoDataFrame(geometry=grids.geometry.values, crs=grids.crs)
        for _ in range(repeats):
            start = time.perf_counter()
            gpd.sjoin(points, right, predicate="covered_by", how="inner")
            call_times.append(time.perf_counter() - start)
        report["sjoin_call_s"] = min(call_times)
        np.save(out, np.where(rank >= 0, order[np.maximum(rank, 0)], -1))
    report["join_s"] = min(times)
    report.setdefault("peak_mb", _peak_mb())
    return report


def _run(
    mode: str, workdir: Path, grids_file: Path, points_file: Path | None = None, out: Path | None = None
) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.join",
        "--worker",
        mode,
        "--workdir",
        str(workdir),
        "--grids-file",
        str(grids_file),
    ]
    if points_file is not None and out is not None:
        command += ["--points-file", str(points_file), "--out", str(out)]
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parent.parent
    )
    if done.returncode != 0:
        raise RuntimeError(f"{mode} worker failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _bench(n_grids: int, point_counts: Sequence[int], workdir: Path) -> list[dict[str, Any]]:
    start = time.perf_counter()
    grids = synthetic_grids(n_grids)
    print(f"\n== {n_grids:,} synthetic grids (made in {time.perf_counter() - start:.1f} s)", flush=True)
    grids_file = workdir / f"grids_{n_grids}.pkl"
    with grids_file.open("wb") as handle:
        pickle.dump(grids, handle)
    build = _run("build", workdir, grids_file)
    print(
        f"index build: {build['build_s']:.1f} s, peak {build['peak_mb']:.0f} MB (process), key {build['key']}"
    )
    index_mb = sum(f.stat().st_size for f in workdir.glob(f"grid_index_{build['key']}.npz")) / 1e6
    print(f"index file: {index_mb:.0f} MB")
    dense_rows = np.argsort(shapely.area(grids.geometry.values))[: max(1, n_grids // 10)]
    rows = []
    for n in point_counts:
        x, y = incident_points(grids, n)
        points_file = workdir / f"points_{n_grids}_{n}.npy"
        np.save(points_file, np.stack([x, y]))
        ours = _run("ours", workdir, grids_file, points_file, workdir / "ours.npy")
        ref = _run("sjoin", workdir, grids_file, points_file, workdir / "sjoin.npy")
        ours_idx, ref_idx = np.load(workdir / "ours.npy"), np.load(workdir / "sjoin.npy")
        differ = int((ours_idx != ref_idx).sum())
        sample = np.random.default_rng(7).choice(n, min(n, NEAR_SAMPLE), replace=False)
        near_ref = assign_grids_sjoin(x[sample], y[sample], grids).near_edge
        near_differ = int((np.load(workdir / "ours_near.npy")[sample] != near_ref).sum())
        row = {
            "grids": n_grids,
            "points": n,
            "build_s": build["build_s"],
            "ours_mps": n / ours["join_s"] / 1e6,
            "sjoin_mps": n / ref["join_s"] / 1e6,
            "sjoin_call_mps": n / ref["sjoin_call_s"] / 1e6,
            "ours_peak": ours["peak_mb"],
            "sjoin_peak": ref["peak_mb"],
            "ours_extra": ours["peak_mb"] - ours["inputs_mb"],
            "sjoin_extra": ref["peak_mb"] - ref["inputs_mb"],
            "differ": differ,
            "near_differ": near_differ,
            "near_checked": len(sample),
        }
        row["ratio"], row["ratio_call"] = (
            row["ours_mps"] / row["sjoin_mps"],
            row["ours_mps"] / row["sjoin_call_mps"],
        )
        rows.append(row)
        dense_share = np.isin(ours_idx, dense_rows).mean()
        print(
            f"{n:>11,} points: ours {ours['join_s']:.3f} s = {row['ours_mps']:.1f} M/s "
            f"(index load {ours['load_s']:.2f} s) | sjoin path {ref['join_s']:.2f} s = "
            f"{row['sjoin_mps']:.2f} M/s, sjoin call alone {ref['sjoin_call_s']:.2f} s "
            f"| x{row['ratio']:.1f}\n"
            f"{'':>20}peak MB ours {ours['peak_mb']:.0f} (+{row['ours_extra']:.0f}), "
            f"sjoin {ref['peak_mb']:.0f} (+{row['sjoin_extra']:.0f}) | grid answers differing: {differ:,} "
            f"of {n:,} | near_edge differing: {near_differ} of {len(sample):,} sampled\n"
            f"{'':>20}in the densest 10 % of grids: {dense_share:.0%}, outside: {(ours_idx < 0).mean():.0%}",
            flush=True,
        )
    return rows


def _table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| grids | points | build s | ours M pts/s | sjoin path M pts/s | sjoin call M pts/s "
        "| ours/sjoin path | ours/sjoin call | peak MB ours (+join) | peak MB sjoin (+join) "
        "| grid answers identical |"
    )
    lines = [head, "|" + "---|" * 11]
    for r in rows:
        lines.append(
            f"| {r['grids']:,} | {r['points']:,} | {r['build_s']:.1f} | {r['ours_mps']:.1f} "
            f"| {r['sjoin_mps']:.2f} | {r['sjoin_call_mps']:.2f} "
            f"| {r['ratio']:.0f}x | {r['ratio_call']:.0f}x "
            f"| {r['ours_peak']:.0f} (+{r['ours_extra']:.0f}) "
            f"| {r['sjoin_peak']:.0f} (+{r['sjoin_extra']:.0f}) "
            f"| {'yes, all points' if r['differ'] == 0 else 'NO: ' + format(r['differ'], ',') + ' differ'} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.join", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,424 grids x 200,000 points")
    parser.add_argument("--grids", type=int, nargs="+", default=[1424, 30_000])
    parser.add_argument("--points", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument(
        "--workdir", type=Path, help="for grids, points and the index cache (default: a temp dir)"
    )
    parser.add_argument("--worker", choices=["build", "ours", "sjoin"], help=argparse.SUPPRESS)
    parser.add_argument("--grids-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--points-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(args.worker, args.workdir, args.grids_file, args.points_file, args.out)))
        return
    grid_counts, point_counts = ([1424], [200_000]) if args.quick else (args.grids, args.points)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench_join_"))
    workdir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        rows = [row for n in grid_counts for row in _bench(n, point_counts, workdir)]
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"\nnear_edge (10 m) against the exact reference, {NEAR_SAMPLE:,} sampled points per row: "
        f"{'identical' if all(r['near_differ'] == 0 for r in rows) else 'DIFFERENCES, see above'}"
    )
    print(f"total bench time {time.perf_counter() - start:.0f} s\n")
    print(_table(rows))


if __name__ == "__main__":
    main()
