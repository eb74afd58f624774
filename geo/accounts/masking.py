"""Personal fields as a viewer without the personal-fields right may see them.

A name keeps its surname (the first character), a phone its first three and last four digits (a
mobile's carrier and line ending, enough to tell two callers apart), an identity number its last four,
an address its beginning up to the first road, street, lane or village (the road, not the door; three
characters when it names none), and a free-text description is withheld whole: no rule can find every
name or number a complainant wrote in it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import pandas as pd

from geo.schema import PERSONAL_FIELDS

MASK: Final = "*"
#: What a withheld description reads as.
WITHHELD: Final = "***"
#: Where an address stops being a place and starts being a door: the first road, street, lane, village...
_PLACE_END: Final = re.compile(r"(大道|大街|路|街|巷|胡同|村|社区|小区|组)")
_PLACE_WITHOUT_MARKER: Final = 3
_NAME_FIELDS: Final = frozenset({"person_name", "reporter_name"})
_PHONE_FIELDS: Final = frozenset({"phone", "reporter_phone"})


def mask_name(name: str) -> str:
    name = name.strip()
    return name[:1] + MASK * (len(name) - 1) if name else ""


def mask_phone(phone: str) -> str:
    digits = [c for c in phone if c.isdigit()]
    if len(digits) == 13 and digits[:2] == ["8", "6"]:  # China's country code before a mobile number
        digits = digits[2:]
    if len(digits) >= 11:
        return "".join(digits[:3]) + MASK * (len(digits) - 7) + "".join(digits[-4:])
    if len(digits) > 4:
        return MASK * (len(digits) - 4) + "".join(digits[-4:])
    return MASK * len(digits)


def mask_id_number(number: str) -> str:
    number = number.strip()
    return MASK * max(len(number) - 4, 0) + number[-4:] if len(number) > 4 else MASK * len(number)


def mask_address(address: str) -> str:
    address = address.strip()
    found = _PLACE_END.search(address)
    kept = found.end() if found else min(_PLACE_WITHOUT_MARKER, len(address) - 1)
    return address[:kept] + MASK * (len(address) - kept)


def mask_field(field: str, value: object) -> str:
    """`value` of personal field `field` as a viewer without the right sees it ("" for no value)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value)
    if not text.strip():
        return ""
    if field in _NAME_FIELDS:
        return mask_name(text)
    if field in _PHONE_FIELDS:
        return mask_phone(text)
    if field == "id_number":
        return mask_id_number(text)
    if field == "address":
        return mask_address(text)
    return WITHHELD  # descriptions, and any personal field added later: nothing of it until a rule exists


def masked_record(record: Mapping[str, object], *, personal_fields: bool) -> dict[str, object]:
    """One row for a viewer: as stored with the personal-fields right, else each personal field masked."""
    if personal_fields:
        return dict(record)
    return {key: mask_field(key, value) if key in PERSONAL_FIELDS else value for key, value in record.items()}


def masked_frame(frame: pd.DataFrame, *, personal_fields: bool) -> pd.DataFrame:
    """The rows of `frame` for a viewer, as `masked_record` describes."""
    if personal_fields:
        return frame
    out = frame.copy()
    for column in PERSONAL_FIELDS & set(out.columns):
        out[column] = [mask_field(column, value) for value in out[column]]
    return out
