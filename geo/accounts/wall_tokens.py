"""Wall tokens: how a command-centre kiosk signs in without a prompt on its screen. A token is a long
random key bound to the wall (the wall role: aggregates only); the kiosk opens `/wall?token=...` once and
keeps the session that gives it. `pingan wall-token revoke` ends every session made with it."""

from __future__ import annotations

from typing import Final

import pandas as pd

from geo.accounts.keyring import KeyRing, NewKey
from geo.schema import Layer, WallTokenCol
from geo.store import Store

WALL_TOKENS: Final = KeyRing(Layer.WALL_TOKENS.value, WallTokenCol.TOKEN_ID.value, "wall token",
                             "pingan wall-token revoke")


def create_wall_token(store: Store, token_id: str, *, name: str = "") -> NewKey:
    """A new wall token; its key is in the answer and nowhere else."""
    return WALL_TOKENS.add(store, token_id, name=name)


def revoke_wall_token(store: Store, token_id: str) -> None:
    WALL_TOKENS.revoke(store, token_id)


def read_wall_tokens(store: Store) -> pd.DataFrame:
    """Every wall token (the key hash included), oldest first."""
    return WALL_TOKENS.read(store)


def wall_token_of_key(tokens: pd.DataFrame, key: str) -> str | None:
    """The id of the valid wall token with `key`, or None (unknown or revoked)."""
    return WALL_TOKENS.holder_of(tokens, key)
