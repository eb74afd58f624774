"""`pingan ingest`, `pingan join` and `pingan quarantine`: incident intake from files, a store-free
point-in-grid join, and the rows an import set aside."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import pandas as pd

from geo import api
from pingan_cli.audit_trail import record
from pingan_cli.options import Commands, add_command, add_group, add_store

_SOURCE_DIR_ENV = "PINGAN_SOURCE_DIR"


def register(commands: Commands) -> None:
    _register_ingest(commands)
    _register_join(commands)
    _register_quarantine(commands)


def _register_ingest(commands: Commands) -> None:
    parser = add_command(commands, "ingest", _run_ingest,
                         help="import an incident file into a store (rejected rows go to the quarantine)")
    parser.add_argument("file", type=Path, metavar="FILE", help="the incident file")
    add_store(parser)
    parser.add_argument("--source", metavar="NAME",
                        help="source profile: app, hotline, miniprogram, open311, a NAME from --profile-dir, "
                        "or a path to NAME.toml (default: recognised from the headers)")
    parser.add_argument("--crs", metavar="CRS",
                        help=f"override the profile's CRS ({', '.join(api.CRS_NAMES)})")
    parser.add_argument("--encoding", metavar="ENC",
                        help="text encoding of a CSV (default: detect UTF-8 or GBK)")
    _add_profile_dirs(parser)


def _add_profile_dirs(parser: argparse.ArgumentParser) -> None:
    from_env = [p for p in os.environ.get(_SOURCE_DIR_ENV, "").split(os.pathsep) if p]
    parser.add_argument("--profile-dir", dest="profile_dirs", action="append", type=Path, default=from_env,
                        metavar="DIR", help=f"folder of extra NAME.toml source profiles (repeatable; "
                        f"default: ${_SOURCE_DIR_ENV})")


def _register_join(commands: Commands) -> None:
    parser = add_command(commands, "join", _run_join,
                         help="assign the points of a file to grid polygons (no store needed)")
    parser.add_argument("--points", type=Path, required=True, metavar="FILE", help="points file")
    parser.add_argument("--grids", type=Path, required=True, metavar="FILE", help="grid polygons file")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.csv", help="CSV to write")
    parser.add_argument("--points-crs", metavar="CRS",
                        help=f"CRS of the points' degrees ({', '.join(api.CRS_NAMES)}; default wgs84)")
    parser.add_argument("--id-column", metavar="NAME",
                        help="point id column (default: id, else the row position)")
    parser.add_argument("--code-column", default="code", metavar="NAME",
                        help="grid code column (default: %(default)s)")
    parser.add_argument("--encoding", metavar="ENC", help="text encoding of a points CSV (default: detect)")


def _register_quarantine(commands: Commands) -> None:
    actions = add_group(commands, "quarantine", help="list or export the rows that imports set aside",
                        description="List or export quarantined rows, with their reason, file and row.")
    listing = add_command(actions, "list", _run_list, help="print the quarantined rows (without the raw row)")
    exporting = add_command(actions, "export", _run_export,
                            help="write the quarantined rows, raw rows included, as CSV")
    for action in (listing, exporting):
        add_store(action)
        action.add_argument("--import-id", metavar="ID", help="only this import")
        action.add_argument("--source", metavar="NAME", help="only this source")
        action.add_argument("--reason", metavar="CODE", help="only this reason code")
    listing.add_argument("--json", action="store_true", help="print JSON records instead of a table")
    exporting.add_argument("--out", type=Path, metavar="FILE.csv",
                           help="CSV to write (default: standard output)")


def _run_ingest(args: argparse.Namespace) -> int:
    """Read an incident file (CSV in UTF-8/GBK, XLSX, GeoJSON, or Open311 GeoReport v2 requests in
    JSON or XML), check every row, convert coordinates, geocode addresses, assign grids and append to the
    store in one transaction. Prints a JSON summary: read, accepted, quarantined, skipped_existing,
    reasons, flags, unmapped_categories (source codes stored as `other`). Exit 0 when the file was read
    (even with quarantined rows), 2 when it cannot be read."""
    summary = api.ingest_file(args.file, api.open_store(args.store), source=args.source, crs=args.crs,
                              encoding=args.encoding, profile_dirs=args.profile_dirs)
    json.dump(summary.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def _run_join(args: argparse.Namespace) -> int:
    """Read points (CSV/XLSX with lon/lat columns, or any vector file) and grid polygons (any vector
    file) and write a CSV with the point id, grid_code (empty when outside) and flags (outside, near_edge,
    bad_coordinate). A point on a shared edge goes to the lowest grid code."""
    frame = api.join_points_file(args.points, args.grids, points_crs=args.points_crs,
                                 id_column=args.id_column, code_column=args.code_column,
                                 encoding=args.encoding)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    api.write_csv(frame, args.out)  # the ids are the user's own text: formula-safe for Excel
    inside = int((frame["grid_code"] != "").sum())
    print(f"wrote {args.out}: {len(frame)} points, {inside} in a grid, "
          f"{len(frame) - inside} outside or unusable", file=sys.stderr)
    return 0


def _quarantined(args: argparse.Namespace) -> pd.DataFrame:
    if not api.is_database_url(args.store) and not Path(args.store).is_file():
        raise api.StoreError(f"store {args.store} does not exist: ingest a file into it first")
    return api.read_quarantine(api.open_store(args.store), import_id=args.import_id, source=args.source,
                               reason=args.reason)


def _run_list(args: argparse.Namespace) -> int:
    """Print quarantined rows: import, file, row, reason and detail."""
    frame = _quarantined(args)
    shown = frame.drop(columns=["raw"], errors="ignore")
    if args.json:
        records = json.loads(shown.to_json(orient="records", date_format="iso", force_ascii=False))
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for row in shown.itertuples(index=False):
        print(f"{row.file_name}:{row.row_number}\t{row.reason}\t{row.detail}\t({row.import_id})")
    counts = frame["reason"].value_counts().to_dict() if len(frame) else {}
    print(f"{len(frame)} quarantined row(s)" + "".join(f"; {k} {v}" for k, v in counts.items()))
    return 0


def _run_export(args: argparse.Namespace) -> int:
    """Write quarantined rows as CSV (UTF-8 with BOM for Excel)."""
    frame = _quarantined(args)
    count = api.export_quarantine(frame, args.out if args.out is not None else sys.stdout)
    record(api.open_store(args.store), api.AuditAction.QUARANTINE,
           f"exported {count} quarantined rows to {args.out or 'stdout'}")
    if args.out is not None:
        print(f"wrote {count} quarantined row(s) to {args.out}", file=sys.stderr)
    return 0
