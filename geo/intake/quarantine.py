"""The quarantine (rows an import rejected, with the reason a clerk can act on) and the import log.

Both are plain tables in the store. A quarantined row keeps the raw row as JSON text, the file name and
the row number a person sees in the file, so it can be found, fixed and imported again. The import log
has one row per import with its counts; ``read = accepted + quarantined + skipped_existing`` on each.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TextIO

import pandas as pd

from geo.files import write_csv
from geo.schema import IMPORT_COLUMNS, QUARANTINE_COLUMNS, Col, ImportCol, Layer, QuarantineCol
from geo.store import Store


def quarantine_frame(
    *, import_id: str, source: str, file_name: str, row_numbers: Sequence[int], reasons: Sequence[str],
    details: Sequence[str], raws: Sequence[str], at: pd.Timestamp,
) -> pd.DataFrame:
    """Quarantine rows with the layer's columns and types, sorted by row number."""
    frame = pd.DataFrame({
        QuarantineCol.IMPORT_ID: pd.Series(import_id, index=range(len(row_numbers)), dtype=object),
        Col.SOURCE: source,
        QuarantineCol.FILE_NAME: file_name,
        QuarantineCol.ROW_NUMBER: pd.Series(row_numbers, dtype="int64"),
        QuarantineCol.REASON: pd.Series(reasons, dtype=object),
        QuarantineCol.DETAIL: pd.Series(details, dtype=object),
        QuarantineCol.RAW: pd.Series(raws, dtype=object),
        QuarantineCol.QUARANTINED_AT: pd.Series(at, index=range(len(row_numbers))).astype("datetime64[ms]"),
    })
    frame = frame.sort_values(QuarantineCol.ROW_NUMBER, kind="stable").reset_index(drop=True)
    return frame[[str(c) for c in QUARANTINE_COLUMNS]]


def read_quarantine(
    store: Store, *, import_id: str | None = None, source: str | None = None, reason: str | None = None
) -> pd.DataFrame:
    """Quarantined rows (all, or those of one import, source or reason), oldest import first."""
    if Layer.QUARANTINE.value not in store.layers():
        return pd.DataFrame({c.value: pd.Series(dtype=object) for c in QUARANTINE_COLUMNS})
    wanted = ((QuarantineCol.IMPORT_ID, import_id), (Col.SOURCE, source), (QuarantineCol.REASON, reason))
    filters = {str(column): value for column, value in wanted if value}
    frame = pd.DataFrame(store.read(Layer.QUARANTINE.value, equals=filters))
    if Col.GEOMETRY in frame.columns:
        frame = frame.drop(columns=Col.GEOMETRY.value)
    order = [QuarantineCol.QUARANTINED_AT, QuarantineCol.FILE_NAME, QuarantineCol.ROW_NUMBER]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def export_quarantine(frame: pd.DataFrame, out: str | os.PathLike[str] | TextIO) -> int:
    """Write quarantined rows as CSV for Excel (see geo.files.write_csv: UTF-8 with BOM to a file, text
    cells that would run as formulas prefixed with ``'``); returns the count."""
    write_csv(frame, out)
    return len(frame)


def read_imports(store: Store) -> pd.DataFrame:
    """The import log, oldest first (empty when nothing was imported)."""
    if Layer.IMPORTS.value not in store.layers():
        return pd.DataFrame({c.value: pd.Series(dtype=object) for c in IMPORT_COLUMNS})
    frame = pd.DataFrame(store.read(Layer.IMPORTS.value))
    return frame.sort_values(ImportCol.STARTED_AT, kind="stable").reset_index(drop=True)
