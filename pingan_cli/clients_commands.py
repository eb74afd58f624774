"""`pingan clients add|revoke|list`: who may POST Open311 requests to /open311/v2/requests.json."""

from __future__ import annotations

import argparse
import json

from geo import api
from pingan_cli.options import add_store


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "clients", help="add, revoke or list the Open311 clients that may POST requests",
        description="Each client POSTs with its own API key. The key is printed once, by `add`; the store "
        "keeps only its SHA-256. A revoked key is refused (403) from the next request on.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    adding = actions.add_parser("add", help="add a client and print its API key once")
    adding.add_argument("client_id", metavar="CLIENT", help="1-32 lower-case letters, digits, - or _")
    adding.add_argument("--name", default="", help="who the client is (default: the id)")
    revoking = actions.add_parser("revoke", help="refuse a client's key from now on")
    revoking.add_argument("client_id", metavar="CLIENT")
    listing = actions.add_parser("list", help="print the clients (never their keys)")
    listing.add_argument("--json", action="store_true", help="one JSON array instead of lines")
    for action in (adding, revoking, listing):
        add_store(action)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    store = api.open_store(args.store)
    if args.action == "add":
        new = api.add_client(store, args.client_id, name=args.name)
        print(json.dumps({"client_id": new.client_id, "api_key": new.api_key}))
        return 0
    if args.action == "revoke":
        api.revoke_client(store, args.client_id)
        print(f"revoked {args.client_id}")
        return 0
    clients = api.read_clients(store).drop(columns=["key_sha256"])
    rows = [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in clients.to_dict("records")]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for row in rows:
            state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
            print(f"{row['client_id']}\t{row['name']}\t{row['created_at']}\t{state}")
    return 0
