"""Open311 clients: who may POST requests. Each client has an id, a name and an API key; the store keeps
only the key's SHA-256 (a key is 32 random bytes, so a plain hash cannot be reversed by guessing), and the
key itself is shown once, when the client is added. A revoked client keeps its row, with the time."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Final

import pandas as pd

from geo.errors import GeoInputError
from geo.schema import CLIENT_COLUMNS, ClientCol, Layer
from geo.store import Store

_LAYER: Final = Layer.OPEN311_CLIENTS.value
_CLIENT_ID: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class NewClient:
    client_id: str
    api_key: str  # shown once; the store has only its hash


def key_hash(api_key: str) -> str:
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


def _utc_now() -> str:
    return pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def read_clients(store: Store) -> pd.DataFrame:
    """Every client (the key hash included), oldest first; empty when none was ever added."""
    if _LAYER not in store.layers():
        return pd.DataFrame({c.value: pd.Series(dtype=object) for c in CLIENT_COLUMNS})
    frame = pd.DataFrame(store.read(_LAYER))
    frame = frame.drop(columns=[c for c in frame.columns if c not in set(CLIENT_COLUMNS)])
    return frame.sort_values(ClientCol.CREATED_AT.value, kind="stable").reset_index(drop=True)


def add_client(store: Store, client_id: str, *, name: str = "") -> NewClient:
    """A new client with a fresh key; GeoInputError when the id is malformed or taken."""
    if not _CLIENT_ID.match(client_id):
        raise GeoInputError(f"client id {client_id!r}: use 1-32 lower-case letters, digits, '-' or '_'")
    api_key = secrets.token_urlsafe(32)
    row = pd.DataFrame([{ClientCol.CLIENT_ID: client_id, ClientCol.NAME: name or client_id,
                         ClientCol.KEY_SHA256: key_hash(api_key), ClientCol.CREATED_AT: _utc_now(),
                         ClientCol.REVOKED_AT: ""}], columns=[c.value for c in CLIENT_COLUMNS])
    with store.writing():
        if client_id in set(read_clients(store)[ClientCol.CLIENT_ID.value]):
            raise GeoInputError(f"client {client_id!r} already exists: revoke it or choose another id")
        store.write({_LAYER: row}, mode="append")
    return NewClient(client_id, api_key)


def revoke_client(store: Store, client_id: str) -> None:
    """Invalidate a client's key from now on; GeoInputError for an unknown or already revoked client."""
    with store.writing():
        clients = read_clients(store)
        hit = clients[ClientCol.CLIENT_ID.value] == client_id
        if not hit.any():
            known = ", ".join(clients[ClientCol.CLIENT_ID.value]) or "none"
            raise GeoInputError(f"no client {client_id!r}: the clients are {known}")
        if (clients.loc[hit, ClientCol.REVOKED_AT.value].fillna("") != "").all():
            raise GeoInputError(f"client {client_id!r} is already revoked")
        clients.loc[hit, ClientCol.REVOKED_AT.value] = _utc_now()
        store.write({_LAYER: clients.astype(object)}, mode="replace")


def client_of_key(clients: pd.DataFrame, api_key: str) -> str | None:
    """The id of the valid client holding `api_key`, or None (unknown or revoked)."""
    if not api_key:
        return None
    wanted = key_hash(api_key)
    valid = clients[(clients[ClientCol.REVOKED_AT.value].fillna("") == "")]
    for client_id, stored in zip(valid[ClientCol.CLIENT_ID.value], valid[ClientCol.KEY_SHA256.value],
                                 strict=True):
        if secrets.compare_digest(str(stored), wanted):
            return str(client_id)
    return None
