"""The audit log in the store: who did what, when and from where. Rows are only ever appended."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import pandas as pd

from geo.errors import GeoInputError
from geo.schema import AUDIT_COLUMNS, AuditCol, Layer
from geo.store import Store

_LAYER: Final = Layer.AUDIT.value


class AuditAction(StrEnum):
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    EXPORT = "export"
    IMPORT = "import"
    BOUNDARY_SAVE = "boundary_save"
    QUARANTINE = "quarantine"
    USER_CHANGE = "user_change"


def utc_now() -> str:
    return pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def audit(store: Store, actor: str, action: AuditAction | str, detail: str = "", *,
          address: str = "local") -> None:
    """Append one row; GeoInputError for an action the log does not know."""
    try:
        kind = AuditAction(action)
    except ValueError:
        allowed = ", ".join(a.value for a in AuditAction)
        raise GeoInputError(f"unknown audit action {action!r}: allowed are {allowed}") from None
    row = pd.DataFrame([{AuditCol.AT: utc_now(), AuditCol.ACTOR: actor, AuditCol.ACTION: kind.value,
                         AuditCol.DETAIL: detail, AuditCol.ADDRESS: address}],
                       columns=[c.value for c in AUDIT_COLUMNS])
    store.write({_LAYER: row}, mode="append")


def read_audit(store: Store, *, actor: str | None = None, action: str | None = None) -> pd.DataFrame:
    """The log, oldest first, of one actor and/or one action when given; empty when nothing was logged."""
    if _LAYER not in store.layers():
        return pd.DataFrame({c.value: pd.Series(dtype=object) for c in AUDIT_COLUMNS})
    equals = {name: value for name, value in ((AuditCol.ACTOR.value, actor), (AuditCol.ACTION.value, action))
              if value is not None}
    frame = pd.DataFrame(store.read(_LAYER, equals=equals))
    return frame[[c.value for c in AUDIT_COLUMNS]].reset_index(drop=True)
