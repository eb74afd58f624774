"""A monthly trend chart as a plain plotly figure dict (no plotly import at run time: dcc.Graph takes the
dict, and plotly.js is served by Dash from this machine)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

from dashboard.components.warning_map import WARNING_COLOURS

#: dcc.Graph config that loads nothing from elsewhere and shows no plotly branding or cloud buttons.
GRAPH_CONFIG: Final[dict[str, Any]] = {
    "displayModeBar": False,
    "displaylogo": False,
    "showLink": False,
    "showEditInChartStudio": False,
    "scrollZoom": False,
}
_FONT: Final = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def month_marker(month: str) -> dict[str, Any]:
    """The vertical line that marks the chosen month (patched alone when only the month changes)."""
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": month,
        "x1": month,
        "y0": 0,
        "y1": 1,
        "line": {"color": "#14304f", "width": 1.5, "dash": "dot"},
    }


def trend_figure(
    months: Sequence[str],
    scores: Sequence[float],
    levels: Sequence[str | None],
    *,
    selected_month: str,
    score_label: str,
    height: int = 190,
) -> dict[str, Any]:
    """Score per month as a line with markers coloured by that month's warning level."""
    values = [
        None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v), 2) for v in scores
    ]
    colours = [WARNING_COLOURS.get(str(level), WARNING_COLOURS["none"]) for level in levels]
    trace = {
        "type": "scatter",
        "mode": "lines+markers",
        "x": list(months),
        "y": values,
        "name": score_label,
        "line": {"color": "#7c8ea6", "width": 2},
        "marker": {"color": colours, "size": 8, "line": {"color": "#ffffff", "width": 1}},
        "hovertemplate": "%{x}<br>" + score_label + " %{y:.1f}<extra></extra>",
    }
    return {
        "data": [trace],
        "layout": {
            "height": height,
            "margin": {"l": 40, "r": 12, "t": 8, "b": 36},
            "font": {"family": _FONT, "size": 11, "color": "#14304f"},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "#ffffff",
            "xaxis": {"type": "category", "tickangle": -45, "nticks": 12, "showgrid": False},
            "yaxis": {"rangemode": "tozero", "gridcolor": "#e3e9f0", "zeroline": False},
            "showlegend": False,
            "shapes": [month_marker(selected_month)],
        },
    }
