"""`pingan serve`: the dashboard on a store."""

from __future__ import annotations

import argparse
from pathlib import Path

from pingan_cli.options import add_server, add_store


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("serve", help="serve the dashboard on a store",
                                 description="Serve the dashboard for a store on http://HOST:PORT.")
    add_store(parser)
    add_server(parser)
    parser.set_defaults(run=run)


def serve(store: Path, host: str, port: int) -> None:
    from dashboard.app import create_app
    from dashboard.settings import Settings

    settings = Settings.from_env(store=store, host=host, port=port)
    app = create_app(settings)
    print(f"Pingan Grid on http://{host}:{port}/ (store {store})", flush=True)
    app.run(host=host, port=port, debug=False)


def run(args: argparse.Namespace) -> int:
    serve(args.store, args.host, args.port)
    return 0
