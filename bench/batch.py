"""Benchmark: the batch grid join over an archive (`geo.batch.join.batch_join`) on 1 and 2 Dask workers.

    python -m bench.batch                   # 3 M incidents of a synthetic province, 12 monthly partitions
    python -m bench.batch --rows 10000000   # the issue's 10 M
    python -m bench.batch --grids 30000     # the province's full 30k grids (the index takes about a minute)

The archive is written once (geo.demo.province: incidents in proportion to households, inside their
squares), the grid index once into a cache folder, so both runs time the same work: start a LocalCluster,
send the index, read and join every partition, gather the answers in order. The two answers must be
identical, and equal to the grid each incident was generated in. Figures: seconds per run, incidents per
second, seconds per partition, and the ratio 1 worker / 2 workers in the same run, whole and beyond the
start-up (a run over one 1,000-row partition).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.timing import best_of
from geo.batch.archive import archive_parts, write_archive
from geo.batch.join import batch_join
from geo.demo.province import province_areas, province_incidents
from geo.intake.join import build_grid_index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=3_000_000,
                        help="archived incidents (default: %(default)s)")
    parser.add_argument("--grids", type=int, default=5_000,
                        help="at least this many grids (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count, best kept")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="pingan-bench-batch-") as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        areas = province_areas(args.grids)
        grids = areas[areas["level"] == "grid"]
        incidents = province_incidents(areas, per_year=args.rows)
        write_archive(incidents, folder / "archive")
        expected = incidents.set_index("incident_id")["grid_code"]
        write_archive(incidents.iloc[:1_000], folder / "start-up")  # one small partition: the fixed cost
        del incidents
        parts = archive_parts(folder / "archive")
        size_mb = sum(p.stat().st_size for p in parts) / 1e6
        print(f"archive: {args.rows:,} incidents, {len(grids):,} grids, {len(parts)} partitions, "
              f"{size_mb:.0f} MB, written in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        build_grid_index(grids, cache_dir=folder / "index")
        print(f"grid index built once in {time.perf_counter() - started:.1f} s (cached for both runs)")
        seconds, answers, fixed = {}, {}, {}
        for workers in (1, 2):
            fixed[workers], _ = best_of(lambda w=workers: batch_join(
                folder / "start-up", grids, workers=w, index_cache=folder / "index"), repeat=args.repeat)
            seconds[workers], answers[workers] = best_of(
                lambda w=workers: batch_join(folder / "archive", grids, workers=w,
                                             index_cache=folder / "index"), repeat=args.repeat)
            print(f"{workers} worker(s): {seconds[workers]:.1f} s, {args.rows / seconds[workers]:,.0f} "
                  f"incidents/s, {seconds[workers] * workers / len(parts):.2f} worker-s per partition")
        same = answers[1].equals(answers[2])
        generated = expected.reindex(answers[2]["incident_id"]).to_numpy(dtype=str)  # archive order
        right = np.array_equal(answers[2]["grid_code"].to_numpy(dtype=str), generated)
        print(f"ratio 1 worker / 2 workers: {seconds[1] / seconds[2]:.2f}x; answers identical: {same}; "
              f"equal to the generated grids: {right}")
        work = {w: seconds[w] - fixed[w] for w in (1, 2)}
        print(f"start-up (cluster, index sent, one 1,000-row partition): {fixed[1]:.1f} s / "
              f"{fixed[2]:.1f} s; beyond it: {work[1]:.1f} s / {work[2]:.1f} s, "
              f"ratio {work[1] / work[2]:.2f}x")
        return 0 if same and right else 1


if __name__ == "__main__":
    raise SystemExit(main())
