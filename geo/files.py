"""Files the library writes: each one appears whole or not at all, GeoJSON is written byte-for-byte
reproducibly, so regenerated boundary files diff cleanly, and CSV meant for Excel cannot run formulas."""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any, Final, TextIO

import geopandas as gpd
import pandas as pd

from geo.crs import STORAGE_EPSG
from geo.errors import GeoInputError


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The TOML document at `path`; a missing, unreadable or malformed file is a GeoInputError that names
    the file and `what` it should have held (a config a centre edits by hand)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GeoInputError(f"{path}: no such file (the {what})") from None
    except OSError as error:
        raise GeoInputError(f"{path}: cannot read the {what} ({error.strerror})") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise GeoInputError(f"{path}: the {what} is not valid TOML ({error})") from None


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


#: A text cell starting with one of these is read by spreadsheets as a formula (OWASP, "CSV Injection").
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'`` so it shows as text.

    Only text is changed: numbers (``-3.5`` as a float), dates and None pass through as they are, since a
    spreadsheet reads them as values, not formulas.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def formula_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell passed through `formula_safe`. Numeric and datetime columns are left
    alone: their cells are numbers, not text, so ``-3.5`` stays usable in Excel."""
    safe = frame.copy()
    for name in safe.columns:
        column = safe[name]
        if (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)
                or isinstance(column.dtype, pd.CategoricalDtype)):
            safe[name] = safe[name].map(formula_safe)
    return safe


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text (no index) with formula-like text cells neutralised (`formula_safe_frame`).
    Lines end in CRLF (RFC 4180), so a cell holding a bare CR is quoted instead of splitting its row."""
    return formula_safe_frame(frame).to_csv(index=False, lineterminator="\r\n")


def write_csv(frame: pd.DataFrame, out: str | os.PathLike[str] | TextIO) -> None:
    """Write `csv_text` for Excel: to a path in UTF-8 with a byte order mark (so Excel shows Chinese text
    right), atomically; to an open text stream as it is (a pipe gets no BOM)."""
    if isinstance(out, (str, os.PathLike)):
        write_text_atomically(Path(out), "\ufeff" + csv_text(frame))
    else:
        out.write(csv_text(frame))


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
