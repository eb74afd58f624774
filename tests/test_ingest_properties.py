"""Property: whatever the rows hold, every row read lands somewhere (accepted, quarantined, or skipped as
already stored), and importing the same rows again adds nothing."""

from __future__ import annotations

import csv
import io
import tempfile
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from fixtures.ingest.crafted_store import build_store, crafted_addresses, crafted_areas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.intake.ingest import IntakeContext, ingest_file, prepare_import
from geo.intake.profiles import load_profile
from geo.intake.quarantine import read_quarantine
from geo.intake.readers import RawTable
from geo.intake.row_checks import Reason

NOW = pd.Timestamp("2024-06-01 12:00")
COLUMNS = ("event_id", "reported_at", "category", "severity", "serious", "lon", "lat", "status", "closed_at")
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)

#: Values that hit the checks, mixed with arbitrary text.
CELLS = {
    "event_id": st.one_of(st.sampled_from(["E1", "E2", "E3", "Ｅ４", " E1 ", ""]), TEXT),
    "reported_at": st.one_of(st.sampled_from(["2023-07-05 14:03:00", "2023/7/5 14:03", "2099-01-01 00:00",
                                              "2023-02-30 10:00", "45112.5", "", "２０２３-7-5"]), TEXT),
    "category": st.one_of(st.sampled_from(["邻里纠纷", "医患纠纷", ""]), TEXT),
    "severity": st.one_of(st.sampled_from(["1", "3", "7", "", "２"]), TEXT),
    "serious": st.one_of(st.sampled_from(["0", "1", "是", "也许", ""]), TEXT),
    "lon": st.one_of(st.sampled_from(["98.505", "98.51", "39.745", "98.545", "98.7", "116.4", "inf", "nan",
                                      "", "未定位", "1e400"]), st.floats(allow_nan=True).map(repr), TEXT),
    "lat": st.one_of(st.sampled_from(["39.735", "39.74", "98.505", "39.9", "-91", "", "nan"]),
                     st.floats(allow_nan=True).map(repr), TEXT),
    "status": st.one_of(st.sampled_from(["待受理", "已办结", "已挂起", ""]), TEXT),
    "closed_at": st.one_of(st.sampled_from(["", "2023-07-06 10:00:00", "2023-07-01 10:00:00", "坏"]), TEXT),
}
ROWS = st.lists(st.fixed_dictionaries(CELLS), max_size=25)


@cache
def _context() -> IntakeContext:
    return IntakeContext.from_frames(crafted_areas(), crafted_addresses())


def _table(rows: list[dict[str, str]]) -> RawTable:
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)
    return RawTable("app.csv", "csv", frame, np.arange(2, len(rows) + 2, dtype=np.int64))


@settings(max_examples=60, deadline=None)
@given(ROWS)
def test_read_equals_accepted_plus_quarantined_and_a_second_pass_adds_nothing(
    rows: list[dict[str, str]],
) -> None:
    profile = load_profile("app")
    first = prepare_import(_table(rows), profile, _context(), import_id="t1", now=NOW)
    s = first.summary
    assert s.read == len(rows) == s.accepted + s.quarantined
    assert set(first.quarantine["reason"]) <= {r.value for r in Reason}
    assert first.incidents["incident_id"].is_unique
    kept = first.incidents
    assert (kept["grid_code"].notna() | kept["flags"].str.contains("outside")).all()
    assert sum(s.reasons.values()) == s.quarantined

    again = prepare_import(_table(rows), profile, _context(), import_id="t2", now=NOW,
                           stored_ids=lambda ids: set(kept["source_id"]) & set(ids),
                           quarantined_raw=lambda raws: set(first.quarantine["raw"]) & set(raws))
    second = again.summary
    assert (second.accepted, second.quarantined, second.skipped_existing) == (0, 0, len(rows))


def _csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS)
def test_through_a_real_file_and_store_nothing_is_lost(rows: list[dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = build_store(Path(folder) / "store.gpkg")
        path = Path(folder) / "app.csv"
        path.write_text(_csv_text(rows), encoding="utf-8")
        non_blank = sum(1 for row in rows if any(row.values()))
        first = ingest_file(path, store, source="app", context=_context(), now=NOW)
        assert first.read == non_blank == first.accepted + first.quarantined + first.skipped_existing
        stored = len(store.read("incidents")) if "incidents" in store.layers() else 0
        assert (stored, len(read_quarantine(store))) == (first.accepted, first.quarantined)
        again = ingest_file(path, store, source="app", context=_context(), now=NOW)
        assert (again.accepted, again.quarantined, again.skipped_existing) == (0, 0, first.read)
