"""`pingan boundaries export|import|diff|history`: the planners' QGIS round trip over boundary versions.
An import goes through the same checks and impact preview as an edit in the browser, and saves only with
--yes. `pingan boundaries wartime` saves a wartime micro-grid layer below one grid."""

from __future__ import annotations

import argparse
import getpass
import os
from datetime import date
from pathlib import Path

import pandas as pd

from geo import api
from pingan_cli.audit_trail import record
from pingan_cli.options import Commands, add_command, add_store, iso_date

_SHOWN_ROWS = 20


def register_actions(actions: Commands) -> None:
    exporting = add_command(actions, "export", _run_export,
                            help="write the grids of one boundary version for QGIS")
    exporting.add_argument("--version", required=True, metavar="V", help="a version id (see `history`)")
    exporting.add_argument("--format", choices=sorted(api.LAYOUT_DRIVERS), default="gpkg")
    exporting.add_argument("--out", type=Path, required=True, metavar="FILE")
    exporting.add_argument("--parent", default="", metavar="CODE",
                           help="only the grids of this township or village")
    add_store(exporting)

    importing = add_command(actions, "import", _run_import_layout,
                            help="check a layout edited in QGIS, preview its impact, save it with --yes")
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--parent", required=True, metavar="CODE", help="township or village code")
    _add_change(importing)
    importing.add_argument("--policy", type=Path, default=None, metavar="FILE.toml",
                           help="grid policy (default: geo/config/grid_policy.toml)")
    importing.add_argument("--yes", action="store_true", help="save when nothing stops it")
    add_store(importing)

    diffing = add_command(actions, "diff", _run_diff,
                          help="grids added, removed or changed between two versions")
    diffing.add_argument("first", metavar="V1")
    diffing.add_argument("second", metavar="V2")
    add_store(diffing)
    add_store(add_command(actions, "history", _run_history, help="every boundary version, oldest first"))

    wartime = add_command(actions, "wartime", _run_wartime,
                          help="cut a wartime micro-grid layer below one grid and save it as a new version")
    wartime.add_argument("grid", metavar="CODE", help="the grid's 15-digit code")
    wartime.add_argument("--count", type=int, required=True, help="how many micro-grids (2-99)")
    _add_change(wartime)
    wartime.add_argument("--seed", type=int, default=0, help="seed of the cut (same seed, same cut)")
    add_store(wartime)


def _add_change(parser: argparse.ArgumentParser) -> None:
    """What every saved version records: from when, why and by whom."""
    parser.add_argument("--effective", required=True, type=iso_date, metavar="YYYY-MM-DD")
    parser.add_argument("--reason", required=True, metavar="TEXT")
    parser.add_argument("--author", default=os.environ.get("PINGAN_AUTHOR") or getpass.getuser(),
                        help="who saves (default: $PINGAN_AUTHOR or the login name)")


def _run_wartime(args: argparse.Namespace) -> int:
    """Cut grid CODE into --count micro-grids (building or unit micro-grids, codes CODE + 2 digits,
    households shared by area) and save them in force from --effective."""
    store = api.open_store(args.store)
    micro = api.wartime_micro_grids(store, args.grid, count=args.count, seed=args.seed)
    version = api.save_micro_grids(store, micro, effective=args.effective, author=args.author,
                                   reason=args.reason)
    record(store, api.AuditAction.BOUNDARY_SAVE, f"version {version}: {len(micro)} wartime micro-grids of "
           f"{args.grid} by {args.author}: {args.reason}")
    pairs = zip(micro[api.Col.CODE], micro[api.Col.HOUSEHOLDS], strict=True)
    households = ", ".join(f"{code} {count}" for code, count in pairs)
    print(f"saved {version}: {len(micro)} micro-grids of {args.grid} ({households} households)")
    return 0


def _run_export(args: argparse.Namespace) -> int:
    """Write the grids of boundary version V (those of its parent, as in force on the day it took
    effect) as a GeoPackage, GeoJSON or Shapefile."""
    store = api.open_store(args.store)
    areas, versions = store.read(api.Layer.AREAS), store.read(api.Layer.BOUNDARY_VERSIONS)
    grids = api.version_layout(areas, versions, args.version)
    grids = grids[grids[api.Col.CODE].str.startswith(args.parent)]
    written = api.write_layout_file(grids, args.out, file_format=args.format)
    print(f"wrote {len(grids)} grids of {args.version} to {written}")
    return 0


def _run_import_layout(args: argparse.Namespace) -> int:
    """Read the grids of one parent from FILE, list every problem (file, feature, code, what is
    wrong), print the impact preview, and with --yes save it as a new boundary version. Exit 1 when a
    problem stops the save."""
    store = api.open_store(args.store)
    candidate = api.read_layout_file(args.file, api.open_candidate(store, args.parent))
    policy = api.load_grid_policy(args.policy)
    problems = api.check_candidate(candidate, policy=policy)
    features = {code: number for number, code in enumerate(candidate.grids[api.Col.CODE], 1)}
    for problem in problems:
        where = (
            f"feature {features[problem.code]} (code {problem.code})"
            if problem.code in features
            else f"parent {problem.code}"
        )
        print(f"{args.file}: {where}: {problem.detail}{'' if problem.blocking else ' [note]'}")
    blocking = [p for p in problems if p.blocking]
    if blocking:
        print(f"not saved: {len(blocking)} problem(s) stop the save")
        return 1
    _print_impact(candidate, store, args.effective)
    if not args.yes:
        print("preview only: run again with --yes to save")
        return 0
    saved = api.save_candidate(
        store, candidate, effective=args.effective, author=args.author, reason=args.reason, policy=policy
    )
    record(store, api.AuditAction.BOUNDARY_SAVE, f"version {saved.version_id} of {saved.parent_code} from "
           f"{args.file} by {args.author}, in force from {saved.effective.isoformat()}: {args.reason}")
    print(
        f"saved {saved.version_id}: {saved.grids_opened} grid row(s) opened, {saved.grids_closed} closed, "
        f"{saved.incidents_regridded} incident(s) and {saved.addresses_regridded} address(es) re-assigned"
    )
    return 0


def _print_impact(candidate: api.Candidate, store: api.Store, effective: date) -> None:
    impact = api.candidate_impact(
        candidate,
        areas=store.read(api.Layer.AREAS),
        incidents=store.read(api.Layer.INCIDENTS),
        addresses=store.read(api.Layer.ADDRESSES),
        workers=store.read(api.Layer.GRID_WORKERS),
        effective=effective,
    )
    _table("grids that change", impact.grids)
    _table(f"incidents from {effective} that change grid", impact.incidents)
    _table("addresses that change grid", impact.addresses)
    _table("grid workers that change grid", impact.workers)
    changed = impact.warnings[
        impact.warnings[api.PlanCol.WARNING_BEFORE] != impact.warnings[api.PlanCol.WARNING_AFTER]
    ]
    _table("warning levels of the affected grids, last 12 months (months that differ)", changed)


def _table(title: str, table: pd.DataFrame) -> None:
    print(f"\n{title}: {len(table)}")
    if len(table):
        print(table.head(_SHOWN_ROWS).to_string(index=False))
        if len(table) > _SHOWN_ROWS:
            print(f"... and {len(table) - _SHOWN_ROWS} more")


def _run_diff(args: argparse.Namespace) -> int:
    """Grids added, removed, reshaped, noded or recounted from V1 to V2."""
    table = api.diff_versions(api.open_store(args.store), args.first, args.second)
    print(
        table.to_string(index=False) if len(table) else f"{args.first} and {args.second} have the same grids"
    )
    return 0


def _run_history(args: argparse.Namespace) -> int:
    """Every boundary version with its parent, effective date, author, reason and when it was saved."""
    print(api.boundary_history(api.open_store(args.store)).to_string(index=False))
    return 0
