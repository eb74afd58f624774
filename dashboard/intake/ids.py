"""Element ids of the intake page."""

from __future__ import annotations

from enum import StrEnum


class Ids(StrEnum):
    URL = "intake-url"
    UPLOAD = "intake-upload"
    SOURCE = "intake-source"
    SUMMARY = "intake-summary"
    IMPORTS = "intake-imports"
    REASON = "intake-reason"
    QUARANTINE = "intake-quarantine"
    EXPORT = "intake-export"
    DOWNLOAD = "intake-download"
