"""Accounts on both store backends: passwords kept only as argon2 hashes, five wrong ones lock the account,
a disabled account cannot sign in, every attempt is in the audit log, and a user's area scope holds the
areas below it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from geo.api import (
    GeoInputError,
    GeoPackageStore,
    Right,
    Role,
    SignIn,
    Store,
    add_user,
    disable_user,
    in_scope,
    may,
    read_audit,
    read_users,
    set_password,
    sign_in,
)

PASSWORD = "correct horse battery"


@pytest.fixture
def store(new_store: Callable[[], Store]) -> Store:
    return new_store()


def test_a_password_is_kept_only_as_an_argon2_hash_and_signs_in(store: Store) -> None:
    add_user(store, "wang.li", PASSWORD, role="leader", area_scope="620902")
    users = read_users(store)
    stored = users.iloc[0]["password_hash"]
    assert stored.startswith("$argon2id$") and PASSWORD not in users.to_csv()
    result, user = sign_in(store, "wang.li", PASSWORD, address="10.0.0.7")
    assert result is SignIn.OK and user is not None
    assert (user.role, user.area_scope) == (Role.LEADER, "620902")
    log = read_audit(store, actor="wang.li")
    assert log["action"].tolist() == ["sign_in"] and log["address"].tolist() == ["10.0.0.7"]


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(store: Store) -> None:
    add_user(store, "zhao", PASSWORD, role="clerk", area_scope="620900")
    answers = [sign_in(store, "zhao", "guess number one", address="10.0.0.9")[0] for _ in range(5)]
    assert answers == [SignIn.WRONG] * 4 + [SignIn.LOCKED]
    assert sign_in(store, "zhao", PASSWORD, address="10.0.0.9")[0] is SignIn.LOCKED
    set_password(store, "zhao", "a new password 2026")  # an admin's reset lifts the lock
    assert sign_in(store, "zhao", "a new password 2026", address="local")[0] is SignIn.OK
    failed = read_audit(store, actor="zhao", action="sign_in_failed")
    assert len(failed) == 6 and "locked now" in failed["detail"].tolist()


def test_unknown_users_and_disabled_accounts_do_not_sign_in(store: Store) -> None:
    add_user(store, "liu", PASSWORD, role="planner", area_scope="620902001")
    assert sign_in(store, "nobody", PASSWORD, address="local")[0] is SignIn.WRONG
    disable_user(store, "liu")
    assert sign_in(store, "liu", PASSWORD, address="local")[0] is SignIn.DISABLED
    assert read_users(store)["disabled_at"].iloc[0]  # the row stays, so the log still names it


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"user_id": "X Y"}, "user id 'X Y'"),
        ({"role": "mayor"}, "unknown role 'mayor': allowed are wall, leader"),
        ({"area_scope": "62"}, "area scope: area code '62' has no level"),
        ({"password": "short"}, "a password of 5 characters: give at least 10"),
    ],
)
def test_bad_accounts_are_refused_with_what_is_allowed(tmp_path: Path, kwargs: dict, message: str) -> None:
    fields = {"user_id": "chen", "password": PASSWORD, "role": "leader", "area_scope": "620900", **kwargs}
    store = GeoPackageStore(tmp_path / "s.gpkg")
    with pytest.raises(GeoInputError, match=message):
        add_user(store, fields.pop("user_id"), fields.pop("password"), **fields)
    assert read_users(store).empty


def test_a_taken_id_is_refused(tmp_path: Path) -> None:
    store = GeoPackageStore(tmp_path / "s.gpkg")
    add_user(store, "chen", PASSWORD, role="leader", area_scope="620900")
    with pytest.raises(GeoInputError, match="already exists"):
        add_user(store, "chen", PASSWORD, role="admin", area_scope="620900")
    assert isinstance(read_users(store), pd.DataFrame) and len(read_users(store)) == 1


def test_roles_rights_and_area_scopes() -> None:
    assert may("leader", Right.MAPS) and not may("leader", Right.PERSONAL_FIELDS)
    assert may("wall", Right.WALL) and not may("wall", Right.MAPS)
    assert all(may("admin", right) for right in Right) and not may("mayor", Right.WALL)
    assert in_scope("620900", "620902") and in_scope("620900", "620902001001001")
    assert in_scope("620902", "620902001") and not in_scope("620902", "620921001")
    assert not in_scope("620900", "621000")


def test_the_command_line_adds_lists_and_logs_without_showing_a_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from pingan_cli.main import main

    path = str(tmp_path / "s.gpkg")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "li.na", "--role", "planner", "--scope", "620902", "--password-stdin",
                 "--store", path]) == 0
    assert main(["users", "list", "--store", path]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "passwd", "li.na", "--password-stdin", "--store", path]) == 2
    assert main(["audit", "list", "--store", path]) == 0
    out, err = capsys.readouterr()
    assert "li.na" in out and "planner" in out and "$argon2" not in out
    assert "give at least 10" in err
    assert '"action": "user_change"' in out and "added li.na as planner of 620902" in out


def test_the_demo_accounts_sign_in_with_passwords_drawn_for_each_store(tmp_path) -> None:
    from geo.api import GeoPackageStore, SignIn, read_wall_tokens, sign_in, wall_token_of_key
    from geo.demo import add_demo_accounts

    first, second = GeoPackageStore(tmp_path / "a.gpkg"), GeoPackageStore(tmp_path / "b.gpkg")
    made = {store: {a.user_id: a for a in add_demo_accounts(store)} for store in (first, second)}
    admin = made[first]["demo-admin"]
    assert sign_in(first, "demo-admin", admin.secret, address="test")[0] is SignIn.OK
    assert admin.secret != made[second]["demo-admin"].secret, "no store shares a password"
    assert made[first]["demo-suzhou"].scope == "620902"
    kiosk = made[first]["demo-wall"]
    assert wall_token_of_key(read_wall_tokens(first), kiosk.secret) == "demo-wall"
