"""The audit trail of what viewers do on the pages: exports, uploads, quarantine actions, boundary saves
and account changes, each with who, when and from which address (geo's audit log)."""

from __future__ import annotations

import flask

from dashboard.access.sessions import current_viewer
from dashboard.data.accounts import Accounts
from geo.api import AuditAction


def request_address() -> str:
    return (flask.request.remote_addr if flask.has_request_context() else None) or "local"


def record(accounts: Accounts, action: AuditAction, detail: str) -> None:
    """One audit row naming the viewer of the request (nothing outside a signed-in request)."""
    viewer = current_viewer()
    if viewer is not None:
        accounts.record(viewer, action, detail, address=request_address())
