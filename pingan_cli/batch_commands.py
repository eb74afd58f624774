"""`pingan batch join|index|coverage`: the grid join, the monthly warning index and the mediator coverage
report over an incident archive written by `pingan archive export`, one partition per task on Dask (a
LocalCluster on this machine, or a running scheduler): the library's own functions, so the answers are
those of one process."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from geo import api
from pingan_cli.coverage_commands import add_report_options, write_report
from pingan_cli.options import Commands, add_command, add_group, add_store

_OUT_SUFFIXES = (".parquet", ".csv")


def register(commands: Commands) -> None:
    jobs = add_group(commands, "batch", description=__doc__, dest="job",
                     help="the grid join, the warning index or the coverage report over an archive, on Dask")
    join = add_command(jobs, "join", _run_join, help="the grid code of every archived incident")
    _add_common(join, grids_help="store whose current grids the incidents are joined to")
    join.add_argument("--out", type=Path, required=True, metavar="FILE.parquet|csv")
    join.add_argument("--index-cache", dest="index_cache", type=Path, metavar="DIR",
                      help="keep the grid index here, so the next run on these grids skips building it")
    index = add_command(jobs, "index", _run_index, help="the warning index of every month of the archive")
    _add_common(index, grids_help="store whose areas are scored")
    index.add_argument("--out", type=Path, required=True, metavar="FILE.parquet|csv")
    index.add_argument("--level", metavar="LEVEL", help="one level (default: every level)")
    index.add_argument("--config", type=Path, metavar="FILE.toml",
                       help="weights and thresholds (default: $PINGAN_WARNING_CONFIG or the built-in)")
    coverage = add_command(jobs, "coverage", _run_coverage,
                           help="the mediator coverage report, the disputes counted over the archive")
    _add_common(coverage, grids_help="store whose areas, addresses, centres and mediators are read")
    add_report_options(coverage)
    coverage.add_argument("--out", type=Path, metavar="FILE.csv", help="write the CSV here instead of stdout")


def _add_common(parser: argparse.ArgumentParser, *, grids_help: str) -> None:
    parser.add_argument("--archive", type=Path, required=True, metavar="DIR")
    add_store(parser)
    parser.add_argument("--grids-from", dest="grids_from", type=api.store_location, metavar="STORE",
                        help=f"{grids_help} (default: --store)")
    parser.add_argument("--scheduler", default="local", metavar="local|ADDRESS",
                        help="`local` (a LocalCluster here) or a scheduler's address, tcp://host:8786")
    parser.add_argument("--workers", type=int, default=2, metavar="N",
                        help="worker processes of the LocalCluster (default: %(default)s)")


def _checked_out(path: Path) -> Path:
    if path.suffix.lower() not in _OUT_SUFFIXES:
        raise api.GeoInputError(f"--out {path}: allowed suffixes are {', '.join(_OUT_SUFFIXES)}")
    return path


def _write(table: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        api.write_csv(table, path)
    else:
        table.to_parquet(path, index=False)


@contextmanager
def _progress(what: str) -> Iterator[Callable[[int, int], None]]:
    with tqdm(desc=what, unit="partition", file=sys.stderr, disable=None, leave=False) as bar:
        def advance(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield advance


def _areas_store(args: argparse.Namespace) -> api.Store:
    location = args.grids_from or args.store
    store = api.open_store(location)
    if api.Layer.AREAS.value not in store.layers():
        raise api.StoreError(f"store {location} has no areas: build one with `pingan demo build`")
    return store


def _run_join(args: argparse.Namespace) -> int:
    out = _checked_out(args.out)
    grids = _areas_store(args).read_areas(levels=[api.Level.GRID.value])
    with _progress("join") as advance:
        joined = api.batch_join(args.archive, grids, scheduler=args.scheduler, workers=args.workers,
                                on_partition=advance, index_cache=args.index_cache)
    _write(joined, out)
    inside = int((joined[api.Col.GRID_CODE] != "").sum())
    print(f"{len(joined):,} incidents joined ({inside:,} inside a grid) written to {out}")
    return 0


def _run_index(args: argparse.Namespace) -> int:
    out = _checked_out(args.out)
    config = api.load_warning_config(args.config or os.environ.get("PINGAN_WARNING_CONFIG") or None)
    areas = _areas_store(args).read(api.Layer.AREAS.value)  # every boundary version: months use theirs
    with _progress("index") as advance:
        scores = api.batch_warning_scores(args.archive, areas, level=args.level, config=config,
                                          scheduler=args.scheduler, workers=args.workers,
                                          on_partition=advance)
    _write(scores, out)
    months = scores["month"].nunique() if len(scores) else 0
    print(f"{len(scores):,} scores of {months} months written to {out}")
    return 0


def _run_coverage(args: argparse.Namespace) -> int:
    """`pingan coverage report` with the disputes of the twelve months read from the archive (only
    those months' partitions, counted on the workers) and everything else from the store."""
    config = api.load_coverage_config(args.config)
    inputs = api.CoverageInputs.from_store(_areas_store(args), with_incidents=False)
    with _progress("coverage") as advance:
        report, month = api.batch_mediator_coverage(
            args.archive, inputs, month=args.month, level=args.level, config=config,
            specialty=args.specialty, by_kind=args.by_kind, scheduler=args.scheduler, workers=args.workers,
            on_partition=advance)
    write_report(report, args.out, month)
    return 0
