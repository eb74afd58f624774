"""The areas as one viewer may see them: the tree below their scope area, which stands as its root, map
files cut to areas inside it, and the planner's townships and villages inside it. A page given these sees
no area outside the scope, so a county leader's drill-down starts at the county and a link naming another
county falls back to it."""

from __future__ import annotations

from typing import Any

from dashboard.data.maps import AreaFiles, AreaNode, AreaTree
from dashboard.data.planner import PlannerData, Session
from geo.api import GeoInputError, Layer, Level, in_scope


class ScopedTree(AreaTree):
    """`tree` cut to the areas in `scope` (an area code), with `city_code` the scope area: the root pages
    fall back to, and whose parent is not in the tree."""

    def __init__(self, tree: AreaTree, scope: str) -> None:
        self._tree = tree
        self.city_code = scope
        self._scope = scope

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._tree and in_scope(self._scope, code)

    def __len__(self) -> int:
        return len(self.codes())

    def codes(self) -> list[str]:
        return [code for code in self._tree.codes() if in_scope(self._scope, code)]

    def node(self, code: str) -> AreaNode:
        if code not in self:
            raise KeyError(code)
        return self._tree.node(code)

    def get(self, code: str | None) -> AreaNode | None:
        return self._tree.get(code) if code in self else None

    def levels(self) -> set[str]:
        return {self._tree.node(code).level for code in self.codes()}

    def children(self, code: str) -> list[str]:
        return self._tree.children(code) if code in self else []

    def has_children(self, code: str) -> bool:
        return code in self and self._tree.has_children(code)

    def child_level(self, code: str) -> str | None:
        return self._tree.child_level(code) if code in self else None

    def ancestors(self, code: str) -> list[AreaNode]:
        return [node for node in self._tree.ancestors(code) if node.code in self]

    def within(self, code: str) -> str:
        return self._tree.within(code)

    def search(self, text: str, *, limit: int = 20) -> list[AreaNode]:
        found = self._tree.search(text, limit=len(self._tree))
        return [node for node in found if node.code in self][:limit]


class ScopedFiles:
    """`AreaFiles` for one scope: its tree is a ScopedTree and only files cut to an area in the scope are
    made (a whole level's file would show every area of the city)."""

    def __init__(self, files: AreaFiles, scope: str) -> None:
        self._files = files
        self._scope = scope

    def tree(self) -> ScopedTree:
        return ScopedTree(self._files.tree(), self._scope)

    def _checked(self, within: str) -> str:
        if not within or not in_scope(self._scope, within):
            raise GeoInputError(f"area {within or 'of the whole city'} lies outside the scope {self._scope}")
        return within

    def level_file(self, level: Level | str, within: str = "") -> str:
        return self._files.level_file(level, self._checked(within))

    def level_collection(self, level: Level | str, within: str = "") -> dict[str, Any]:
        return self._files.level_collection(level, self._checked(within))

    def places_file(self, layer: Layer | str, within: str = "") -> str:
        return self._files.places_file(layer, self._checked(within))

    def prepare(self) -> None:
        self._files.prepare()


class ScopedPlanner:
    """`PlannerData` for one scope: only townships and villages in it may be picked and edited."""

    def __init__(self, planner: PlannerData, scope: str) -> None:
        self._planner = planner
        self._scope = scope

    def parents(self) -> list[tuple[str, str, str]]:
        return [parent for parent in self._planner.parents() if in_scope(self._scope, parent[0])]

    def session(self, token: str | None, parent_code: str) -> tuple[str, Session]:
        if not in_scope(self._scope, parent_code):
            raise GeoInputError(f"area {parent_code} lies outside the scope {self._scope}")
        return self._planner.session(token, parent_code)

    def history(self, parent_code: str) -> Any:
        if not in_scope(self._scope, parent_code):
            raise GeoInputError(f"area {parent_code} lies outside the scope {self._scope}")
        return self._planner.history(parent_code)

    def _checked_versions(self, *version_ids: str) -> None:
        mine = set(self._planner.history(self._scope)["version_id"].astype(str))
        outside = [v for v in version_ids if v not in mine]
        if outside:
            raise GeoInputError(f"version {outside[0]} is not one of the scope {self._scope}")

    def diff(self, first: str, second: str) -> Any:
        self._checked_versions(first, second)
        return self._planner.diff(first, second)

    def version_geojson(self, version_id: str, codes: list[str]) -> dict[str, Any]:
        self._checked_versions(version_id)
        return self._planner.version_geojson(version_id, codes)

    def __getattr__(self, name: str) -> Any:  # edits, saves and figures act on a session made above
        return getattr(self._planner, name)
