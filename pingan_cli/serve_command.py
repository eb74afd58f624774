"""`pingan serve`: the dashboard on a store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Final

import waitress

from pingan_cli.options import Commands, add_command, add_server, add_store

#: Requests served at once. An Open311 POST holds its thread until the batch it joined is written, so the
#: threads bound a batch: with 8, at most 8 cases shared a batch's fixed cost, whatever the load.
SERVER_THREADS: Final = 32


def register(commands: Commands) -> None:
    parser = add_command(commands, "serve", run, help="serve the dashboard on a store")
    add_store(parser)
    add_server(parser)
    parser.add_argument("--config", type=Path, metavar="FILE.toml", dest="warning_config",
                        help="a centre's own warning index weights and thresholds for every page and the "
                             "wall (default: $PINGAN_WARNING_CONFIG or the built-in file)")
    wall = parser.add_argument_group("command-centre wall (/wall)")
    # Unset flags stay None, so that the PINGAN_WALL_* variables decide.
    wall.add_argument("--wall-only", action="store_true", default=None,
                      help="serve only the wall: / and every other page redirect to /wall, for a kiosk "
                           "browser (or PINGAN_WALL_ONLY=1)")
    wall.add_argument("--wall-rotate", type=float, metavar="SECONDS", dest="wall_rotate_seconds",
                      help="seconds each wall view stays on screen "
                           "(default: $PINGAN_WALL_ROTATE_SECONDS or 20)")
    wall.add_argument("--wall-refresh", type=float, metavar="SECONDS", dest="wall_refresh_seconds",
                      help="seconds between the wall's data refreshes "
                           "(default: $PINGAN_WALL_REFRESH_SECONDS or 30)")


def serve(
    store: Path | str,
    host: str,
    port: int,
    *,
    wall_only: bool | None = None,
    wall_rotate_seconds: float | None = None,
    wall_refresh_seconds: float | None = None,
    warning_config: Path | None = None,
) -> None:
    from dashboard.app import create_app
    from dashboard.settings import Settings

    wall = {"wall_only": wall_only, "wall_rotate_seconds": wall_rotate_seconds,
            "wall_refresh_seconds": wall_refresh_seconds, "warning_config": warning_config}
    settings = Settings.from_env(store=store, host=host, port=port,
                                 **{name: value for name, value in wall.items() if value is not None})
    app = create_app(settings)
    shown = "wall only, at /wall" if settings.wall_only else "the wall at /wall"
    print(f"Pingan Grid on http://{host}:{port}/ ({shown}; store {store}); sign in at "
          f"http://{host}:{port}/login", flush=True)
    # A production WSGI server: walls run unattended for days, which Flask's development server is not for.
    waitress.serve(app.server, host=host, port=port, threads=SERVER_THREADS, ident="pingan")


def run(args: argparse.Namespace) -> int:
    """Serve the dashboard for a store on http://HOST:PORT."""
    from dashboard.settings import SettingsError

    try:
        serve(args.store, args.host, args.port, wall_only=args.wall_only,
              wall_rotate_seconds=args.wall_rotate_seconds, wall_refresh_seconds=args.wall_refresh_seconds,
              warning_config=args.warning_config)
    except SettingsError as error:
        print(f"pingan serve: {error}", file=sys.stderr)
        return 2
    return 0
