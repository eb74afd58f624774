"""`pingan`: one command for every job. It is the one place that knows both geo and the dashboard."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from geo.api import GeoInputError
from pingan_cli import (
    archive_commands,
    batch_commands,
    boundaries_commands,
    coverage_commands,
    demo_commands,
    events_commands,
    export_commands,
    index_commands,
    ingest_commands,
    key_commands,
    routes_commands,
    serve_command,
    store_commands,
    users_commands,
)

_GROUPS = (
    demo_commands, serve_command, ingest_commands, index_commands, boundaries_commands, routes_commands,
    coverage_commands, store_commands, events_commands, key_commands, export_commands, users_commands,
    archive_commands, batch_commands,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pingan",
        description="Pingan Grid: grids, incidents, warning levels and mediation for grid-based governance.",
        epilog="Run `pingan COMMAND --help` for the options of each command.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in _GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except GeoInputError as error:
        print(f"pingan {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
