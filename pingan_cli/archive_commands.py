"""`pingan archive export|import`: incidents to and from a GeoParquet archive, one file per month of report
under DIR/year=YYYY/month=MM/ (rows without a date under year=0000/month=00), for the history a store need
not hold and for `pingan batch`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo import api
from pingan_cli.options import Commands, add_command, add_group, add_store


def register(commands: Commands) -> None:
    actions = add_group(commands, "archive", description=__doc__,
                        help="write incidents to a GeoParquet archive by month, or load one back")
    export = add_command(actions, "export", _run_export,
                         help="write the store's incidents to DIR, replacing those months")
    export.add_argument("--out", type=Path, required=True, metavar="DIR")
    export.add_argument("--from", dest="start", metavar="YYYY-MM", help="first month (default: the first)")
    export.add_argument("--to", dest="end", metavar="YYYY-MM", help="last month (default: the last)")
    add_store(export)
    loading = add_command(actions, "import", _run_import, help="append an archive's incidents to the store")
    loading.add_argument("archive", type=Path, metavar="DIR")
    add_store(loading)


def _run_export(args: argparse.Namespace) -> int:
    """Write the store's incidents of --from to --to as monthly GeoParquet partitions under --out; a month
    already there is replaced."""
    store = api.open_store(args.store)
    if api.Layer.INCIDENTS.value not in store.layers():
        raise api.StoreError(f"store {args.store} has no incidents: build one with `pingan demo build`")
    incidents = api.incidents_of_months(store.read(api.Layer.INCIDENTS.value), args.start, args.end)
    if not len(incidents):
        raise api.GeoInputError(f"store {args.store} has no incidents from {args.start} to {args.end}")
    written = api.write_archive(incidents, args.out)
    print(f"{len(incidents):,} incidents written to {args.out} in {len(written)} monthly partitions")
    return 0


def _run_import(args: argparse.Namespace) -> int:
    """Append an archive's incidents to the store. Rows whose (source, source_id) the store already holds
    are skipped, so a second import of the same archive adds nothing."""
    incidents = api.read_archive(args.archive)
    store = api.open_store(args.store)
    added = store.write({api.Layer.INCIDENTS.value: incidents}, mode="append")[api.Layer.INCIDENTS.value]
    skipped = len(incidents) - added
    print(f"{len(incidents):,} incidents read from {args.archive}: {added:,} added, {skipped:,} skipped "
          "(already in the store by source and source_id)", file=sys.stdout)
    return 0
