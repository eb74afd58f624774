"""The intake desk for clerks: incident files uploaded from the page go through the same intake as
`pingan ingest` (one transaction, bad rows to the quarantine with a reason), and the import log and the
quarantine are read back, newest import first."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Final

import pandas as pd

from dashboard.data.store_state import StateCache
from dashboard.settings import Settings
from geo.api import (
    IngestSummary,
    export_quarantine,
    ingest_file,
    open_store,
    profile_paths,
    read_imports,
    read_quarantine,
)

#: The largest file a page upload takes (the CLI takes any size).
MAX_UPLOAD_BYTES: Final = 16 * 1024 * 1024
#: Quarantined rows shown on the page at once; the export has them all.
SHOWN_ROWS: Final = 500


class IntakeDesk:
    """Uploads, the import log and the quarantine of the store in `settings`."""

    def __init__(self, settings: Settings) -> None:
        self._store = open_store(settings.store)
        self._imports = StateCache(self._store, lambda: read_imports(self._store))

    def sources(self) -> list[str]:
        """The source profiles an upload may name (or be recognised as by its headers)."""
        return sorted(profile_paths())

    def imports(self) -> pd.DataFrame:
        """The import log, newest first."""
        return self._imports.get().iloc[::-1].reset_index(drop=True)

    def quarantine(self, *, import_id: str | None, reason: str | None) -> pd.DataFrame:
        """Quarantined rows of one import (or all) and one reason (or all), in file order."""
        return read_quarantine(self._store, import_id=import_id or None, reason=reason or None)

    def ingest(self, file_name: str, content: bytes, *, source: str | None) -> IngestSummary:
        """One uploaded file imported as `pingan ingest` would (SourceFileError when it cannot be read).
        The file keeps its name, which the import log and the quarantine show."""
        name = Path(file_name).name or "upload"
        with tempfile.TemporaryDirectory(prefix="pingan-upload-") as folder:
            path = Path(folder) / name
            path.write_bytes(content)
            return ingest_file(path, self._store, source=source or None)

    @staticmethod
    def quarantine_csv(rows: pd.DataFrame) -> str:
        """The rows as formula-safe CSV text for Excel."""
        out = io.StringIO()
        export_quarantine(rows, out)
        return out.getvalue()

