"""`Store.read_areas` in terms of `Store.read`'s typed filters, the same for every backend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

import pandas as pd

from geo.schema import Col, Layer

#: `Store.read`'s `equals`: the value a column must hold, or a sequence of values it may hold.
Equals: TypeAlias = Mapping[str, str | Sequence[str]]


def area_filters(
    levels: Sequence[str], parent: str | None, version_id: str | None, current: bool
) -> tuple[dict[str, str | Sequence[str]], list[str]]:
    """`equals` and `unset` for the areas of `levels` (all when empty), children of `parent`, of one
    boundary version, or the current ones (valid_to unset) when `current` and no version is named."""
    equals: dict[str, str | Sequence[str]] = {}
    if levels:
        equals[Col.LEVEL] = [str(level) for level in levels]
    if parent is not None:
        equals[Col.PARENT_CODE] = parent
    if version_id is not None:
        equals[Col.VERSION_ID] = version_id
    unset = [Col.VALID_TO.value] if current and version_id is None else []
    return equals, unset


class AreaReads:
    """`read_areas` for a store class that has `read`."""

    def read(self, layer: str, *, equals: Equals | None = None, unset: Sequence[str] = ()) -> pd.DataFrame:
        raise NotImplementedError  # each backend reads its own way

    def read_areas(
        self, *, levels: Sequence[str] = (), parent: str | None = None, version_id: str | None = None,
        current: bool = True,
    ) -> pd.DataFrame:
        equals, unset = area_filters(levels, parent, version_id, current)
        return self.read(Layer.AREAS, equals=equals, unset=unset)
