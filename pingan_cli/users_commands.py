"""`pingan users add|passwd|disable|enable|list` and `pingan audit list`: accounts and the audit log."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable

from geo import api
from pingan_cli.options import Commands, add_command, add_group, add_store


def register(commands: Commands) -> None:
    actions = add_group(commands, "users",
                        help="accounts that may sign in: add, passwd, disable, enable, list",
                        description="Accounts with a role and an area scope.")
    adding = add_command(actions, "add", _run_add,
                         help="a new account (the password is asked for, or read from stdin)")
    adding.add_argument("user_id")
    adding.add_argument("--role", required=True, choices=[role.value for role in api.Role])
    adding.add_argument("--scope", required=True, metavar="CODE",
                        help="the area the user sees, with everything below it (the city code: all)")
    for parser in (adding, add_command(actions, "passwd", _run_passwd, help="a new password (lifts a lock)")):
        if parser is not adding:
            parser.add_argument("user_id")
        parser.add_argument("--password-stdin", action="store_true",
                            help="read the password from the first line of stdin instead of asking")
        add_store(parser)
    for verb, helped, change in (("disable", "refuse the account's sign-ins from now on", api.disable_user),
                                 ("enable", "let a disabled account sign in again", api.enable_user)):
        switching = actions.add_parser(verb, help=helped)
        switching.add_argument("user_id")
        add_store(switching)
        switching.set_defaults(run=_switch(verb, change))
    add_store(add_command(actions, "list", _run_list,
              help="every account: role, scope, locked or disabled (no hashes)"))
    audit = add_group(commands, "audit", help="the audit log", description="Who did what, when, from where.")
    audit_list = add_command(audit, "list", _run_audit, help="the log, oldest first, as JSON lines")
    audit_list.add_argument("--actor", help="only this user id")
    audit_list.add_argument("--action", dest="kind", choices=[a.value for a in api.AuditAction])
    add_store(audit_list)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise api.GeoInputError("the two passwords differ: nothing was changed")
    return first


def _run_add(args: argparse.Namespace) -> int:
    user = api.add_user(api.open_store(args.store), args.user_id, _password(args), role=args.role,
                        area_scope=args.scope)
    print(f"added {user.user_id}: {user.role.value} of {user.area_scope}")
    return 0


def _run_passwd(args: argparse.Namespace) -> int:
    api.set_password(api.open_store(args.store), args.user_id, _password(args))
    print(f"new password for {args.user_id}")
    return 0


def _switch(verb: str, change: Callable[..., None]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        change(api.open_store(args.store), args.user_id)
        print(f"{verb}d {args.user_id}")
        return 0

    return run


def _run_list(args: argparse.Namespace) -> int:
    users = api.read_users(api.open_store(args.store)).drop(columns=["password_hash"])
    print(users.to_string(index=False) if len(users) else "no users")
    return 0


def _run_audit(args: argparse.Namespace) -> int:
    log = api.read_audit(api.open_store(args.store), actor=args.actor, action=args.kind)
    for row in log.to_dict(orient="records"):
        print(json.dumps(row, ensure_ascii=False))
    return 0
