"""Open311 clients: who may POST requests. A client is a holder on a key ring (geo.accounts.keyring): an id,
a name and an API key shown once, of which the store keeps only the SHA-256. A client given the detail
right (a city system that holds the cases already, such as the 12345 hotline's) reads the listing in full:
descriptions, addresses and exact positions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd

from geo.accounts.keyring import KeyRing, holder_rights, key_hash
from geo.accounts.roles import Right
from geo.schema import ClientCol, Layer
from geo.store import Store

CLIENTS: Final = KeyRing(Layer.OPEN311_CLIENTS.value, ClientCol.CLIENT_ID.value, "client",
                         "pingan clients revoke")
__all__ = ["CLIENTS", "NewClient", "add_client", "client_of_key", "client_sees_detail", "key_hash",
           "read_clients", "revoke_client"]


@dataclass(frozen=True)
class NewClient:
    client_id: str
    api_key: str  # shown once; the store has only its hash


def read_clients(store: Store) -> pd.DataFrame:
    """Every client (the key hash included), oldest first; empty when none was ever added."""
    return CLIENTS.read(store)


def add_client(store: Store, client_id: str, *, name: str = "", detail: bool = False) -> NewClient:
    """A new client with a fresh key, with the detail right when `detail`; GeoInputError when the id is
    malformed or taken."""
    made = CLIENTS.add(store, client_id, name=name, rights=(Right.PERSONAL_FIELDS,) if detail else ())
    return NewClient(made.holder_id, made.key)


def revoke_client(store: Store, client_id: str) -> None:
    """Invalidate a client's key from now on; GeoInputError for an unknown or already revoked client."""
    CLIENTS.revoke(store, client_id)


def client_of_key(clients: pd.DataFrame, api_key: str) -> str | None:
    """The id of the valid client holding `api_key`, or None (unknown or revoked)."""
    return CLIENTS.holder_of(clients, api_key)


def client_sees_detail(clients: pd.DataFrame, client_id: str) -> bool:
    """Whether the client has the detail right: descriptions, addresses and exact positions."""
    return Right.PERSONAL_FIELDS in holder_rights(clients, ClientCol.CLIENT_ID.value, client_id)
