"""Options that several commands share, so they read and default the same everywhere."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from geo.api import store_location

DEFAULT_STORE = Path("var") / "pingan-demo.gpkg"


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
