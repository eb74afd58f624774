"""Pure views of the intake page: the provider's tables in, rows of plain text out."""

from __future__ import annotations

import base64
import binascii

import pandas as pd

from dashboard.i18n import text
from geo.api import ImportCol, IngestSummary, QuarantineCol, Reason

#: Imports listed on the page (the newest).
IMPORTS_SHOWN = 50
#: A raw row shown to a viewer without the personal-fields right: it is the file's row, names included.
WITHHELD = "***"


def reason_label(lang: str, reason: str) -> str:
    return text(lang, f"intake.reason.{reason}", default=reason)


def reason_options(lang: str) -> list[dict[str, str]]:
    return [{"label": reason_label(lang, r.value), "value": r.value} for r in Reason]


def import_rows(imports: pd.DataFrame) -> list[dict[str, str]]:
    """The newest imports: when, which file, and where each of its rows went."""
    columns = (ImportCol.STARTED_AT, ImportCol.FILE_NAME, ImportCol.READ, ImportCol.ACCEPTED,
               ImportCol.QUARANTINED, ImportCol.SKIPPED_EXISTING)
    def cell(value: object) -> str:
        return "" if pd.isna(value) else str(value)  # type: ignore[call-overload]

    return [{"import_id": str(row[ImportCol.IMPORT_ID.value]),
             **{c.value: cell(row[c.value]) for c in columns},
             ImportCol.STARTED_AT.value: cell(row[ImportCol.STARTED_AT.value])[:19]}
            for _, row in imports.head(IMPORTS_SHOWN).iterrows()]


def quarantine_rows(rows: pd.DataFrame, lang: str, *, personal_fields: bool,
                    limit: int) -> list[dict[str, str]]:
    """Quarantined rows with their reason; the raw row only for a viewer with the personal-fields right."""
    return [{
        "file": str(row[QuarantineCol.FILE_NAME.value]),
        "row": str(row[QuarantineCol.ROW_NUMBER.value]),
        "reason": reason_label(lang, str(row[QuarantineCol.REASON.value])),
        "detail": str(row[QuarantineCol.DETAIL.value] or ""),
        "raw": str(row[QuarantineCol.RAW.value] or "") if personal_fields else WITHHELD,
    } for _, row in rows.head(limit).iterrows()]


def decoded_upload(contents: str) -> bytes:
    """The bytes of a dcc.Upload's `contents` (a data URL); ValueError when it is not one."""
    header, _, payload = contents.partition(",")
    if not header.startswith("data:") or ";base64" not in header:
        raise ValueError("not a base64 data URL")
    try:
        return base64.b64decode(payload, validate=True)
    except binascii.Error as error:
        raise ValueError(str(error)) from None


def summary_lines(summary: IngestSummary, lang: str) -> list[str]:
    """What one upload did, as the CLI's summary says it."""
    counts = {"read": summary.read, "accepted": summary.accepted, "quarantined": summary.quarantined,
              "skipped": summary.skipped_existing}
    lines = [text(lang, "intake.summary", file=summary.file_name, **counts)]
    lines += [f"{reason_label(lang, reason)}: {count}" for reason, count in summary.reasons.items()]
    return lines


def quarantine_note(total: int, shown: int, lang: str) -> str:
    return text(lang, "intake.quarantine_count", total=f"{total:,}", shown=f"{shown:,}")
