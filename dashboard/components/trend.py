"""Monthly trend charts as plain plotly figure dicts (no plotly import at run time: dcc.Graph takes the
dict, and plotly.js is served by Dash from this machine).

One look per theme over a shared base: the leaders' chart (light) draws an area's warning score with each
month's marker in its warning colour; the wall's (dark) draws monthly incidents as bars and red grids as a
line on a second axis, with fonts in proportion to the screen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

from dashboard.components.theme import FONT_FAMILY, Theme
from dashboard.components.warning_map import palette

#: dcc.Graph config that loads nothing from elsewhere and shows no plotly branding or cloud buttons.
GRAPH_CONFIG: Final[dict[str, Any]] = {
    "displayModeBar": False,
    "displaylogo": False,
    "showLink": False,
    "showEditInChartStudio": False,
    "scrollZoom": False,
}
#: Axis and text colours per theme.
_INK: Final[dict[Theme, str]] = {"light": "#14304f", "dark": "#9fbbdc"}
_TRANSPARENT: Final = "rgba(0,0,0,0)"


def _base_layout(theme: Theme, *, font_size: int) -> dict[str, Any]:
    return {
        "font": {"family": FONT_FAMILY[theme], "size": font_size, "color": _INK[theme]},
        "paper_bgcolor": _TRANSPARENT,
    }


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
        "line": {"color": _INK["light"], "width": 1.5, "dash": "dot"},
    }


def tick_step(peak: float, ticks: int = 5) -> int:
    """The smallest round step (1, 2 or 5 times a power of ten, at least 1) with at most `ticks` steps up to
    `peak`: counts read as whole numbers."""
    raw = max(peak, 1) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return max(1, int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)))


def trend_figure(
    months: Sequence[str],
    scores: Sequence[float],
    levels: Sequence[str | None],
    *,
    selected_month: str,
    score_label: str,
    height: int = 190,
) -> dict[str, Any]:
    """Score per month as a line with markers coloured by that month's warning level (light theme)."""
    values = [
        None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v), 2) for v in scores
    ]
    colours = palette("light")
    trace = {
        "type": "scatter",
        "mode": "lines+markers",
        "x": list(months),
        "y": values,
        "name": score_label,
        "line": {"color": "#7c8ea6", "width": 2},
        "marker": {
            "color": [colours.get(str(level), colours["none"]) for level in levels],
            "size": 8,
            "line": {"color": "#ffffff", "width": 1},
        },
        "hovertemplate": "%{x}<br>" + score_label + " %{y:.1f}<extra></extra>",
    }
    return {
        "data": [trace],
        "layout": {
            **_base_layout("light", font_size=11),
            "height": height,
            "margin": {"l": 40, "r": 12, "t": 8, "b": 36},
            "plot_bgcolor": "#ffffff",
            "xaxis": {"type": "category", "tickangle": -45, "nticks": 12, "showgrid": False},
            "yaxis": {"rangemode": "tozero", "gridcolor": "#e3e9f0", "zeroline": False},
            "showlegend": False,
            "shapes": [month_marker(selected_month)],
        },
    }


def incident_trend_figure(
    months: Sequence[str],
    incidents: Sequence[int],
    red_grids: Sequence[int],
    *,
    incidents_label: str,
    red_label: str,
    screen_height: int,
) -> dict[str, Any]:
    """Bars of monthly incidents, the latest month brighter, and a line of red grids on a second axis
    (dark theme); fonts in proportion to the screen's height."""
    font = max(11, round(screen_height * 0.0135))
    months = list(months)
    latest = len(months) - 1
    red = palette("dark")["red"]
    return {
        "data": [
            {
                "type": "bar", "x": months, "y": list(incidents), "name": incidents_label,
                "marker": {"color": ["#38bdf8" if i == latest else "#1e6fa8" for i in range(len(months))]},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter", "mode": "lines+markers", "x": months, "y": list(red_grids),
                "yaxis": "y2", "name": red_label, "hoverinfo": "skip",
                "line": {"color": red, "width": max(2, font // 6)},
                "marker": {"size": max(4, font // 3), "color": red},
            },
        ],
        "layout": {
            **_base_layout("dark", font_size=font),
            "plot_bgcolor": _TRANSPARENT,
            "margin": {"l": round(font * 3.2), "r": round(font * 2.6), "t": round(font * 2.2),
                       "b": round(font * 2)},
            "showlegend": True,
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "font": {"size": font}},
            "xaxis": {"type": "category", "tickvals": months[::6] + ([months[-1]] if latest % 6 else []),
                      "showgrid": False, "linecolor": "#2b4a6f", "tickcolor": "#2b4a6f", "fixedrange": True},
            "yaxis": {"gridcolor": "rgba(125,160,200,0.15)", "zeroline": False, "rangemode": "tozero",
                      "fixedrange": True, "tickformat": ",d", "tick0": 0,
                      "dtick": tick_step(max(incidents, default=0))},
            "yaxis2": {"overlaying": "y", "side": "right", "showgrid": False, "zeroline": False,
                       "rangemode": "tozero", "fixedrange": True, "tickformat": ",d", "tick0": 0,
                       "dtick": tick_step(max(red_grids, default=0)), "color": red},
            "bargap": 0.25,
            "hovermode": False,
            "uirevision": "wall",
        },
    }


def empty_figure(theme: Theme) -> dict[str, Any]:
    """A chart before its first data: transparent, no axes."""
    return {
        "data": [],
        "layout": {"paper_bgcolor": _TRANSPARENT, "plot_bgcolor": _TRANSPARENT,
                   "font": {"family": FONT_FAMILY[theme]}, "xaxis": {"visible": False},
                   "yaxis": {"visible": False}},
    }
