"""The store keeps instants in UTC; everything above it works in the city's wall-clock time.

Frames given to a store carry naive datetimes in LOCAL_TIMEZONE (months, "today" and overdue days are
the city's); the store writes them as UTC and gives them back naive and local again, so that a read
returns what was written and nothing above the store knows the difference.
"""

from __future__ import annotations

import pandas as pd

from geo.schema import LOCAL_TIMEZONE


def _datetime_columns(frame: pd.DataFrame) -> list[str]:
    return [str(name) for name, dtype in frame.dtypes.items() if dtype.kind == "M"]


def utc_of_local(values: pd.Series) -> pd.Series:
    """Naive local times as UTC instants (times already zoned are only converted)."""
    if values.dt.tz is None:
        # Asia/Shanghai has kept +08:00 since 1991; the summer times before it are read as standard time.
        values = values.dt.tz_localize(LOCAL_TIMEZONE, ambiguous=False, nonexistent="shift_forward")
    return values.dt.tz_convert("UTC")


def local_of_utc(values: pd.Series) -> pd.Series:
    """Zoned instants as naive local times; naive values (a store of the old schema) are local already."""
    if values.dt.tz is None:
        return values
    return values.dt.tz_convert(LOCAL_TIMEZONE).dt.tz_localize(None)


def frame_in_utc(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its datetime columns in UTC, as the store writes them (the frame itself untouched)."""
    columns = _datetime_columns(frame)
    if not columns:
        return frame
    return frame.assign(**{name: utc_of_local(frame[name]) for name in columns})


def frame_in_local(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its datetime columns naive in the city's time, as every reader above the store
    expects them."""
    for name in _datetime_columns(frame):
        frame[name] = local_of_utc(frame[name])
    return frame


def utc_texts_of_local(texts: list[str]) -> list[str]:
    """Stored naive local times (`YYYY-MM-DDTHH:MM:SS[.SSS]`) as GeoPackage DATETIME in UTC
    (`YYYY-MM-DDTHH:MM:SS.SSSZ`), converted as `utc_of_local` converts frames: what `pingan store
    upgrade` rewrites each old value to."""
    utc = utc_of_local(pd.Series(pd.to_datetime(texts, format="ISO8601"), dtype="datetime64[ms]"))
    return [text[:23] + "Z" for text in utc.dt.strftime("%Y-%m-%dT%H:%M:%S.%f")]
