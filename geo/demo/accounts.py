"""The demo's accounts: one person per role over the whole city, a leader of 肃州区, and a wall token,
each with a password (or key) drawn at random when the demo is built and shown once by `pingan demo`.
No store ever has a fixed password; these exist only in a store the demo built."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Final

from geo.accounts.roles import Role
from geo.accounts.users import add_user
from geo.accounts.wall_tokens import create_wall_token
from geo.schema import CITY_CODE
from geo.store import Store

#: user id, role, area scope
DEMO_PEOPLE: Final = (
    ("demo-admin", Role.ADMIN, CITY_CODE),
    ("demo-leader", Role.LEADER, CITY_CODE),
    ("demo-suzhou", Role.LEADER, "620902"),
    ("demo-planner", Role.PLANNER, CITY_CODE),
    ("demo-clerk", Role.CLERK, CITY_CODE),
)
DEMO_WALL_TOKEN: Final = "demo-wall"


@dataclass(frozen=True)
class DemoAccount:
    user_id: str
    role: str
    scope: str
    secret: str  # the password, or the wall token's key


def add_demo_accounts(store: Store) -> list[DemoAccount]:
    """The demo's accounts with fresh random passwords, and its wall token; what to sign in with."""
    made = []
    for user_id, role, scope in DEMO_PEOPLE:
        password = secrets.token_urlsafe(9)
        add_user(store, user_id, password, role=role, area_scope=scope, actor="demo")
        made.append(DemoAccount(user_id, role.value, scope, password))
    token = create_wall_token(store, DEMO_WALL_TOKEN, name="演示大屏")
    made.append(DemoAccount(DEMO_WALL_TOKEN, Role.WALL.value, CITY_CODE, token.key))
    return made
