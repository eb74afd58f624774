"""`pingan clients`: a key printed once, listed without it, refused once revoked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.ingest.crafted_store import build_store

from geo.api import client_of_key, open_store, read_clients, read_wall_tokens, wall_token_of_key
from pingan_cli.main import main


def test_add_list_and_revoke_a_client(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = build_store(tmp_path / "store.gpkg").path
    assert main(["clients", "add", "grid-app", "--name", "网格员App", "--store", str(store)]) == 0
    added = json.loads(capsys.readouterr().out)
    assert client_of_key(read_clients(open_store(store)), added["api_key"]) == "grid-app"

    assert main(["clients", "list", "--json", "--store", str(store)]) == 0
    listed = capsys.readouterr().out
    assert added["api_key"] not in listed
    assert [(c["client_id"], c["name"], c["revoked_at"]) for c in json.loads(listed)] == [
        ("grid-app", "网格员App", "")]

    assert main(["clients", "revoke", "grid-app", "--store", str(store)]) == 0
    assert client_of_key(read_clients(open_store(store)), added["api_key"]) is None
    capsys.readouterr()
    assert main(["clients", "revoke", "nobody", "--store", str(store)]) == 2
    assert "no client 'nobody': the clients are grid-app" in capsys.readouterr().err


def test_a_wall_token_is_printed_once_and_refused_once_revoked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = build_store(tmp_path / "store.gpkg").path
    assert main(["wall-token", "create", "hall-a", "--name", "指挥大厅A屏", "--store", str(store)]) == 0
    made = json.loads(capsys.readouterr().out)
    assert wall_token_of_key(read_wall_tokens(open_store(store)), made["token"]) == "hall-a"

    assert main(["wall-token", "list", "--store", str(store)]) == 0
    listed = capsys.readouterr().out
    assert made["token"] not in listed and "hall-a\t指挥大厅A屏" in listed and "active" in listed

    assert main(["wall-token", "create", "hall-a", "--store", str(store)]) == 2
    assert "wall token 'hall-a' already exists" in capsys.readouterr().err
    assert main(["wall-token", "revoke", "hall-a", "--store", str(store)]) == 0
    assert wall_token_of_key(read_wall_tokens(open_store(store)), made["token"]) is None
    # An Open311 key is no wall token, nor the other way round: each ring reads its own layer.
    capsys.readouterr()
    assert main(["clients", "add", "grid-app", "--store", str(store)]) == 0
    key = json.loads(capsys.readouterr().out)["api_key"]
    assert wall_token_of_key(read_wall_tokens(open_store(store)), key) is None


def test_a_client_added_with_the_detail_right_is_listed_with_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from geo.api import client_sees_detail

    store = build_store(tmp_path / "store.gpkg").path
    assert main(["clients", "add", "hotline", "--detail", "--store", str(store)]) == 0
    assert main(["clients", "add", "grid-app", "--store", str(store)]) == 0
    clients = read_clients(open_store(store))
    assert client_sees_detail(clients, "hotline") and not client_sees_detail(clients, "grid-app")
    capsys.readouterr()
    assert main(["clients", "list", "--store", str(store)]) == 0
    assert "hotline\thotline" in capsys.readouterr().out
