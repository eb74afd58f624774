"""Users who may sign in: a role, an area scope and an argon2id hash of the password (never the password).
Five wrong passwords in a row lock the account for fifteen minutes; every sign-in, good or bad, is in the
audit log. A disabled account keeps its row, so the log still names it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from geo.accounts.audit import AuditAction, audit, utc_now
from geo.accounts.roles import Role
from geo.errors import GeoInputError, as_choice
from geo.schema import USER_COLUMNS, Layer, UserCol, level_of_code
from geo.store import Store

_LAYER: Final = Layer.USERS.value
_USER_ID: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD: Final = 10
LOCK_AFTER: Final = 5
LOCK_MINUTES: Final = 15
_HASHER: Final = PasswordHasher()
_UNLOCKED: Final = {UserCol.FAILED_SIGN_INS.value: "0", UserCol.LOCKED_UNTIL.value: ""}


class SignIn(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # unknown user or wrong password: the same answer, so neither can be probed
    LOCKED = "locked"
    DISABLED = "disabled"


@dataclass(frozen=True)
class User:
    user_id: str
    role: Role
    area_scope: str


def read_users(store: Store) -> pd.DataFrame:
    """Every account with its hash, oldest first; empty when none was ever added."""
    if _LAYER not in store.layers():
        return pd.DataFrame({c.value: pd.Series(dtype=object) for c in USER_COLUMNS})
    frame = pd.DataFrame(store.read(_LAYER))
    return frame[[c.value for c in USER_COLUMNS]].astype(object).reset_index(drop=True)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise GeoInputError(f"a password of {len(password)} characters: give at least {MIN_PASSWORD}")


def add_user(store: Store, user_id: str, password: str, *, role: Role | str, area_scope: str,
             actor: str = "cli", address: str = "local") -> User:
    """A new account; GeoInputError for a malformed or taken id, an unknown role or area, a short password.
    `actor` and `address` say in the audit log who made it and from where."""
    if not _USER_ID.match(user_id):
        raise GeoInputError(f"user id {user_id!r}: use 2-32 lower-case letters, digits, '.', '-' or '_'")
    chosen = as_choice(Role, role, "role")
    try:
        level_of_code(area_scope)
    except ValueError as error:
        raise GeoInputError(f"area scope: {error}") from None
    _check_password(password)
    row = {UserCol.USER_ID: user_id, UserCol.ROLE: chosen.value, UserCol.AREA_SCOPE: area_scope,
           UserCol.PASSWORD_HASH: _HASHER.hash(password), UserCol.FAILED_SIGN_INS: "0",
           UserCol.LOCKED_UNTIL: "", UserCol.CREATED_AT: utc_now(), UserCol.DISABLED_AT: ""}
    with store.writing():
        users = read_users(store)
        if user_id in set(users[UserCol.USER_ID.value]):
            raise GeoInputError(f"user {user_id!r} already exists: change the password with `pingan users "
                                "passwd` or choose another id")
        frame = pd.DataFrame([row], columns=[c.value for c in USER_COLUMNS])
        store.write({_LAYER: frame}, mode="append")
        audit(store, actor, AuditAction.USER_CHANGE, f"added {user_id} as {chosen.value} of {area_scope}",
              address=address)
    return User(user_id, chosen, area_scope)


def _update(store: Store, user_id: str, changes: dict[str, str], note: str | None, *, actor: str = "cli",
            address: str = "local") -> None:
    """Change one account's columns (write lock held by the caller); `note` goes to the audit log."""
    users = read_users(store)
    hit = users[UserCol.USER_ID.value] == user_id
    if not hit.any():
        known = ", ".join(users[UserCol.USER_ID.value]) or "none"
        raise GeoInputError(f"no user {user_id!r}: the users are {known}")
    for column, value in changes.items():
        users.loc[hit, column] = value
    store.write({_LAYER: users}, mode="replace")
    if note:
        audit(store, actor, AuditAction.USER_CHANGE, note, address=address)


def set_password(store: Store, user_id: str, password: str, *, actor: str = "cli",
                 address: str = "local") -> None:
    """A new password, which also lifts a lock."""
    _check_password(password)
    with store.writing():
        _update(store, user_id, {UserCol.PASSWORD_HASH.value: _HASHER.hash(password), **_UNLOCKED},
                f"new password for {user_id}", actor=actor, address=address)


def disable_user(store: Store, user_id: str, *, actor: str = "cli", address: str = "local") -> None:
    """Refuse the account's sign-ins from now on; the row stays, so the audit log still names it."""
    with store.writing():
        _update(store, user_id, {UserCol.DISABLED_AT.value: utc_now()}, f"disabled {user_id}", actor=actor,
                address=address)


def enable_user(store: Store, user_id: str, *, actor: str = "cli", address: str = "local") -> None:
    """Let a disabled account sign in again (with the password it had)."""
    with store.writing():
        _update(store, user_id, {UserCol.DISABLED_AT.value: "", **_UNLOCKED}, f"enabled {user_id}",
                actor=actor, address=address)


def sign_in(store: Store, user_id: str, password: str, *, address: str) -> tuple[SignIn, User | None]:
    """Check a password; count failures, lock after LOCK_AFTER in a row, and log the attempt."""
    with store.writing():
        users = read_users(store)
        rows = users[users[UserCol.USER_ID.value] == user_id]
        if not len(rows):
            _HASHER.hash(password)  # as slow as a real check, so the answer's time names no account
            audit(store, user_id, AuditAction.SIGN_IN_FAILED, "unknown user", address=address)
            return SignIn.WRONG, None
        row = rows.iloc[0]
        now = pd.Timestamp.now(tz="UTC")
        if str(row[UserCol.DISABLED_AT] or ""):
            audit(store, user_id, AuditAction.SIGN_IN_FAILED, "disabled", address=address)
            return SignIn.DISABLED, None
        locked = str(row[UserCol.LOCKED_UNTIL] or "")
        if locked and pd.Timestamp(locked) > now:
            audit(store, user_id, AuditAction.SIGN_IN_FAILED, "locked", address=address)
            return SignIn.LOCKED, None
        try:
            _HASHER.verify(str(row[UserCol.PASSWORD_HASH]), password)
        except (VerificationError, InvalidHashError):
            failed = int(row[UserCol.FAILED_SIGN_INS] or 0) + 1
            until = (now + pd.Timedelta(minutes=LOCK_MINUTES)).strftime("%Y-%m-%dT%H:%M:%SZ") \
                if failed >= LOCK_AFTER else ""
            _update(store, user_id, {UserCol.FAILED_SIGN_INS.value: str(0 if until else failed),
                                     UserCol.LOCKED_UNTIL.value: until}, None)
            audit(store, user_id, AuditAction.SIGN_IN_FAILED, "locked now" if until else "wrong password",
                  address=address)
            return (SignIn.LOCKED if until else SignIn.WRONG), None
        if int(row[UserCol.FAILED_SIGN_INS] or 0) or locked:
            _update(store, user_id, dict(_UNLOCKED), None)
        audit(store, user_id, AuditAction.SIGN_IN, "", address=address)
        return SignIn.OK, User(user_id, Role(str(row[UserCol.ROLE])), str(row[UserCol.AREA_SCOPE]))
