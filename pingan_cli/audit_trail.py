"""What the command line does that someone may ask about later goes in the store's audit log: exports,
boundary saves, quarantine exports and machine keys, done by "cli:<the OS user>" from "local"."""

from __future__ import annotations

import getpass

from geo import api


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return "cli"


def record(store: api.Store, action: api.AuditAction, detail: str) -> None:
    api.audit(store, cli_actor(), action, detail)
