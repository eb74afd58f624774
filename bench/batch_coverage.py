"""Benchmark: the mediator coverage report over an archive (`geo.batch.coverage.batch_mediator_coverage`)
on 1 and 2 Dask workers, beside the same report in one process (`mediator_coverage` over the archive's
incidents read whole), on a synthetic province with its mediation (geo.demo.province_services).

    python -m bench.batch_coverage                       # 30k grids, 1 M incidents a year, 2 years
    python -m bench.batch_coverage --grids 5000 --rows 300000

Figures: seconds of each run, and apart, the part that does not depend on the incidents (households,
distances and mediators, once on the driver: `mediator_coverage` given the counts) and the counting of
one year's disputes in one process (`count_cases`). The three reports must be identical.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench.timing import best_of
from geo.analysis.coverage import CoverageInputs, mediator_coverage
from geo.analysis.coverage_cases import count_cases
from geo.analysis.coverage_config import load_coverage_config
from geo.batch.archive import archive_parts, read_archive, write_archive
from geo.batch.coverage import batch_mediator_coverage
from geo.demo.province import province_areas, province_incidents
from geo.demo.province_services import province_services
from geo.store import GeoPackageStore

MONTH = "2024-12"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grids", type=int, default=30_000, help="at least this many (default: %(default)s)")
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="incidents a year, 2023 and 2024 (default: %(default)s)")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="pingan-bench-coverage-") as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        areas = province_areas(args.grids)
        store = GeoPackageStore(folder / "province.gpkg")
        store.write({"areas": areas, **province_services(areas)})
        write_archive(province_incidents(areas, per_year=args.rows, years=(2023, 2024)), folder / "archive")
        parts = archive_parts(folder / "archive")
        print(f"province: {int((areas['level'] == 'grid').sum()):,} grids, {2 * args.rows:,} incidents in "
              f"{len(parts)} partitions, written in {time.perf_counter() - started:.0f} s")
        inputs = CoverageInputs.from_store(store, with_incidents=False)
        settings = load_coverage_config()

        def one_process() -> pd.DataFrame:
            whole = dataclasses.replace(inputs, incidents=read_archive(folder / "archive"))
            return mediator_coverage(whole, month=MONTH, config=settings)

        seconds, reports = {}, {}
        seconds["one"], reports["one"] = best_of(one_process, repeat=1)
        for workers in (1, 2):
            seconds[workers], (reports[workers], _) = best_of(lambda w=workers: batch_mediator_coverage(
                folder / "archive", inputs, month=MONTH, config=settings, workers=w), repeat=1)
        incidents = read_archive(folder / "archive")
        counting, cases = best_of(lambda: count_cases(incidents, month=MONTH,
                                                      reach=inputs.specialist_reach(settings)), repeat=1)
        driver, _ = best_of(lambda: mediator_coverage(inputs, month=MONTH, config=settings, cases=cases),
                            repeat=1)
        identical = all(reports[w].equals(reports["one"]) for w in (1, 2))
        print(f"one process (archive read whole): {seconds['one']:.1f} s")
        print(f"batch, 1 worker: {seconds[1]:.1f} s; 2 workers: {seconds[2]:.1f} s "
              f"(ratio one process / 2 workers {seconds['one'] / seconds[2]:.2f}x)")
        print(f"apart: households, distances, mediators {driver:.1f} s; a year's disputes counted in one "
              f"process {counting:.1f} s ({len(incidents):,} rows read, 12 months counted)")
        print(f"reports identical: {identical}")
        return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
