"""Pure views of the admin page: the accounts and the audit log as rows of plain text."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import text
from geo.api import AuditAction, AuditCol, Role, UserCol

#: Audit rows shown at once (the newest); `pingan audit list` has them all.
AUDIT_SHOWN = 200


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def user_rows(users: pd.DataFrame, lang: str) -> list[dict[str, str]]:
    """Every account: role, scope, failed sign-ins, lock and whether it is disabled (never a hash)."""
    rows = []
    for _, user in users.iterrows():
        disabled = _cell(user[UserCol.DISABLED_AT.value])
        rows.append({
            "user_id": _cell(user[UserCol.USER_ID.value]),
            "role": text(lang, f"role.{user[UserCol.ROLE.value]}", default=_cell(user[UserCol.ROLE.value])),
            "scope": _cell(user[UserCol.AREA_SCOPE.value]),
            "failed": _cell(user[UserCol.FAILED_SIGN_INS.value]),
            "locked_until": _cell(user[UserCol.LOCKED_UNTIL.value]),
            "state": text(lang, "admin.disabled", at=disabled) if disabled else text(lang, "admin.active"),
        })
    return rows


def audit_rows(log: pd.DataFrame) -> list[dict[str, str]]:
    """The newest AUDIT_SHOWN rows of the log: when, who, what, from where."""
    columns = (AuditCol.AT, AuditCol.ACTOR, AuditCol.ACTION, AuditCol.DETAIL, AuditCol.ADDRESS)
    return [{c.value: _cell(row[c.value]) for c in columns} for _, row in log.head(AUDIT_SHOWN).iterrows()]


def role_options(lang: str) -> list[dict[str, str]]:
    return [{"label": text(lang, f"role.{role.value}"), "value": role.value} for role in Role]


def action_options() -> list[dict[str, str]]:
    return [{"label": action.value, "value": action.value} for action in AuditAction]
