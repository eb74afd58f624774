"""Long random keys held by machines rather than people: Open311 clients and wall kiosks. Each holder has
an id, a name and a key; the store keeps only the key's SHA-256 (a key is 32 random bytes, so a plain hash
cannot be reversed by guessing) and the key itself is shown once, when it is made. A holder may be given
rights beyond its kind's own (an Open311 client that may read personal fields). A revoked holder keeps
its row, with the time, so the audit log still names it."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import pandas as pd

from geo.accounts.audit import utc_now
from geo.accounts.roles import Right
from geo.errors import GeoInputError
from geo.store import Store

_HOLDER_ID: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
#: Column names every key ring shares; the id column is each ring's own.
NAME: Final = "name"
KEY_SHA256: Final = "key_sha256"
CREATED_AT: Final = "created_at"
REVOKED_AT: Final = "revoked_at"
RIGHTS: Final = "rights"  # comma-separated geo.accounts.roles.Right values; empty in rings made before it


@dataclass(frozen=True)
class NewKey:
    holder_id: str
    key: str  # shown once; the store has only its hash


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KeyRing:
    """The holders of one kind of key, in one store layer."""

    layer: str
    id_column: str
    noun: str  # "client", "wall token": what the messages call a holder
    revoke_command: str  # the command that revokes one, named in the "already exists" message

    @property
    def columns(self) -> list[str]:
        return [self.id_column, NAME, KEY_SHA256, CREATED_AT, REVOKED_AT, RIGHTS]

    def read(self, store: Store) -> pd.DataFrame:
        """Every holder (the key hash included), oldest first; empty when none was ever added."""
        if self.layer not in store.layers():
            return pd.DataFrame({c: pd.Series(dtype=object) for c in self.columns})
        frame = pd.DataFrame(store.read(self.layer)).reindex(columns=self.columns)
        frame[RIGHTS] = frame[RIGHTS].fillna("").astype(object)
        return frame.sort_values(CREATED_AT, kind="stable").reset_index(drop=True)

    def add(self, store: Store, holder_id: str, *, name: str = "", rights: Sequence[Right] = ()) -> NewKey:
        """A new holder with a fresh key and `rights`; GeoInputError when the id is malformed or taken."""
        if not _HOLDER_ID.match(holder_id):
            raise GeoInputError(
                f"{self.noun} id {holder_id!r}: use 1-32 lower-case letters, digits, '-' or '_'")
        key = secrets.token_urlsafe(32)
        given = ",".join(Right(r).value for r in rights)
        row = pd.DataFrame([{self.id_column: holder_id, NAME: name or holder_id, KEY_SHA256: key_hash(key),
                             CREATED_AT: utc_now(), REVOKED_AT: "", RIGHTS: given}], columns=self.columns)
        with store.writing():
            if holder_id in set(self.read(store)[self.id_column]):
                raise GeoInputError(f"{self.noun} {holder_id!r} already exists: revoke it "
                                    f"(`{self.revoke_command}`) or choose another id")
            store.write({self.layer: row}, mode="append")
        return NewKey(holder_id, key)

    def revoke(self, store: Store, holder_id: str) -> None:
        """Invalidate a holder's key from now on; GeoInputError for an unknown or already revoked one."""
        with store.writing():
            holders = self.read(store)
            hit = holders[self.id_column] == holder_id
            if not hit.any():
                known = ", ".join(holders[self.id_column]) or "none"
                raise GeoInputError(f"no {self.noun} {holder_id!r}: the {self.noun}s are {known}")
            if (holders.loc[hit, REVOKED_AT].fillna("") != "").all():
                raise GeoInputError(f"{self.noun} {holder_id!r} is already revoked")
            holders.loc[hit, REVOKED_AT] = utc_now()
            store.write({self.layer: holders.astype(object)}, mode="replace")

    def holder_of(self, holders: pd.DataFrame, key: str) -> str | None:
        """The id of the valid holder of `key` in `holders` (as `read` gives them), or None."""
        if not key:
            return None
        wanted = key_hash(key)
        # Plain lists, not a filtered frame: every Open311 POST asks, and a pandas filter costs more than
        # the rest of its check.
        rows = zip(holders[self.id_column].tolist(), holders[KEY_SHA256].tolist(),
                   holders[REVOKED_AT].tolist(), strict=True)
        for holder_id, stored, revoked in rows:
            if _unset(revoked) and secrets.compare_digest(str(stored), wanted):
                return str(holder_id)
        return None


def _unset(value: object) -> bool:
    return value == "" if isinstance(value, str) else bool(pd.isna(value))


def holder_rights(holders: pd.DataFrame, id_column: str, holder_id: str) -> frozenset[Right]:
    """The rights given to one holder of `holders` (as `KeyRing.read` gives them)."""
    rows = holders.loc[holders[id_column] == holder_id, RIGHTS]
    text = str(rows.iloc[0]) if len(rows) else ""
    return frozenset(Right(part) for part in text.split(",") if part in {r.value for r in Right})
