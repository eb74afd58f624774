"""`pingan store migrate`: copy a store between a GeoPackage file and a PostGIS database;
`pingan store upgrade`: bring a store of an older schema to this version's, in place."""

from __future__ import annotations

import argparse
import sys

from geo import api
from pingan_cli.options import Commands, add_command, add_group, add_store


def register(commands: Commands) -> None:
    actions = add_group(commands, "store", description="Work on a store as a whole.",
                        help="copy a store between a GeoPackage and PostGIS, or upgrade it in place")
    migrate = add_command(actions, "migrate", _run_migrate,
                          help="copy every layer to another store, checked row by row")
    migrate.add_argument("--from", dest="source", required=True, metavar="STORE",
                         help="the store to copy: a .gpkg path or postgresql://user@host:port/db")
    migrate.add_argument("--to", dest="target", required=True, metavar="STORE", help="where to copy it")
    upgrade = add_command(actions, "upgrade", _run_upgrade,
                          help="rewrite an older store's times as UTC, in place")
    add_store(upgrade)


def _run_migrate(args: argparse.Namespace) -> int:
    """Copy every layer of --from to --to (a .gpkg path or a postgresql:// URL) in one transaction,
    replacing the layers of the same names there, then compare each layer's row count and checksum. Exit
    2 when a layer differs."""
    if args.source == args.target:
        raise api.StoreError(f"--from and --to are the same store: {args.source}")
    checks = api.migrate_store(api.open_store(args.source), api.open_store(args.target))
    for check in checks:
        print(f"{check.layer:<20} {check.rows:>9,} rows  sha256 {check.checksum[:16]}  same in both")
    print(f"copied {len(checks)} layers from {args.source} to {args.target}", file=sys.stderr)
    return 0


def _run_upgrade(args: argparse.Namespace) -> int:
    """Bring the store to this version's store schema in one transaction: times kept without a zone
    (Beijing wall-clock time, schema 1) are rewritten as UTC (GeoPackage DATETIME with Z; PostGIS
    timestamptz) and the schema is recorded in the meta layer. Months, overdue days and every figure stay
    the same. A store already upgraded is left as it is."""
    rewritten = api.upgrade_store(args.store)
    for column, values in rewritten.items():
        print(f"{column:<32} {values:>9,} times now in UTC")
    print(f"{args.store} is at store schema {api.STORE_SCHEMA}", file=sys.stderr)
    return 0
