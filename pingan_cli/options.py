"""Options that several commands share, so they read and default the same everywhere, and the two ways a
command is declared: a group of actions, or a command that runs a function."""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

from geo.api import store_location

DEFAULT_STORE = Path("var") / "pingan-demo.gpkg"

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Run: TypeAlias = Callable[[argparse.Namespace], int]


def add_group(
    commands: Commands, name: str, *, help: str, description: str | None, dest: str = "action"
) -> Commands:
    """`pingan NAME ACTION`: a command whose actions are added to what this returns."""
    parser = commands.add_parser(name, help=help, description=description)
    return parser.add_subparsers(dest=dest, metavar=dest.upper(), required=True)


def add_command(commands: Commands, name: str, run: Run, *, help: str) -> argparse.ArgumentParser:
    """A command that calls `run` with the parsed arguments; `--help` describes it with run's docstring, so
    the description stands beside the code it describes."""
    parser = commands.add_parser(name, help=help, description=inspect.getdoc(run))
    parser.set_defaults(run=run)
    return parser


def default_store() -> Path | str:
    return store_location(os.environ.get("PINGAN_STORE") or str(DEFAULT_STORE))


def add_store(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=store_location,
        default=default_store(),
        metavar="PATH",
        help="GeoPackage store, or a PostGIS store's postgresql:// URL (default: $PINGAN_STORE or "
        "%(default)s)",
    )


def iso_date(text: str) -> dt.date:
    """A YYYY-MM-DD argument; anything else is a usage error naming the text."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD date") from error


def add_server(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default=os.environ.get("PINGAN_HOST", "127.0.0.1"),
        help="address to listen on (default: %(default)s)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PINGAN_PORT", "8050")),
        help="port to listen on (default: %(default)s)",
    )
