"""Two imports of one file at the same time, on both backends: the store ends with one import's rows, and
the summaries together say which rows each took and which it skipped; a reader during an import sees the
store before it or after it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from fixtures.ingest.crafted_store import build_store

from geo.api import open_store

ROOT = Path(__file__).resolve().parents[1]
HEADER = ("event_id,reported_at,category,severity,serious,repeat_petition,description,reporter_name,"
          "reporter_phone,lon,lat,status,closed_at,outcome,pre_litigation")


def _app_file(path: Path, rows: int) -> Path:
    lines = [HEADER] + [
        f"C{i},2023-07-05 14:{i % 60:02d}:00,邻里纠纷,1,0,0,第{i}件,张三,13800000001,"
        f"{98.501 + (i % 80) / 10_000:.4f},{39.731 + (i // 80 % 40) / 10_000:.4f},已办结,"
        "2023-07-06 10:00:00,调解成功,0"
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_concurrent_ingests_of_one_file_import_it_once(
    tmp_path: Path, new_location: Callable[[], Path | str]
) -> None:
    store = new_location()
    build_store(store)
    source = _app_file(tmp_path / "app_3000.csv", 3_000)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pingan_cli.main", "ingest", str(source), "--store", str(store),
               "--source", "app"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    first, second = sorted((json.loads(out) for out, _ in outputs), key=lambda s: -s["accepted"])
    assert first["read"] == second["read"] == 3_000
    assert first["accepted"] > 2_900
    assert second["accepted"] == 0
    assert second["skipped_existing"] == first["accepted"]
    for summary in (first, second):
        assert summary["read"] == summary["accepted"] + summary["quarantined"] + summary["skipped_existing"]
    reader = open_store(store)
    incidents = pd.DataFrame(reader.read("incidents"))
    app = incidents[incidents["source"] == "app"]
    assert len(app) == first["accepted"]
    assert not app["source_id"].duplicated().any()
    quarantine = pd.DataFrame(reader.read("quarantine")) if "quarantine" in reader.layers() else pd.DataFrame(
        {"source": []})
    assert int((quarantine["source"] == "app").sum()) == first["quarantined"]


def test_readers_during_an_ingest_see_the_old_state_or_the_new_never_an_error(
    tmp_path: Path, new_location: Callable[[], Path | str]
) -> None:
    store = new_location()
    build_store(store)
    source = _app_file(tmp_path / "app_2000.csv", 2_000)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    reader = open_store(store)
    before = reader.count("incidents") if "incidents" in reader.layers() else 0
    command = [sys.executable, "-m", "pingan_cli.main", "ingest", str(source), "--store", str(store),
               "--source", "app"]
    run = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    seen: set[int] = set()
    while run.poll() is None:
        layers = reader.layers()
        seen.add(len(reader.read("incidents")) if "incidents" in layers else 0)
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    after = len(reader.read("incidents"))
    assert after == before + json.loads(out)["accepted"]
    assert seen <= {before, after}, f"a reader saw a half-written state: {sorted(seen)}"
