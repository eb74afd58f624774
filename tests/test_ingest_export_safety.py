"""CSV written for Excel (quarantine export, briefing tables): no cell runs as a formula, Chinese survives."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from geo.export.briefing import briefing_archive
from geo.files import FORMULA_STARTS, formula_safe
from geo.intake.quarantine import export_quarantine

ATTACKS = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"]


def _crafted() -> pd.DataFrame:
    return pd.DataFrame({
        "file_name": ["=cmd.csv", "ok.csv", "ok.csv", "ok.csv", "ok.csv", "ok.csv", "ok.csv"],
        "row_number": [2, 3, 4, 5, 6, 7, 8],
        "detail": [*ATTACKS, "邻里纠纷"],
        "offset": [-3.5, 1.0, -0.25, 2.0, 3.0, 4.0, 5.0],
    })


def _assert_no_cell_runs(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or _is_number(cell), repr(cell)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+2", "'=1+2"), ("+86 138", "'+86 138"), ("-", "'-"), ("@a", "'@a"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("a=b", "a=b"), ("", ""), (-3.5, -3.5), (None, None)],
)
def test_formula_safe_prefixes_only_text_that_starts_like_a_formula(value: object, safe: object) -> None:
    assert formula_safe(value) == safe


def test_quarantine_export_neutralises_every_text_cell_and_keeps_numbers(tmp_path: Path) -> None:
    out = tmp_path / "q.csv"
    assert export_quarantine(_crafted(), out) == 7
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    _assert_no_cell_runs(rows)
    body = rows[1:]
    assert [row[2] for row in body] == [f"'{attack}" for attack in ATTACKS] + ["邻里纠纷"]
    assert body[0][0] == "'=cmd.csv"
    assert [row[3] for row in body[:3]] == ["-3.5", "1.0", "-0.25"]  # numbers stay numbers


def test_quarantine_export_to_a_stream_is_neutralised_too() -> None:
    stream = io.StringIO()
    export_quarantine(_crafted(), stream)
    _assert_no_cell_runs(list(csv.reader(io.StringIO(stream.getvalue(), newline=""))))


def test_briefing_tables_are_neutralised() -> None:
    archive = zipfile.ZipFile(io.BytesIO(briefing_archive("<html></html>", {"rows": _crafted()})))
    text = archive.read("rows.csv").decode("utf-8-sig")
    _assert_no_cell_runs(list(csv.reader(io.StringIO(text, newline=""))))
