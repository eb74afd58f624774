"""What people do is in the audit log: who, what, from where. Uploads and quarantine exports on the
intake page, sign-ins good and bad, and the command line's exports and key changes."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.accounts import sign_in
from fixtures.callbacks import call
from fixtures.overview.store import build_overview_store

from dashboard.app import create_app
from dashboard.settings import Settings
from geo.api import open_store, read_audit
from pingan_cli.audit_trail import cli_actor
from pingan_cli.main import main

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture
def served(tmp_path: Path) -> dict[str, Any]:
    store = build_overview_store(tmp_path / "city.gpkg")
    app = create_app(Settings.from_env({}, store=store, cache_dir=tmp_path / "cache"))
    return {"store": store, "app": app}


def _log(store: Path, action: str) -> list[dict[str, str]]:
    return read_audit(open_store(store), action=action).to_dict("records")


def test_an_upload_and_a_quarantine_export_are_logged_under_the_clerk(served: dict[str, Any]) -> None:
    app, store = served["app"], served["store"]
    client = sign_in(app.server.test_client(), "clerk")
    content = (FIXTURES / "hotline_every_reason.csv").read_bytes()
    data_url = "data:text/csv;base64," + base64.b64encode(content).decode()
    response = call(client, app, "intake-summary.children", {
        "intake-upload.contents": data_url, "intake-upload.filename": "hotline_every_reason.csv",
        "intake-source.value": "", "intake-url.search": ""})
    assert response.status_code == 200
    assert "入库 3，隔离 9" in json.dumps(response.get_json(), ensure_ascii=False)
    [upload] = _log(store, "import")
    assert (upload["actor"], upload["address"]) == ("clerk", "127.0.0.1")
    assert upload["detail"] == "hotline_every_reason.csv: read 12, accepted 3, quarantined 9, skipped 0"

    exported = call(client, app, "intake-download.data",
                    {"intake-export.n_clicks": 1, "intake-url.search": ""})
    assert exported.status_code == 200 and "13900000004" in json.dumps(exported.get_json())  # the raw rows
    [export] = _log(store, "quarantine")
    assert export["actor"] == "clerk" and export["detail"].startswith("exported 9 quarantined rows")


def test_sign_ins_good_and_bad_are_logged_with_the_address(served: dict[str, Any]) -> None:
    app, store = served["app"], served["store"]
    client = app.server.test_client()
    client.get("/login")
    token = client.get_cookie("_csrf_token").value
    wrong = client.post("/login", data={"user": "leader", "password": "not-the-password",
                                        "_csrf_token": token})
    assert wrong.status_code == 401
    sign_in(client, "leader")
    assert [(r["actor"], r["detail"], r["address"]) for r in _log(store, "sign_in_failed")] == [
        ("leader", "wrong password", "127.0.0.1")]
    assert [(r["actor"], r["address"]) for r in _log(store, "sign_in")] == [("leader", "127.0.0.1")]


def test_a_sign_in_without_its_csrf_token_is_refused(served: dict[str, Any]) -> None:
    client = served["app"].server.test_client()
    response = client.post("/login", data={"user": "leader", "password": "whatever-it-is"})
    assert response.status_code == 403
    assert not _log(served["store"], "sign_in_failed"), "refused before any password was checked"


def test_the_command_line_logs_its_exports_and_key_changes(served: dict[str, Any], tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    store = str(served["store"])
    assert main(["export", "incidents", "--out", str(tmp_path / "all.csv"), "--store", store]) == 0
    assert main(["wall-token", "create", "hall-b", "--store", store]) == 0
    assert main(["wall-token", "revoke", "hall-b", "--store", store]) == 0
    [export] = _log(served["store"], "export")
    assert export["actor"] == cli_actor() and export["address"] == "local"
    assert export["detail"].startswith("83 incidents to ") and export["detail"].endswith("(csv)")
    changes = [r["detail"] for r in _log(served["store"], "user_change") if r["actor"] == cli_actor()]
    assert changes == ["added wall token hall-b", "revoked wall token hall-b"]
