"""Element ids of the admin page."""

from __future__ import annotations

from enum import StrEnum


class Ids(StrEnum):
    URL = "admin-url"
    USERS = "admin-users"
    NEW_ID = "admin-new-id"
    NEW_ROLE = "admin-new-role"
    NEW_SCOPE = "admin-new-scope"
    NEW_PASSWORD = "admin-new-password"
    ADD = "admin-add"
    PICK = "admin-pick"
    DISABLE = "admin-disable"
    ENABLE = "admin-enable"
    PASSWORD = "admin-password"
    RESET = "admin-reset"
    MESSAGE = "admin-message"
    ACTOR = "admin-actor"
    ACTION = "admin-action"
    AUDIT = "admin-audit"
