"""`pingan clients add|revoke|list` and `pingan wall-token create|revoke|list`: the holders of machine keys
(Open311 clients POSTing requests, wall kiosks). A key is printed once, when it is made; the store keeps
only its SHA-256, and a revoked key is refused from the next request on."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

from geo import api
from pingan_cli.audit_trail import record
from pingan_cli.options import Commands, add_store


@dataclass(frozen=True)
class KeyCommand:
    name: str
    ring: api.KeyRing
    make: str  # the verb that makes a holder: "add" or "create"
    key_field: str  # what the printed key is called
    help: str
    description: str
    detail: str = ""  # the help of --detail, for a ring whose holders may be given the detail right


COMMANDS = (
    KeyCommand("clients", api.OPEN311_CLIENT_KEYS, "add", "api_key",
               "add, revoke or list the Open311 clients that may POST requests",
               "Each client POSTs with its own API key, printed once by `add`; the store keeps only its "
               "SHA-256. A revoked key is refused (403) from the next request on.",
               detail="the client may read the listing in full: descriptions, addresses and exact "
                      "positions (a city system that holds the cases already, such as the 12345 hotline's); "
                      "each such listing is in the audit log"),
    KeyCommand("wall-token", api.WALL_TOKEN_KEYS, "create", "token",
               "create, revoke or list the tokens with which wall kiosks sign in",
               "A kiosk opens /wall?token=TOKEN once and keeps the session it gives: the wall's aggregates "
               "and nothing else. The token is printed once, by `create`; revoking it ends its sessions."),
)


def register(commands: Commands) -> None:
    for spec in COMMANDS:
        parser = commands.add_parser(spec.name, help=spec.help, description=spec.description)
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        making = actions.add_parser(spec.make, help=f"a new {spec.ring.noun}; its key is printed once")
        making.add_argument("holder_id", metavar="ID", help="1-32 lower-case letters, digits, - or _")
        making.add_argument("--name", default="", help="who or where it is (default: the id)")
        if spec.detail:
            making.add_argument("--detail", action="store_true", help=spec.detail)
        revoking = actions.add_parser("revoke", help=f"refuse a {spec.ring.noun}'s key from now on")
        revoking.add_argument("holder_id", metavar="ID")
        listing = actions.add_parser("list", help=f"print the {spec.ring.noun}s (never their keys)")
        listing.add_argument("--json", action="store_true", help="one JSON array instead of lines")
        for action in (making, revoking, listing):
            add_store(action)
        parser.set_defaults(run=_runner(spec))


def _runner(spec: KeyCommand):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace) -> int:
        store = api.open_store(args.store)
        ring = spec.ring
        if args.action == spec.make:
            rights = (api.Right.PERSONAL_FIELDS,) if getattr(args, "detail", False) else ()
            new = ring.add(store, args.holder_id, name=args.name, rights=rights)
            given = f" with {rights[0].value}" if rights else ""
            record(store, api.AuditAction.USER_CHANGE, f"added {ring.noun} {args.holder_id}{given}")
            print(json.dumps({ring.id_column: new.holder_id, spec.key_field: new.key}))
            return 0
        if args.action == "revoke":
            ring.revoke(store, args.holder_id)
            record(store, api.AuditAction.USER_CHANGE, f"revoked {ring.noun} {args.holder_id}")
            print(f"revoked {args.holder_id}")
            return 0
        holders = ring.read(store).drop(columns=["key_sha256"])
        rows = [{k: ("" if v is None else str(v)) for k, v in row.items()}
                for row in holders.to_dict("records")]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
        else:
            for row in rows:
                state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
                rights = f"\t{row['rights']}" if row["rights"] else ""
                print(f"{row[ring.id_column]}\t{row['name']}\t{row['created_at']}\t{state}{rights}")
        return 0

    return run
