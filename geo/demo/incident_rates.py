"""The seed's dispute figures measured on the demo's raw rows, before any ingest."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geo.demo.incident_draws import YEARS
from geo.demo.incident_labels import CLOSED, KEY_COLUMNS
from geo.demo.incidents import RawIncidents
from geo.schema import IncidentSource


def seed_rates(raw: RawIncidents | Mapping[IncidentSource | str, pd.DataFrame]) -> dict[str, float]:
    """The seed's dispute figures measured on raw rows (frames as generated, or as read back from the
    files with every column as text): disputes_per_year (distinct ids), closure_rate,
    pre_litigation_diversion_rate, pre_litigation_success_rate, repeat_petition_closure_rate."""
    frames = raw.frames() if isinstance(raw, RawIncidents) else {IncidentSource(k): v for k, v in raw.items()}
    distinct, statuses, outcomes = 0, [], []
    for channel, frame in frames.items():
        id_column, status_column, outcome_column = KEY_COLUMNS[channel]
        distinct += frame[id_column].nunique()
        statuses.append(frame[status_column].astype(str))
        outcomes.append(frame[outcome_column].dropna().astype(str))
    status = pd.concat(statuses)
    outcome = pd.concat(outcomes)
    pre = outcome.isin(["诉前调解成功", "诉前调解不成"]).sum()
    court = pre + (outcome == "诉讼").sum()
    app = frames[IncidentSource.APP]
    repeat = pd.to_numeric(app["repeat_petition"], errors="coerce") == 1
    return {
        "disputes_per_year": distinct / YEARS,
        "closure_rate": float((status == CLOSED).mean()),
        "pre_litigation_diversion_rate": float(pre / court) if court else float("nan"),
        "pre_litigation_success_rate": float((outcome == "诉前调解成功").sum() / pre)
        if pre
        else float("nan"),
        "repeat_petition_closure_rate": float((app.loc[repeat, "status"].astype(str) == CLOSED).mean()),
    }
