"""White space that follows the script: gone between Chinese characters, one space between Latin words."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fixtures.ingest.crafted_store import build_store

from geo.intake.ingest import ingest_file
from geo.intake.text_forms import compact_text, script_text

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("8TH AVE and JUDAH ST", "8TH AVE and JUDAH ST"),
        ("  8TH   AVE\tand JUDAH ST ", "8TH AVE and JUDAH ST"),
        ("金塔县 东关街道  金园村三组5号", "金塔县东关街道金园村三组5号"),
        ("金塔县\u3000东关街道", "金塔县东关街道"),  # an ideographic space
        ("肃州区 Wanda Plaza 3号楼", "肃州区 Wanda Plaza 3号楼"),  # between scripts the space stays
        ("新湖社区 １２号", "新湖社区 12号"),  # full-width digits become ASCII, as before
        ("南京路 、 北京路", "南京路、北京路"),  # CJK punctuation is CJK
        ("서울 종로구", "서울 종로구"),  # Korean separates words with spaces
        (None, ""),
    ],
)
def test_script_text_keeps_the_spaces_a_script_needs(given: str | None, stored: str) -> None:
    assert script_text(pd.Series([given], dtype=object)).tolist() == [stored]


def test_compact_text_still_strips_every_space_from_ids_and_numbers() -> None:
    assert compact_text(pd.Series(["１３９ 0000 0001", " 98.5 "])).tolist() == ["13900000001", "98.5"]


def test_an_imported_latin_address_stays_readable(tmp_path: Path) -> None:
    store = build_store(tmp_path / "store.gpkg")
    ingest_file(FIXTURES / "georeport_jiuquan.xml", store, now=pd.Timestamp("2024-06-01 12:00"))
    addresses = set(pd.DataFrame(store.read("incidents"))["address"])
    assert addresses == {"8TH AVE and JUDAH ST"}
