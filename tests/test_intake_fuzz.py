"""Hostile intake at volume: over 10,000 generated rows in twenty real files of four encodings, mixing NaN,
swapped and out-of-range coordinates, impossible dates, repeated ids, 100 KB fields, NUL bytes, HTML and
script, and cells that Excel would run as formulas. Every file is imported without a crash; on every
import `read = accepted + quarantined + skipped_existing`, and the store holds exactly what the
summaries say, a second import of each file adding nothing."""

from __future__ import annotations

import csv
import io
import random
import tempfile
from pathlib import Path
from typing import Final

from fixtures.ingest.crafted_store import build_store, crafted_addresses, crafted_areas
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from geo.intake.ingest import IntakeContext, ingest_file
from geo.intake.quarantine import read_quarantine

COLUMNS: Final = ("event_id", "reported_at", "category", "severity", "serious", "lon", "lat", "status",
                  "closed_at", "description", "reporter_name", "reporter_phone")
BIG: Final = "长" * 50_000  # 100 KB and more in UTF-8
HOSTILE: Final = (
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "=HYPERLINK(\"http://x\",\"y\")",
    "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tlead", "a\x00b", "\x00", "'); DROP TABLE incidents;--",
    "\u202eevil", "😀" * 10, BIG,
)
ROWS_PER_FILE: Final = 520
FILES: Final = 20  # at least 10,000 rows in all
ENCODINGS: Final = ("utf-8", "utf-8-sig", "gb18030", "utf-16")
SEEN = {"rows": 0, "files": 0}

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
HOSTILE_TEXT = st.one_of(st.sampled_from(HOSTILE), TEXT)
CELLS = {
    "event_id": st.one_of(st.sampled_from([f"E{i}" for i in range(40)]), HOSTILE_TEXT, st.just("")),
    "reported_at": st.sampled_from(["2023-07-05 14:03:00", "2023/7/5 14:03", "2023-02-30 10:00", "2099-01-01",
                                    "13/45/2023", "", "nan", "45112.5", "２０２３-7-5", "=NOW()"]),
    "category": st.one_of(st.sampled_from(["邻里纠纷", "土地纠纷", "劳资纠纷", ""]), HOSTILE_TEXT),
    "severity": st.sampled_from(["1", "3", "9", "-1", "nan", "", "=1+1"]),
    "serious": st.sampled_from(["0", "1", "是", "否", "也许", ""]),
    # valid, swapped (lat in the lon column), outside the city, not numbers
    "lon": st.sampled_from(["98.505", "98.515", "98.53", "39.735", "116.4", "nan", "inf", "-0", "", "1e400",
                            "９８.５０５", "98,505", "<b>98</b>"]),
    "lat": st.sampled_from(["39.735", "39.745", "98.505", "39.9", "-91", "nan", "", "NaN", "=39"]),
    "status": st.sampled_from(["待受理", "已办结", "已挂起", "", "<i>x</i>"]),
    "closed_at": st.sampled_from(["", "2023-07-06 10:00:00", "2023-07-01 10:00:00", "坏"]),
    "description": HOSTILE_TEXT,
    "reporter_name": HOSTILE_TEXT,
    "reporter_phone": st.one_of(st.sampled_from(["13800138000", "+86 138", "=1", ""]), TEXT),
}
#: Hypothesis draws a file's kinds of row; the file repeats them, most under ids of their own, to its size
#: (a list of 520 drawn rows is more than Hypothesis generates in one example).
KINDS = st.lists(st.fixed_dictionaries(CELLS), min_size=25, max_size=25)


def _rows(kinds: list[dict[str, str]], rng: random.Random) -> list[dict[str, str]]:
    rows = []
    for number in range(ROWS_PER_FILE):
        row = dict(rng.choice(kinds))
        if row["event_id"] and rng.random() < 0.8:
            row["event_id"] = f"{row['event_id']}-{number}"
        rows.append(row)
    return rows


def _file_bytes(rows: list[dict[str, str]], encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def test_ten_thousand_hostile_rows_are_all_accounted_for_and_nothing_is_stored_twice() -> None:
    context = IntakeContext.from_frames(crafted_areas(), crafted_addresses())
    with tempfile.TemporaryDirectory() as folder:
        store = build_store(Path(folder) / "store.gpkg")
        totals = {"accepted": 0, "quarantined": 0}

        @settings(max_examples=FILES, deadline=None, phases=[Phase.generate], database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.large_base_example])
        @given(KINDS, st.randoms(use_true_random=False), st.sampled_from(ENCODINGS))
        def one_file(kinds: list[dict[str, str]], rng: random.Random, encoding: str) -> None:
            rows = _rows(kinds, rng)
            SEEN["files"] += 1
            SEEN["rows"] += len(rows)
            path = Path(folder) / f"app-{SEEN['files']}.csv"
            path.write_bytes(_file_bytes(rows, encoding))
            first = ingest_file(path, store, source="app", context=context)
            assert first.read == first.accepted + first.quarantined + first.skipped_existing
            assert sum(first.reasons.values()) == first.quarantined
            totals["accepted"] += first.accepted
            totals["quarantined"] += first.quarantined
            stored = store.count("incidents") if "incidents" in store.layers() else 0
            assert (stored, len(read_quarantine(store))) == (totals["accepted"], totals["quarantined"])
            again = ingest_file(path, store, source="app", context=context)
            assert (again.accepted, again.quarantined, again.skipped_existing) == (0, 0, first.read)

        one_file()
    assert SEEN["rows"] >= 10_000, SEEN
