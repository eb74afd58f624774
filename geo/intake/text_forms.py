"""Text as intake compares and stores it: NFKC (full-width digits and letters become ASCII) and white space
that follows the script.

Chinese is written without spaces, so a space between two Chinese characters is a typing slip and goes;
Latin words need theirs, so ``8TH AVE and JUDAH ST`` keeps them (a run of spaces becomes one). Ids,
numbers and coordinates have no spaces at all.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

# Han (with extensions A-F and the compatibility block), kana, and CJK punctuation such as 、。「」.
_CJK: Final = (r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
               r"\U00020000-\U0002ebef\U00030000-\U0003134f")
_SPACE_BETWEEN_CJK: Final = rf"(?<=[{_CJK}])\s+(?=[{_CJK}])"


def compact_text(values: pd.Series) -> pd.Series:
    """NFKC without any white space: for ids, numbers, coordinates and phone numbers."""
    return values.astype(object).fillna("").str.normalize("NFKC").str.replace(r"\s+", "", regex=True)


def tidy_text(values: pd.Series, *, nfkc: bool = True) -> pd.Series:
    """Runs of white space as one space, trimmed; NFKC unless the text is prose."""
    text = values.astype(object).fillna("")
    if nfkc:
        text = text.str.normalize("NFKC")
    return text.str.replace(r"\s+", " ", regex=True).str.strip()


def script_text(values: pd.Series) -> pd.Series:
    """NFKC, white space between two CJK characters removed, other runs as one space, trimmed: for
    addresses and names that mix Chinese and Latin script."""
    text = values.astype(object).fillna("").str.normalize("NFKC")
    text = text.str.replace(_SPACE_BETWEEN_CJK, "", regex=True)
    return text.str.replace(r"\s+", " ", regex=True).str.strip()
