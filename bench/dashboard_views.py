"""What one view change of the leaders' map costs on the server, and the report table every part of
`python -m bench.dashboard` prints its figures into."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Sequence
from typing import Any, Final

from plotly.utils import PlotlyJSONEncoder

from dashboard.data import Providers
from dashboard.leaders import callbacks, layout, views
from dashboard.leaders.state import ViewState
from geo.api import case_metrics, explain_warning, warning_scores

TARGET_SERVER_MS: Final = 50.0
TARGET_PROVINCE_MS: Final = 100.0  # issue 15: every callback at 30,000 grids, cold or warm
ROWS: list[tuple[str, str, str, str]] = []


def report(figure: str, measured: str, target: str, baseline: str) -> None:
    ROWS.append((figure, measured, target, baseline))
    print(f"  {figure:<46} {measured:>12}   target {target:<9} baseline {baseline}", flush=True)


def timed_ms(call: Callable[[], object], repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def wire_bytes(value: object) -> int:
    """Bytes of a callback output as Dash sends it (plotly's JSON encoder, like dash._utils.to_json)."""
    return len(json.dumps(value, cls=PlotlyJSONEncoder, separators=(",", ":")).encode())


def view_change(state: ViewState, providers: Providers, shown: ViewState) -> tuple[Any, ...]:
    """Every callback that runs on a URL change with the default layers, as the browser would trigger them."""
    shown_map = layout.view_key(views.map_view(shown, providers))
    return (
        callbacks.map_outputs(state, providers, shown_map),
        layout.tiles_data(views.kpi_view(state, providers)),
        views.panel_view(state, providers),
        callbacks.trend_outputs(state, providers, layout.trend_key(shown)),
        callbacks.control_values(
            state, "leaders-month", "?area=x&month=y", list(providers.indicators.months())
        ),
    )


def server_ms(state: ViewState, providers: Providers, shown: ViewState) -> float:
    shown_map = layout.view_key(views.map_view(shown, providers))  # what the browser shows: not timed
    start = time.perf_counter()
    callbacks.map_outputs(state, providers, shown_map)
    views.kpi_view(state, providers)
    views.panel_view(state, providers)
    callbacks.trend_outputs(state, providers, layout.trend_key(shown))
    return (time.perf_counter() - start) * 1000


def month_changes_ms(
    providers: Providers, focuses: Sequence[str], months: Sequence[str]
) -> tuple[list[float], list[float]]:
    """Server ms of each step from one month to the next in each focus area: first visit, best of three."""
    cold, warm = [], []
    for focus in focuses:
        for before, after in itertools.pairwise(months):
            shown, state = ViewState(area=focus, month=before), ViewState(area=focus, month=after)
            cold.append(server_ms(state, providers, shown))
            warm.append(min(server_ms(state, providers, shown) for _ in range(3)))
    return cold, warm


def geo_full_tables_ms(providers: Providers, code: str, month: str) -> float:
    """The baseline: the same colours, explanation and metrics from geo over every incident."""
    data = providers.indicators.data()
    tree = providers.files.tree()
    level = tree.node(code).level
    child = tree.child_level(code) or level
    start = time.perf_counter()
    warning_scores(data.incidents, data.areas, month=month, level=child)
    explain_warning(data.incidents, data.areas, code=code, month=month)
    case_metrics(data.incidents, data.areas, month=month, level=level)
    return (time.perf_counter() - start) * 1000


def drill_path(providers: Providers) -> list[str]:
    """City, then the first county, township, village and grid down the tree."""
    tree = providers.files.tree()
    path = [tree.city_code]
    while tree.children(path[-1]):
        path.append(tree.children(path[-1])[0])
    return path
