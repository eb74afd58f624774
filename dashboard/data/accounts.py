"""Who is looking: the accounts and wall tokens of the store, their sign-ins, and what they did.

Accounts are read again after every write to the store, bookkeeping ones included (`StateCache` with
`every_write`): a disabled account or a revoked wall token is refused from its next request on. While the
store cannot be read, the sessions already open go on with the accounts last read (the pages show their
stale banner); nobody new can sign in until it answers again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import pandas as pd

from dashboard.data.store_state import StateCache
from dashboard.settings import Settings
from geo.api import (
    AuditAction,
    GeoInputError,
    Right,
    Role,
    SignIn,
    StoreError,
    UserCol,
    WallTokenCol,
    add_user,
    audit,
    disable_user,
    enable_user,
    in_scope,
    may,
    open_store,
    read_audit,
    read_users,
    read_wall_tokens,
    set_password,
    sign_in,
    wall_token_of_key,
)

#: Columns of the users table that may be shown (never the hash).
SHOWN_USER_COLUMNS: Final = tuple(c.value for c in UserCol if c is not UserCol.PASSWORD_HASH)


class ViewerKind(StrEnum):
    PERSON = "person"  # signed in with a password
    KIOSK = "kiosk"  # a wall display signed in with its token


@dataclass(frozen=True)
class Viewer:
    """Who a request comes from: a person with a role and an area scope, or a wall kiosk (the wall role,
    the whole city). Flask-Login's user protocol is the four members at the end."""

    kind: ViewerKind
    name: str  # the user id, or the wall token's id
    role: Role
    scope: str  # the area code seen, with everything below it
    city_wide: bool  # whether the scope is the whole city

    def may(self, right: Right) -> bool:
        return may(self.role, right)

    def sees(self, code: str) -> bool:
        """Whether area `code` lies in this viewer's scope."""
        return in_scope(self.scope, code)

    @property
    def personal_fields(self) -> bool:
        return self.may(Right.PERSONAL_FIELDS)

    @property
    def actor(self) -> str:
        """How the audit log names this viewer: a person by their user id (as their sign-ins are), a
        kiosk as kiosk:<token id>."""
        return self.name if self.kind is ViewerKind.PERSON else f"{self.kind.value}:{self.name}"

    def get_id(self) -> str:
        return f"{self.kind.value}:{self.name}"

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False


class Accounts:
    """The store's accounts for the server: sessions resolve through `viewer`, the sign-in page through
    `sign_in`, kiosks through `kiosk_sign_in`, and every page that logs an action through `record`."""

    def __init__(self, settings: Settings, *, city_code: Callable[[], str]) -> None:
        self._store = open_store(settings.store)
        self._city_code = city_code
        self._users = StateCache(self._store, lambda: read_users(self._store), every_write=True)
        self._tokens = StateCache(self._store, lambda: read_wall_tokens(self._store), every_write=True)
        self._last: dict[str, pd.DataFrame] = {}
        self._last_city = ""

    def _read(self, name: str, cache: StateCache[pd.DataFrame]) -> pd.DataFrame:
        """The table, or the last one read while the store cannot be read (StoreError before any read)."""
        try:
            self._last[name] = cache.get()
        except StoreError:
            if name not in self._last:
                raise
        return self._last[name]

    def viewer(self, viewer_id: str) -> Viewer | None:
        """The viewer a session names ("person:li.lei", "kiosk:hall-a"), or None when the account is gone,
        disabled or its token revoked, or no account was ever readable."""
        try:
            return self._viewer(viewer_id)
        except StoreError:
            return None

    def _viewer(self, viewer_id: str) -> Viewer | None:
        kind, _, name = viewer_id.partition(":")
        if kind == ViewerKind.KIOSK:
            tokens = self._read("tokens", self._tokens)
            live = tokens[(tokens[WallTokenCol.TOKEN_ID.value] == name)
                          & (tokens[WallTokenCol.REVOKED_AT.value].fillna("") == "")]
            return self._kiosk(name) if len(live) else None
        if kind != ViewerKind.PERSON:
            return None
        users = self._read("users", self._users)
        rows = users[users[UserCol.USER_ID.value] == name]
        if not len(rows) or str(rows.iloc[0][UserCol.DISABLED_AT.value] or ""):
            return None
        row = rows.iloc[0]
        return self._person(name, str(row[UserCol.ROLE.value]), str(row[UserCol.AREA_SCOPE.value]))

    def _city(self) -> str:
        """The store's city code, or the last one read while the store cannot be read."""
        try:
            self._last_city = self._city_code()
        except StoreError:
            if not self._last_city:
                raise
        return self._last_city

    def _person(self, user_id: str, role: str, scope: str) -> Viewer:
        return Viewer(ViewerKind.PERSON, user_id, Role(role), scope, city_wide=scope == self._city())

    def _kiosk(self, token_id: str) -> Viewer:
        return Viewer(ViewerKind.KIOSK, token_id, Role.WALL, self._city(), city_wide=True)

    def sign_in(self, user_id: str, password: str, *, address: str) -> tuple[SignIn, Viewer | None]:
        """Check a password (geo logs the attempt and counts failures)."""
        outcome, user = sign_in(self._store, user_id, password, address=address)
        if user is None:
            return outcome, None
        return outcome, self._person(user.user_id, user.role.value, user.area_scope)

    def kiosk_token_holder(self, key: str) -> Viewer | None:
        """The kiosk holding wall token `key`; None for an unknown or revoked token."""
        token_id = wall_token_of_key(self._read("tokens", self._tokens), key)
        return None if token_id is None else self._kiosk(token_id)

    def kiosk_sign_in(self, key: str, *, address: str) -> Viewer | None:
        """`kiosk_token_holder`, with the attempt in the audit log."""
        kiosk = self.kiosk_token_holder(key)
        if kiosk is None:
            audit(self._store, "kiosk", AuditAction.SIGN_IN_FAILED, "unknown or revoked wall token",
                  address=address)
            return None
        audit(self._store, kiosk.actor, AuditAction.SIGN_IN, "wall token", address=address)
        return kiosk

    def record(self, viewer: Viewer, action: AuditAction, detail: str, *, address: str) -> None:
        """One row in the audit log, naming the viewer."""
        audit(self._store, viewer.actor, action, detail, address=address)

    # ------------------------------------------------------------ the admin page

    def users(self) -> pd.DataFrame:
        """Every account without its password hash, oldest first."""
        return self._read("users", self._users)[list(SHOWN_USER_COLUMNS)]

    def audit_log(self, *, actor: str | None = None, action: str | None = None) -> pd.DataFrame:
        """The audit log, newest first."""
        log = read_audit(self._store, actor=actor or None, action=action or None)
        return log.iloc[::-1].reset_index(drop=True)

    def add_user(self, by: Viewer, user_id: str, password: str, *, role: str, scope: str,
                 address: str) -> None:
        """An account made by an admin, within the admin's own scope; GeoInputError says what is wrong."""
        if not by.sees(scope):
            raise GeoInputError(f"area {scope} lies outside your scope {by.scope}")
        add_user(self._store, user_id, password, role=role, area_scope=scope, actor=by.actor,
                 address=address)

    def switch_user(self, by: Viewer, user_id: str, *, enabled: bool, address: str) -> None:
        """Disable or enable an account in the admin's scope (an admin cannot lock themselves out)."""
        users = self.users()
        rows = users[users[UserCol.USER_ID.value] == user_id]
        if not len(rows) or not by.sees(str(rows.iloc[0][UserCol.AREA_SCOPE.value])):
            raise GeoInputError(f"no user {user_id!r} in your scope")
        if user_id == by.name and by.kind is ViewerKind.PERSON:
            raise GeoInputError("you cannot disable your own account")
        change = enable_user if enabled else disable_user
        change(self._store, user_id, actor=by.actor, address=address)

    def reset_password(self, by: Viewer, user_id: str, password: str, *, address: str) -> None:
        users = self.users()
        rows = users[users[UserCol.USER_ID.value] == user_id]
        if not len(rows) or not by.sees(str(rows.iloc[0][UserCol.AREA_SCOPE.value])):
            raise GeoInputError(f"no user {user_id!r} in your scope")
        set_password(self._store, user_id, password, actor=by.actor, address=address)
