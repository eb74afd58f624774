"""Area geometry for maps: one cached GeoJSON file per boundary version and level, cut per area for
drill-down, and the store's places (centres, mediation organisations) as points."""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from dashboard.settings import Settings
from geo.api import (
    Col,
    GeoInputError,
    Layer,
    Level,
    StoreError,
    area_geojson_file,
    city_code_of,
    open_store,
    point_collection,
    write_text_atomically,
)


@dataclass(frozen=True)
class AreaLayer:
    """One level's geometry file, ready to be fetched by the browser."""

    level: str
    file_name: str  # a file in settings.cache_dir; its name changes with the boundary version
    count: int


@dataclass(frozen=True)
class AreaOverview:
    city_code: str
    city_name: str
    bounds: tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east))
    layers: tuple[AreaLayer, ...]  # in the order asked for; levels the store lacks are left out
    names: dict[str, str]  # code -> name of every area above the finest layer, for tooltips


class AreaMaps:
    """Area geometry and names for maps, from the store named in the settings."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._store = open_store(settings.store)
        self._lock = threading.Lock()
        self._overviews: dict[tuple[object, tuple[str, ...]], AreaOverview] = {}

    def overview(self, levels: Sequence[Level | str]) -> AreaOverview:
        """The city's outline and the current areas of `levels`, each as a cached GeoJSON file."""
        wanted = tuple(Level(level).value for level in levels)
        key = (self._store.state(), wanted)
        with self._lock:
            if key not in self._overviews:
                self._overviews = {key: self._read_overview(wanted)}
            return self._overviews[key]

    def _read_overview(self, levels: tuple[str, ...]) -> AreaOverview:
        areas = self._store.read_areas()
        present = [level for level in levels if (areas[Col.LEVEL] == level).any()]
        if not present:
            raise StoreError(f"{self._store!r} has no current areas of the levels {', '.join(levels)}")
        layers = tuple(
            AreaLayer(
                level=level,
                file_name=area_geojson_file(self._store, level, self._settings.cache_dir).name,
                count=int((areas[Col.LEVEL] == level).sum()),
            )
            for level in present
        )
        return AreaOverview(
            city_code=_city_code(areas),
            city_name=_city_name(areas),
            bounds=_bounds(areas),
            layers=layers,
            names=_names_above(areas, present),
        )


def _city_code(areas: pd.DataFrame) -> str:
    city = areas[areas[Col.LEVEL] == Level.CITY]
    if len(city):
        return str(city[Col.CODE].iloc[0])
    counties = areas[areas[Col.LEVEL] == Level.COUNTY]
    return city_code_of(str(counties[Col.CODE].iloc[0])) if len(counties) else ""


def _city_name(areas: pd.DataFrame) -> str:
    city = areas[areas[Col.LEVEL] == Level.CITY]
    return str(city[Col.NAME].iloc[0]) if len(city) else ""


def _bounds(areas: pd.DataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    west, south, east, north = (float(v) for v in areas.geometry.total_bounds)
    return (south, west), (north, east)


def _names_above(areas: pd.DataFrame, levels: list[str]) -> dict[str, str]:
    order = [level.value for level in Level]
    finest = max(order.index(level) for level in levels)
    above = areas[areas[Col.LEVEL].isin(order[1:finest])]
    return dict(zip(above[Col.CODE].astype(str), above[Col.NAME].astype(str), strict=True))


# ---------------------------------------------------------------- drill-down: area tree and per-area files

_CODE_TEXT: Final = re.compile(r"^\d{6,17}$")
Bounds = tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east))


@dataclass(frozen=True)
class AreaNode:
    code: str
    name: str
    level: str
    parent: str | None
    bounds: Bounds


class AreaTree:
    """The current areas as a tree: names, levels, parents, children and bounds by code."""

    def __init__(self, nodes: dict[str, AreaNode], city_code: str) -> None:
        self.city_code = city_code
        self._nodes = nodes
        children: dict[str, list[str]] = {}
        for node in nodes.values():
            if node.parent is not None and node.parent in nodes:
                children.setdefault(node.parent, []).append(node.code)
        self._children = {code: sorted(kids) for code, kids in children.items()}

    def __contains__(self, code: object) -> bool:
        return code in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def codes(self) -> list[str]:
        return list(self._nodes)

    def node(self, code: str) -> AreaNode:
        return self._nodes[code]

    def get(self, code: str | None) -> AreaNode | None:
        return self._nodes.get(code) if code else None

    def levels(self) -> set[str]:
        return {node.level for node in self._nodes.values()}

    def children(self, code: str) -> list[str]:
        return self._children.get(code, [])

    def has_children(self, code: str) -> bool:
        return bool(self._children.get(code))

    def child_level(self, code: str) -> str | None:
        kids = self._children.get(code)
        return self._nodes[kids[0]].level if kids else None

    def ancestors(self, code: str) -> list[AreaNode]:
        """The area's ancestors from the top down, the area itself last."""
        trail: list[AreaNode] = []
        node = self._nodes.get(code)
        while node is not None and len(trail) <= len(Level):
            trail.append(node)
            node = self._nodes.get(node.parent) if node.parent else None
        return trail[::-1]

    def within(self, code: str) -> str:
        """The code prefix shared by every area below `code` ("" for the city: every area)."""
        return "" if code == self.city_code else code

    def search(self, text: str, *, limit: int = 20) -> list[AreaNode]:
        """Areas whose name contains `text` or whose code starts with it, coarse levels first."""
        wanted = text.strip()
        if not wanted:
            return []
        order = {level.value: index for index, level in enumerate(Level)}
        found = [n for n in self._nodes.values() if wanted in n.name or n.code.startswith(wanted)]
        found.sort(key=lambda n: (order.get(n.level, len(order)), not n.name.startswith(wanted), n.code))
        return found[:limit]


def _tree_from(areas: pd.DataFrame) -> AreaTree:
    bounds = areas.geometry.bounds[["minx", "miny", "maxx", "maxy"]].to_numpy()
    nodes = {}
    for code, name, level, parent, (west, south, east, north) in zip(
        areas[Col.CODE].astype(str),
        areas[Col.NAME].astype(str),
        areas[Col.LEVEL].astype(str),
        areas[Col.PARENT_CODE],
        bounds,
        strict=True,
    ):
        parent_code = None if parent is None or pd.isna(parent) or str(parent) == "" else str(parent)
        nodes[code] = AreaNode(
            code, name, level, parent_code, ((float(south), float(west)), (float(north), float(east)))
        )
    cities = [n.code for n in nodes.values() if n.level == Level.CITY]
    return AreaTree(nodes, cities[0] if cities else _city_code(areas))


@dataclass(frozen=True)
class _LevelFeatures:
    stem: str  # name of the whole level's cached file without ".geojson": it carries version and scheme
    codes: list[str]  # sorted, as area_geojson sorts features
    features: list[dict[str, Any]]


def _checked_prefix(within: str) -> str:
    if within and not _CODE_TEXT.match(within):
        raise GeoInputError(f"area code {within!r} is not a code: expected 6 to 17 digits")
    return within


class AreaFiles:
    """Per-area geometry files for drill-down: the areas of one level below one area, cut from the level's
    simplified file (a subset of a valid coverage stays one), and the store's places as points.

    Everything is cached per store state, so a drill-down costs a dictionary look-up once a file exists.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._store = open_store(settings.store)
        self._lock = threading.Lock()
        self._state: object = None
        self._tree: AreaTree | None = None
        self._levels: dict[str, _LevelFeatures] = {}
        self._written: set[str] = set()
        self._places: dict[str, list[dict[str, Any]]] = {}

    def _fresh(self) -> None:
        """Forget everything when the store changed (called with the lock held)."""
        state = self._store.state()
        if state != self._state:
            self._state, self._tree = state, None
            self._levels, self._written, self._places = {}, set(), {}

    def tree(self) -> AreaTree:
        with self._lock:
            self._fresh()
            if self._tree is None:
                self._tree = _tree_from(self._store.read_areas())
            return self._tree

    def _level(self, level: str) -> _LevelFeatures:
        if level not in self._levels:
            path = area_geojson_file(self._store, level, self._settings.cache_dir)
            features = json.loads(path.read_text(encoding="utf-8"))["features"]
            codes = [str(f["properties"][Col.CODE]) for f in features]
            self._levels[level] = _LevelFeatures(path.stem, codes, features)
        return self._levels[level]

    def _within(self, level: str, within: str) -> list[dict[str, Any]]:
        cut = self._level(level)
        start = bisect.bisect_left(cut.codes, within)
        stop = bisect.bisect_left(cut.codes, within + "\x7f") if within else len(cut.codes)
        return cut.features[start:stop]

    def level_file(self, level: Level | str, within: str = "") -> str:
        """Name of a cached GeoJSON file (in settings.cache_dir) with the current areas of `level` whose
        codes start with `within` ("" for the whole level)."""
        level_name, prefix = Level(level).value, _checked_prefix(within)
        with self._lock:
            self._fresh()
            cut = self._level(level_name)
            if not prefix:
                return f"{cut.stem}.geojson"
            name = f"{cut.stem}-in-{prefix}.geojson"
            if name not in self._written:
                path = self._settings.cache_dir / name
                if not path.is_file():
                    collection = {"type": "FeatureCollection", "features": self._within(level_name, prefix)}
                    write_text_atomically(path, _json_text(collection))
                self._written.add(name)
            return name

    def prepare(self) -> list[str]:
        """Simplify every level of the current areas now (once per boundary version), so that no visitor
        waits for it; the names of the files (in settings.cache_dir), whole levels, which the first views
        show."""
        present = self.tree().levels()
        return [self.level_file(level) for level in Level if level.value in present]

    def level_collection(self, level: Level | str, within: str = "") -> dict[str, Any]:
        """The features `level_file` holds, as a FeatureCollection (for exports)."""
        level_name, prefix = Level(level).value, _checked_prefix(within)
        with self._lock:
            self._fresh()
            return {"type": "FeatureCollection", "features": list(self._within(level_name, prefix))}

    def places_file(self, layer: Layer | str, within: str = "") -> str:
        """Name of a cached GeoJSON file with the points of a places layer (centres, mediation_orgs) whose
        area code starts with `within`; properties: id, name, kind (centre level or organisation type)."""
        layer_name, prefix = Layer(layer).value, _checked_prefix(within)
        with self._lock:
            self._fresh()
            if layer_name not in self._places:
                self._places[layer_name] = _place_features(self._store.read(layer_name), layer_name)
            tag = hashlib.sha256(repr(self._state).encode()).hexdigest()[:12]
            name = f"places-{layer_name}-{tag}{'-in-' + prefix if prefix else ''}.geojson"
            if name not in self._written:
                path = self._settings.cache_dir / name
                if not path.is_file():
                    places = self._places[layer_name]
                    features = [f for f in places if f["properties"]["area"].startswith(prefix)]
                    collection = {"type": "FeatureCollection", "features": features}
                    write_text_atomically(path, _json_text(collection))
                self._written.add(name)
            return name


_PLACE_ID: Final = {Layer.CENTRES.value: "centre_id", Layer.MEDIATION_ORGS.value: "org_id"}
_PLACE_KIND: Final = {Layer.CENTRES.value: Col.LEVEL.value, Layer.MEDIATION_ORGS.value: "org_type"}


def _json_text(collection: dict[str, Any]) -> str:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


def _place_features(frame: pd.DataFrame, layer: str) -> list[dict[str, Any]]:
    id_column, kind_column = _PLACE_ID.get(layer), _PLACE_KIND.get(layer)

    def text(column: str | None) -> list[str]:
        if column is None or column not in frame.columns:
            return [""] * len(frame)
        return [str(v) if v is not None and not pd.isna(v) else "" for v in frame[column]]

    properties = {
        "id": text(id_column),
        "name": text(Col.NAME),
        "kind": text(kind_column),
        "area": text("area_code"),
    }
    collection = point_collection(frame.geometry.x, frame.geometry.y, properties)
    return list(collection["features"])
