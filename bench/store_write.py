"""Benchmark of the store's write path: an ingest of 100 rows into the demo store and into a store ten
times its size, written in place (today) and by copy-and-rename (the baseline: the whole file copied to a
sibling, written there and renamed over the store, as writes were before), in the same run.

    python -m bench.store_write                      # builds the demo store in a temporary folder
    python -m bench.store_write --store var/pingan-demo.gpkg

The larger store is the demo store with its incidents repeated (new source ids) until the file is ten
times the size: a city's store grows by its incident history, not by its grids. Target: the in-place
ingest into the larger store takes at most 1.5 times as long as into the demo store.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyogrio

from geo.api import GeoPackageStore, Layer, ingest_file
from geo.demo import build_demo_store

TARGET_RATIO = 1.5
HEADER = ("event_id,reported_at,category,severity,serious,repeat_petition,description,reporter_name,"
          "reporter_phone,lon,lat,status,closed_at,outcome,pre_litigation")


class CopyAndRenameStore(GeoPackageStore):
    """The baseline: every write copies the whole file, writes the copy and renames it over the store."""

    def write(  # type: ignore[override]
        self, frames: Mapping[str, pd.DataFrame], *, mode: str = "replace"
    ) -> dict[str, int]:
        with self.writing():
            staged = self.path.with_name(f".{self.path.name}.baseline.gpkg")
            shutil.copy2(self.path, staged)
            layers = {str(name) for name, _ in pyogrio.list_layers(staged)}
            for name, frame in frames.items():
                pyogrio.write_dataframe(frame, staged, layer=str(name), driver="GPKG",
                                        append=mode == "append" and str(name) in layers)
            with open(staged, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(staged, self.path)
        return {str(name): len(frame) for name, frame in frames.items()}


def _rows_file(folder: Path, run: int, rows: int = 100) -> Path:
    path = folder / f"bench_{run}.csv"
    lines = [HEADER] + [
        f"B{run}-{i},2024-05-05 10:{i % 60:02d}:00,邻里纠纷,1,0,0,第{i}件,张三,13800000001,"
        f"{98.501 + i / 10_000:.4f},{39.731 + i / 20_000:.4f},已办结,2024-05-06 10:00:00,调解成功,0"
        for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def grown(demo: Path, target: Path, factor: float = 10.0) -> Path:
    """A copy of `demo`, its incidents repeated under new source ids until it is `factor` times as large."""
    shutil.copy(demo, target)
    store = GeoPackageStore(target)
    incidents = store.read(Layer.INCIDENTS.value)
    copy = 0
    while target.stat().st_size < factor * demo.stat().st_size:
        copy += 1
        repeat = incidents.copy()
        repeat["source_id"] = repeat["source_id"].astype(str) + f"-r{copy}"
        repeat["incident_id"] = repeat["incident_id"].astype(str) + f"-r{copy}"
        store.write({Layer.INCIDENTS.value: repeat}, mode="append")
    return target


def ingest_ms(store: GeoPackageStore, folder: Path, runs: int) -> float:
    times = []
    for run in range(runs):
        source = _rows_file(folder, run + (1000 if isinstance(store, CopyAndRenameStore) else 0))
        start = time.perf_counter()
        summary = ingest_file(source, store, source="app")
        times.append((time.perf_counter() - start) * 1000)
        assert summary.accepted == 100, summary
    return statistics.median(times)


def write_ms(store: GeoPackageStore, runs: int) -> float:
    """The write alone: 100 incidents appended, new source ids each run."""
    rows = store.read(Layer.INCIDENTS.value).head(100)
    times = []
    for run in range(runs):
        batch = rows.copy()
        batch["source_id"] = batch["source_id"].astype(str) + f"-w{run}"
        start = time.perf_counter()
        store.write({Layer.INCIDENTS.value: batch}, mode="append")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


@contextmanager
def demo_store(given: str | None) -> Iterator[tuple[Path, Path]]:
    with tempfile.TemporaryDirectory(prefix="pingan-bench-store-") as folder:
        demo = Path(folder) / "demo.gpkg"
        if given:
            shutil.copy(given, demo)
        else:
            build_demo_store(demo)
        yield demo, Path(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="a demo store to copy (default: build one)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with demo_store(args.store) as (demo, folder):
        large = grown(demo, folder / "large.gpkg")
        print(f"demo store {demo.stat().st_size / 1e6:.0f} MB, larger store "
              f"{large.stat().st_size / 1e6:.0f} MB ({GeoPackageStore(large).count('incidents'):,} "
              f"incidents); median of {args.runs}")
        figures = {}
        for what, measure in (("ingest of 100 rows", ingest_ms), ("write of 100 rows", write_ms)):
            print(f" {what}")
            for label, kind in (("in place", GeoPackageStore),
                                ("copy-and-rename (baseline)", CopyAndRenameStore)):
                for name, path in (("demo", demo), ("10x", large)):
                    work = folder / f"{name}-{kind.__name__}.gpkg"
                    shutil.copy(path, work)
                    store = kind(work)
                    figures[what, label, name] = (ingest_ms(store, folder, args.runs)
                                                  if measure is ingest_ms else write_ms(store, args.runs))
                    work.unlink()
                small, big = figures[what, label, "demo"], figures[what, label, "10x"]
                print(f"  {label:<28} demo {small:8.1f} ms   10x {big:8.1f} ms   ratio {big / small:5.2f}   "
                      f"target <= {TARGET_RATIO}")
            baseline = figures[what, "copy-and-rename (baseline)", "10x"]
            speedup = baseline / figures[what, "in place", "10x"]
            print(f"  in place vs baseline at 10x: {speedup:.1f}x faster")
        ok = all(figures[what, "in place", "10x"] / figures[what, "in place", "demo"] <= TARGET_RATIO
                 for what in ("ingest of 100 rows", "write of 100 rows"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
