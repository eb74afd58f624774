"""Files the library writes: each one appears whole or not at all, and GeoJSON is written byte-for-byte
reproducibly, so regenerated boundary files diff cleanly."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import geopandas as gpd

from geo.crs import STORAGE_EPSG
from geo.errors import GeoInputError


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` to a sibling temporary file and rename it over `path`: a reader (or a crash) never
    sees half a file, and no temporary file outlives a failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, staged = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(staged, path)
    finally:
        Path(staged).unlink(missing_ok=True)


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Compact GeoJSON with the CRS named, keys in column order and non-ASCII text kept readable."""
    if frame.crs is None or frame.crs.to_epsg() != STORAGE_EPSG:
        raise GeoInputError(f"{path}: frame CRS is {frame.crs}; boundary files are EPSG:{STORAGE_EPSG}")
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.loads(frame.to_json(drop_id=True, na="null"))
    payload["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{STORAGE_EPSG}"}}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    write_text_atomically(path, text + "\n")


def read_geojson(path: Path, *, regenerate_hint: str) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise GeoInputError(f"{path} is missing: {regenerate_hint}")
    return gpd.read_file(path).set_crs(STORAGE_EPSG, allow_override=True)
