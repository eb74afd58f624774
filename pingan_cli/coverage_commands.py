"""`pingan coverage report|suggest`: distances from every household to mediation, per area, and where new
mediation rooms would bring the most households within reach."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from geo import api
from pingan_cli.options import Commands, add_command, add_group, add_store


def register(commands: Commands) -> None:
    actions = add_group(commands, "coverage", description=__doc__,
                        help="mediator coverage per area, and suggested sites for new mediation rooms")
    report = add_command(actions, "report", _run_report, help="households within each band, uncovered share, "
                         "mediators per 10k, caseload, specialty gaps")
    add_store(report)
    add_report_options(report)
    report.add_argument("--out", type=Path, metavar="FILE.csv", help="write the CSV here instead of stdout")
    suggest = add_command(actions, "suggest", _run_suggest,
                          help="new mediation rooms that bring the most households within the village band")
    _add_common(suggest)
    suggest.add_argument("--sites", type=int, metavar="N", help="how many new sites (mclp)")
    suggest.add_argument("--method", default="mclp", choices=["mclp", "lscp"], help="default: %(default)s")
    suggest.add_argument("--capacity", type=float, metavar="CASES",
                         help="disputes a year one new room can take (mclp): a room serves no more "
                         "households than that caseload brings")
    suggest.add_argument("--candidates", type=Path, metavar="FILE.csv",
                         help="your own candidate sites: CSV with site_id, name, lon, lat (CGCS2000 degrees)")
    suggest.add_argument("--keep", metavar="ID,ID", default="",
                         help="candidate sites already decided on (their site_id, comma-separated): kept in "
                         "every solution and counted among the N")
    suggest.add_argument("--out", type=Path, metavar="FILE.gpkg",
                         help="write the sites as a GeoPackage (.gpkg) or CSV (.csv)")


def _add_common(parser: argparse.ArgumentParser) -> None:
    add_store(parser)
    _add_month_and_config(parser)


def _add_month_and_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--month", metavar="YYYY-MM",
                        help="where the herders are, and the last month of the caseload (default: the "
                        "latest month with disputes)")
    parser.add_argument("--config", type=Path, metavar="FILE.toml",
                        help="distance bands (default: the built-in coverage.toml)")


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """The options of a coverage report (`coverage report`, `batch coverage`), --store and --out aside."""
    _add_month_and_config(parser)
    parser.add_argument("--level", metavar="LEVEL", help="one level: city, county, township, village")
    parser.add_argument("--specialty", metavar="KIND",
                        help="count households near a mediator of this specialty as covered (land, "
                        "marriage_family, labour_wages, ...)")
    parser.add_argument("--by-kind", action="store_true",
                        help="add each area's mean distance to the nearest centre and to the nearest "
                        "organisation of each type (km_to_centre, km_to_village_committee, ...)")


def write_report(report: pd.DataFrame, out: Path | None, month: str) -> None:
    """The report as `pingan coverage report` prints it: CSV rounded to 4 places, to `out` or stdout."""
    report = report.round(4)
    if out:
        api.write_csv(report, out)
        print(f"wrote {len(report):,} areas of {month} to {out}", file=sys.stderr)
    else:
        api.write_csv(report, sys.stdout)


def _inputs(args: argparse.Namespace, progress: tqdm) -> tuple[api.CoverageInputs, str, api.CoverageConfig]:
    config = api.load_coverage_config(args.config)
    store = api.open_store(args.store)
    if not store.layers():
        raise api.StoreError(f"store {args.store} does not exist or is empty: build it with "
                             "`pingan demo build`")
    progress.set_description("reading the store")
    inputs = api.CoverageInputs.from_store(store)
    progress.update()
    return inputs, args.month or api.last_month(inputs), config


def _run_report(args: argparse.Namespace) -> int:
    """One CSV row per area (city, county, township, village): households and people within each
    level's band, the uncovered share, mediators per 10,000 residents, the caseload per mediator over the
    last twelve months and the dispute kinds with no specialist within reach."""
    with tqdm(total=2, file=sys.stderr, disable=None, leave=False) as progress:
        inputs, month, config = _inputs(args, progress)
        progress.set_description("measuring distances")
        report = api.mediator_coverage(inputs, month=month, level=args.level, config=config,
                                       specialty=args.specialty, by_kind=args.by_kind)
        progress.update()
    write_report(report, args.out, month)
    return 0


def _run_suggest(args: argparse.Namespace) -> int:
    """Choose new sites among village committee offices, township seats and gatehouses (or your own,
    --candidates) with the existing centres kept, by maximal covering (mclp, --sites N) or set covering
    (lscp: the fewest sites that reach everyone a candidate can reach). Prints the ranked sites with the
    households each newly covers and its marginal gain."""
    candidates = api.read_proposed_sites(args.candidates) if args.candidates else None
    with tqdm(total=2, file=sys.stderr, disable=None, leave=False) as progress:
        inputs, month, config = _inputs(args, progress)
        progress.set_description("choosing sites")
        result = api.suggest_sites(inputs, month=month, sites=args.sites, method=args.method,
                                   capacity=args.capacity, candidates=candidates, config=config,
                                   pinned=[site for site in args.keep.split(",") if site])
        progress.update()
    print(result.sites.to_string(index=False))
    gain = result.covered_after - result.covered_before
    print(f"{month}: {len(result.sites)} new site(s) bring {gain:,.0f} more households within the village "
          f"band: {result.covered_before:,.0f} -> {result.covered_after:,.0f} of {result.households:,.0f} "
          f"(greedy: {result.greedy_after:,.0f})")
    if args.out:
        if args.out.suffix.lower() == ".csv":
            api.write_csv(result.sites, args.out)
        else:
            api.write_suggested_sites(result.sites, args.out)
        print(f"wrote {len(result.sites)} site(s) to {args.out}", file=sys.stderr)
    return 0
