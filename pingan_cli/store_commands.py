"""`pingan store migrate`: copy a store between a GeoPackage file and a PostGIS database."""

from __future__ import annotations

import argparse
import sys

from geo import api


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "store", help="copy a store between a GeoPackage and PostGIS",
        description="Work on a store as a whole.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    migrate = actions.add_parser(
        "migrate", help="copy every layer to another store, checked row by row",
        description="Copy every layer of --from to --to (a .gpkg path or a postgresql:// URL) in one "
        "transaction, replacing the layers of the same names there, then compare each layer's row count "
        "and checksum. Exit 2 when a layer differs.",
    )
    migrate.add_argument("--from", dest="source", required=True, metavar="STORE",
                         help="the store to copy: a .gpkg path or postgresql://user@host:port/db")
    migrate.add_argument("--to", dest="target", required=True, metavar="STORE", help="where to copy it")
    migrate.set_defaults(run=_run_migrate)


def _run_migrate(args: argparse.Namespace) -> int:
    if args.source == args.target:
        raise api.StoreError(f"--from and --to are the same store: {args.source}")
    checks = api.migrate_store(api.open_store(args.source), api.open_store(args.target))
    for check in checks:
        print(f"{check.layer:<20} {check.rows:>9,} rows  sha256 {check.checksum[:16]}  same in both")
    print(f"copied {len(checks)} layers from {args.source} to {args.target}", file=sys.stderr)
    return 0
