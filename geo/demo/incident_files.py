"""The demo's raw incident files, written as each channel delivers them."""

from __future__ import annotations

from pathlib import Path

from geo.demo.incident_labels import RAW_FILE_NAMES
from geo.demo.incidents import RawIncidents
from geo.schema import IncidentSource


def write_raw_incidents(raw: RawIncidents, directory: Path) -> dict[IncidentSource, Path]:
    """The three raw files, in the encodings their channels use: app.csv in UTF-8, hotline.xlsx,
    miniprogram.csv in UTF-8 with a byte-order mark."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {channel: directory / name for channel, name in RAW_FILE_NAMES.items()}
    raw.app.to_csv(paths[IncidentSource.APP], index=False, encoding="utf-8")
    raw.hotline.to_excel(paths[IncidentSource.HOTLINE], index=False, sheet_name="工单", engine="openpyxl")
    raw.miniprogram.to_csv(paths[IncidentSource.MINIPROGRAM], index=False, encoding="utf-8-sig")
    return paths
