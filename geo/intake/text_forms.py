"""Text as intake compares and stores it: NFKC (full-width digits and letters become ASCII) and white space
that follows the script.

Chinese is written without spaces, so a space between two Chinese characters is a typing slip and goes;
Latin words need theirs, so ``8TH AVE and JUDAH ST`` keeps them (a run of spaces becomes one). Ids,
numbers and coordinates have no spaces at all.

Each form is one pass over the values with compiled patterns, not a chain of pandas string methods: a
chain costs about 50 µs a method whatever the length, which a POSTed batch of a few rows paid 25 times
over, and it is no faster on a long file (pandas loops over object values in Python too).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Final

import numpy as np
import pandas as pd

# Han (with extensions A-F and the compatibility block), kana, and CJK punctuation such as 、。「」.
_CJK: Final = (r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
               r"\U00020000-\U0002ebef\U00030000-\U0003134f")
_SPACE_BETWEEN_CJK: Final = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES: Final = re.compile(r"\s+")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _each(values: pd.Series, form: Callable[[str], str]) -> pd.Series:
    """`form` of every text; a missing value counts as "" and any other non-text becomes NaN (what pandas'
    string methods give)."""
    out = [form(value) if isinstance(value, str) else ("" if pd.isna(value) else np.nan)
           for value in values.tolist()]
    return pd.Series(out, index=values.index, dtype=object)


def _compact(text: str) -> str:
    return _SPACES.sub("", _nfkc(text))


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", _nfkc(text)).strip()


def _tidy_prose(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _script(text: str) -> str:
    return _SPACES.sub(" ", _SPACE_BETWEEN_CJK.sub("", _nfkc(text))).strip()


def compact_text(values: pd.Series) -> pd.Series:
    """NFKC without any white space: for ids, numbers, coordinates and phone numbers."""
    return _each(values, _compact)


def tidy_text(values: pd.Series, *, nfkc: bool = True) -> pd.Series:
    """Runs of white space as one space, trimmed; NFKC unless the text is prose."""
    return _each(values, _tidy if nfkc else _tidy_prose)


def script_text(values: pd.Series) -> pd.Series:
    """NFKC, white space between two CJK characters removed, other runs as one space, trimmed: for
    addresses and names that mix Chinese and Latin script."""
    return _each(values, _script)
