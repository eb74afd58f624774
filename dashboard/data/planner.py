"""The planners' workbench data: candidate layouts under edit (one per page session, with its undo steps),
their problems, figures and impact preview, saving them as boundary versions, the history, diffs and roll
backs, all through geo.api.

A session is a token the page keeps; the candidates live in this process, so a reload starts over from the
stored layout (nothing is saved by accident).
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd

from dashboard.data.store_state import StateCache
from dashboard.settings import Settings
from geo import api

#: Sessions kept at once; the oldest is forgotten first.
_KEPT_SESSIONS: Final = 32
#: Undo steps kept per session.
_KEPT_STEPS: Final = 20
#: What a page may ask the workbench to do.
TOOLS: Final = ("split", "merge", "redraw", "move", "vertex")


@dataclass(frozen=True)
class Inputs:
    """The layers an impact preview reads, once per store state."""

    areas: pd.DataFrame
    incidents: pd.DataFrame
    addresses: pd.DataFrame
    workers: pd.DataFrame


@dataclass
class Session:
    parent_code: str
    steps: list[api.Candidate]

    @property
    def candidate(self) -> api.Candidate:
        return self.steps[-1]


class PlannerData:
    """Candidates under edit for the store in `settings`."""

    def __init__(self, settings: Settings) -> None:
        self._store = api.open_store(settings.store)
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._inputs: StateCache[Inputs] = StateCache(self._store, self._read_inputs)
        self._parents: StateCache[list[tuple[str, str, str]]] = StateCache(self._store, self._read_parents)

    def _read_inputs(self) -> Inputs:
        read = self._store.read
        return Inputs(read(api.Layer.AREAS), read(api.Layer.INCIDENTS), read(api.Layer.ADDRESSES),
                      read(api.Layer.GRID_WORKERS))

    def available(self) -> bool:
        """Whether the store holds what the workbench needs (grids, incidents, addresses, grid workers)."""
        layers = self._store.layers()
        needed = (api.Layer.INCIDENTS, api.Layer.ADDRESSES, api.Layer.GRID_WORKERS)
        return all(layer.value in layers for layer in needed)

    # ------------------------------------------------------------ areas and sessions

    def parents(self) -> list[tuple[str, str, str]]:
        """(code, name, level) of every township and village with grids, by code."""
        return self._parents.get()

    def _read_parents(self) -> list[tuple[str, str, str]]:
        areas = self._store.read_areas()
        grids = areas[areas[api.Col.LEVEL] == api.Level.GRID][api.Col.CODE].astype(str)
        prefixes = set(grids.str[:9]) | set(grids.str[:12])
        shown = areas[areas[api.Col.LEVEL].isin([api.Level.TOWNSHIP, api.Level.VILLAGE])
                      & areas[api.Col.CODE].isin(prefixes)].sort_values(api.Col.CODE)
        return [(str(r.code), str(r.name), str(r.level)) for r in shown.itertuples()]

    def open(self, parent_code: str) -> str:
        """A new session on the stored layout of `parent_code`; its token."""
        candidate = api.open_candidate(self._store, parent_code)
        token = secrets.token_hex(8)
        with self._lock:
            self._sessions[token] = Session(parent_code, [candidate])
            while len(self._sessions) > _KEPT_SESSIONS:
                self._sessions.popitem(last=False)
        return token

    def session(self, token: str | None, parent_code: str) -> tuple[str, Session]:
        """The session of `token` when it edits `parent_code`, else a new one."""
        with self._lock:
            found = self._sessions.get(token or "")
            if found is not None and found.parent_code == parent_code:
                self._sessions.move_to_end(token or "")
                return token or "", found
        token = self.open(parent_code)
        return token, self._sessions[token]

    # ------------------------------------------------------------ edits

    def edit(self, token: str, tool: str, codes: list[str], shape: dict[str, Any] | None) -> api.Candidate:
        """Apply `tool` to the session's candidate with the selected grid `codes` and the drawn `shape`
        (a GeoJSON geometry); api.EditError (or GeoInputError) says why it cannot be done."""
        session = self._sessions[token]
        edited = apply_tool(session.candidate, tool, codes, shape)
        session.steps.append(edited)
        del session.steps[1:-_KEPT_STEPS]
        return edited

    def undo(self, token: str) -> None:
        steps = self._sessions[token].steps
        if len(steps) > 1:
            steps.pop()

    def replace(self, token: str, candidate: api.Candidate) -> None:
        self._sessions[token].steps.append(candidate)

    def roll_back_to(self, token: str, version_id: str) -> api.Candidate:
        """The session's next step is the layout of `version_id` over the current one (a roll back, once
        saved)."""
        session = self._sessions[token]
        candidate = api.candidate_of_version(self._store, version_id, parent_code=session.parent_code)
        session.steps.append(candidate)
        return candidate

    # ------------------------------------------------------------ what the page shows

    def figures(self, candidate: api.Candidate) -> pd.DataFrame:
        inputs = self._inputs.get()
        latest = pd.to_datetime(inputs.incidents[api.Col.REPORTED_AT]).max()
        year = latest.year if pd.notna(latest) else dt.date.today().year
        return api.grid_figures(candidate, inputs.incidents, year=int(year))

    @staticmethod
    def grids_geojson(candidate: api.Candidate) -> dict[str, Any]:
        return api.candidate_geojson(candidate)

    @staticmethod
    def problems_geojson(problems: list[api.Problem]) -> dict[str, Any]:
        return api.problems_geojson(problems)

    @staticmethod
    def bounds(candidate: api.Candidate) -> list[list[float]]:
        """The parent's bounds as Leaflet's [[south, west], [north, east]]."""
        west, south, east, north = candidate.parent.bounds
        return [[south, west], [north, east]]

    def base(self, token: str) -> api.Candidate:
        return self._sessions[token].steps[0]

    def problems(self, candidate: api.Candidate) -> list[api.Problem]:
        return api.check_candidate(candidate)

    def impact(self, candidate: api.Candidate, effective: dt.date) -> api.Impact:
        inputs = self._inputs.get()
        return api.candidate_impact(candidate, areas=inputs.areas, incidents=inputs.incidents,
                                    addresses=inputs.addresses, workers=inputs.workers, effective=effective)

    def save(self, token: str, *, effective: dt.date, author: str, reason: str) -> api.SavedVersion:
        """Save the session's candidate; on success the session starts again from the saved layout.
        Raises ConcurrentSaveError, CandidateRefusedError or GeoInputError with the reason."""
        session = self._sessions[token]
        saved = api.save_candidate(self._store, session.candidate, effective=effective, author=author,
                                   reason=reason)
        session.steps = [api.open_candidate(self._store, session.parent_code)]
        return saved

    def export(self, token: str) -> bytes:
        """The session's candidate as a GeoPackage (for QGIS, or to redo a refused save on a newer layout)."""
        with tempfile.TemporaryDirectory() as folder:
            path = api.write_layout_file(self._sessions[token].candidate.grids, Path(folder) / "layout.gpkg",
                                         file_format="gpkg")
            return path.read_bytes()

    def history(self, parent_code: str) -> pd.DataFrame:
        """Versions of `parent_code`'s grids and those above it (a whole-city version too), newest first."""
        versions = api.boundary_history(self._store)
        parents = versions[api.Col.PARENT_CODE].fillna("").astype(str)
        mine = versions[[parent_code.startswith(p) or p.startswith(parent_code) for p in parents]]
        return mine.iloc[::-1].reset_index(drop=True)

    def diff(self, first: str, second: str) -> pd.DataFrame:
        return api.diff_versions(self._store, first, second)

    def version_geojson(self, version_id: str, codes: list[str]) -> dict[str, Any]:
        """The grids `codes` as they were in version `version_id`, for the map beside the current ones."""
        areas, versions = self._store.read(api.Layer.AREAS), self._store.read(api.Layer.BOUNDARY_VERSIONS)
        layout = api.version_layout(areas, versions, version_id)
        return api.layout_geojson(layout[layout[api.Col.CODE].isin(codes)])


def apply_tool(
    candidate: api.Candidate, tool: str, codes: list[str], shape: dict[str, Any] | None
) -> api.Candidate:
    """One edit of the workbench: which library edit each tool is, and what it needs."""
    geometry = api.shape_from_geojson(shape) if shape else None
    needs = {"split": (1, "LineString"), "merge": (2, None), "redraw": (2, "LineString"),
             "move": (1, "Polygon"), "vertex": (1, "Polygon")}
    if tool not in needs:
        raise api.EditError(f"tool {tool!r}: not one of {', '.join(TOOLS)}")
    count, kind = needs[tool]
    if len(codes) < count or (tool != "merge" and len(codes) > count):
        raise api.EditError(f"{tool}: select {'at least ' if tool == 'merge' else ''}{count} grid(s) "
                            f"on the map ({len(codes)} selected)")
    if kind and (geometry is None or geometry.geom_type != kind):
        drawn = "a line" if kind == "LineString" else "a polygon"
        raise api.EditError(f"{tool}: draw {drawn} on the map first")
    if tool == "split":
        return api.split_grid(candidate, codes[0], geometry)
    if tool == "merge":
        return api.merge_grids(candidate, codes)
    if tool == "redraw":
        return api.redraw_edge(candidate, codes[0], codes[1], geometry)
    if tool == "move":
        return api.move_block(candidate, geometry, codes[0])
    return api.reshape_grid(candidate, codes[0], geometry)
