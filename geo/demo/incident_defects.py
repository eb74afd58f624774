"""Deliberately bad rows in the demo's raw files, so the quarantine has something real to show.

About 0.3 % of rows, each listed in `RawIncidents.planted` with its row and id:

- ``swapped_coordinates``: lon and lat exchanged (app, mini-program);
- ``non_numeric_coordinate``: a coordinate such as '未定位' (app, hotline);
- ``unparseable_date``: a date such as '2024-02-30 09:15:00' or '待补录' (all channels);
- ``duplicate_id``: a second row with an existing id and a time a few minutes later (all channels);
- ``unknown_category``: a label outside `CATEGORY_LABELS`, such as '医患纠纷' (app, mini-program);
- ``unmatched_address``: an address-only hotline row whose address matches nothing ('城东某小区附近').
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.demo.incident_labels import CATEGORY_COLUMN, COORDINATE_COLUMNS, KEY_COLUMNS, TIME_COLUMN
from geo.demo.incident_rows import format_time
from geo.demo.names import weighted_sample
from geo.schema import IncidentSource

_DEFECTS: Final = (  # (channel, defect, share of all rows)
    (IncidentSource.APP, "swapped_coordinates", 0.0006),
    (IncidentSource.APP, "non_numeric_coordinate", 0.0003),
    (IncidentSource.APP, "unparseable_date", 0.0003),
    (IncidentSource.APP, "duplicate_id", 0.0003),
    (IncidentSource.APP, "unknown_category", 0.0002),
    (IncidentSource.HOTLINE, "unmatched_address", 0.0004),
    (IncidentSource.HOTLINE, "unparseable_date", 0.0002),
    (IncidentSource.HOTLINE, "non_numeric_coordinate", 0.0001),
    (IncidentSource.HOTLINE, "duplicate_id", 0.0002),
    (IncidentSource.MINIPROGRAM, "swapped_coordinates", 0.0002),
    (IncidentSource.MINIPROGRAM, "unparseable_date", 0.0001),
    (IncidentSource.MINIPROGRAM, "duplicate_id", 0.0001),
    (IncidentSource.MINIPROGRAM, "unknown_category", 0.0001),
)
_BAD_COORDINATES: Final = ("未定位", "无", "98.51.2")
_BAD_DATES: Final = {
    IncidentSource.APP: ("2024-02-30 09:15:00", "昨天下午", "2025/13/01 10:00:00"),
    IncidentSource.HOTLINE: ("2024/2/30 14:03", "待补录"),
    IncidentSource.MINIPROGRAM: ("2024-06-31T10:00:00+08:00", "刚刚"),
}
_BAD_CATEGORIES: Final = ("医患纠纷", "环境污染纠纷", "消费维权")
_BAD_ADDRESSES: Final = ("城东某小区附近", "火车站对面", "不清楚", "老地方")


def plant_defects(
    rng: np.random.Generator,
    channel: IncidentSource,
    frame: pd.DataFrame,
    times: pd.Series,
    address_only: NDArray[np.bool_],
    total: int,
) -> tuple[pd.DataFrame, list[tuple[str, str, int]]]:
    """The frame with this channel's defects planted, and (defect, id, row) for each planted row."""
    frame = frame.copy()
    frame["_defect"] = None
    frame["_order"] = np.arange(len(frame), dtype=np.float64)
    lon, lat = COORDINATE_COLUMNS[channel]
    used = np.zeros(len(frame), dtype=bool)
    copies = []
    for _, defect, share in (d for d in _DEFECTS if d[0] is channel):
        eligible = ~used
        if defect in ("swapped_coordinates", "non_numeric_coordinate"):
            eligible &= frame[lon].notna().to_numpy()
        if defect == "unmatched_address":
            eligible &= address_only
        candidates = np.flatnonzero(eligible)
        rows = candidates[weighted_sample(rng, np.ones(len(candidates)), max(1, round(share * total)))]
        used[rows] = True
        if defect == "swapped_coordinates":
            frame.loc[rows, [lon, lat]] = frame.loc[rows, [lat, lon]].to_numpy()
        elif defect == "non_numeric_coordinate":
            column = lon if rng.random() < 0.5 else lat
            frame.loc[rows, column] = rng.choice(np.array(_BAD_COORDINATES, dtype=object), len(rows))
        elif defect == "unparseable_date":
            frame.loc[rows, TIME_COLUMN[channel]] = rng.choice(
                np.array(_BAD_DATES[channel], dtype=object), len(rows)
            )
        elif defect == "unknown_category":
            frame.loc[rows, CATEGORY_COLUMN[channel]] = rng.choice(
                np.array(_BAD_CATEGORIES, dtype=object), len(rows)
            )
        elif defect == "unmatched_address":
            frame.loc[rows, "事发地址"] = rng.choice(np.array(_BAD_ADDRESSES, dtype=object), len(rows))
        if defect == "duplicate_id":
            copy = frame.iloc[rows].copy()
            later = times.iloc[rows] + pd.to_timedelta(rng.integers(2, 10, len(rows)), unit="min")
            copy[TIME_COLUMN[channel]] = format_time(later.reset_index(drop=True), channel).to_numpy()
            copy["_order"] = rows + 0.5
            copy["_defect"] = defect
            copies.append(copy)
        else:
            frame.loc[rows, "_defect"] = defect
    frame = pd.concat([frame, *copies]).sort_values("_order", kind="stable").reset_index(drop=True)
    defects = frame.pop("_defect")
    frame = frame.drop(columns="_order")
    id_column = KEY_COLUMNS[channel][0]
    planted = [
        (str(defects[r]), str(frame.at[r, id_column]), int(r)) for r in np.flatnonzero(defects.notna())
    ]
    return frame, planted
