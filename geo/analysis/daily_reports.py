"""Cases reported per calendar day of the city (geo.schema.LOCAL_TIMEZONE), per area: what a command-centre
wall's "today" tile counts.

Incidents come from the store with their report times as the city's wall-clock time, so a day here is a
day in the city whatever the server's own zone; `city_today` names the current one. Areas are the codes
stored at ingest; an incident outside every area counts for none.
"""

from __future__ import annotations

import pandas as pd

from geo.analysis.area_months import as_local_times, incident_codes
from geo.errors import GeoInputError
from geo.schema import LOCAL_TIMEZONE, Col, Level, as_level

_DAY = "%Y-%m-%d"


def city_today(now: pd.Timestamp | None = None) -> str:
    """The city's date (``YYYY-MM-DD``) now, or at the zoned instant `now`."""
    instant = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    if instant.tzinfo is None:
        raise GeoInputError(f"now={now!s}: give an instant with its zone (a naive time names no day)")
    return instant.tz_convert(LOCAL_TIMEZONE).strftime(_DAY)


def reports_by_day(incidents: pd.DataFrame, *, since: str, level: Level | str) -> dict[str, dict[str, int]]:
    """Incidents reported on each day from `since` (``YYYY-MM-DD``) on, per area code of `level`:
    ``{day: {code: count}}`` with the days and areas that have any.

    >>> frame = pd.DataFrame({"reported_at": pd.to_datetime(["2026-12-06 23:59", "2026-12-07 00:10",
    ...                                                       "2026-12-07 09:00"]),
    ...                       "county_code": ["620902", "620902", "620921"]})
    >>> reports_by_day(frame, since="2026-12-07", level="county")
    {'2026-12-07': {'620902': 1, '620921': 1}}
    """
    try:
        start = pd.to_datetime(since, format=_DAY)
    except (TypeError, ValueError):
        raise GeoInputError(f"since={since!r}: expected a day as YYYY-MM-DD") from None
    times = as_local_times(incidents[Col.REPORTED_AT])
    codes = pd.Series(incident_codes(incidents, as_level(level)), index=incidents.index, dtype=object)
    chosen = (times >= start) & codes.notna() & (codes != "")
    days = times[chosen].dt.strftime(_DAY)
    counts = pd.DataFrame({"day": days, "code": codes[chosen].astype(str)}).value_counts(sort=False)
    out: dict[str, dict[str, int]] = {}
    for (day, code), count in sorted(counts.items()):
        out.setdefault(str(day), {})[str(code)] = int(count)
    return out
