"""Generated place names for the demo's townships, villages and communities.

They are built from syllables common in Hexi-corridor place names, so they read naturally, but they are
not the real names of Jiuquan's townships: the demo's areas are generated shapes, and real names on
invented shapes would mislead.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

_FIRST = "泉金清银安丰新红黄沙柳杨河祁玉阳古宁兴永双东西南北上下中长平和"
_SECOND = "湖峰坝泉园川滩台沟湾井渠源坪堡营庄梁山林乐福盛泰德"
_STREET_STEMS = ("东关", "西关", "南关", "北关", "鼓楼", "滨河", "城中", "钟楼", "站前", "河西")
_RURAL_SUFFIX = ("镇", "镇", "乡")


def _stems(rng: np.random.Generator) -> Iterator[str]:
    """Two-syllable stems in a random but reproducible order, never repeating."""
    pairs = [a + b for a in _FIRST for b in _SECOND if a != b]
    for index in rng.permutation(len(pairs)):
        yield pairs[index]


class AreaNamer:
    """Hands out names that are unique within the whole demo city."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._stems = _stems(rng)
        self._rng = rng

    def street(self, index: int) -> str:
        if index < len(_STREET_STEMS):
            return f"{_STREET_STEMS[index]}街道"
        return f"{next(self._stems)}街道"

    def town(self, pastoral: bool) -> str:
        suffix = "苏木" if pastoral and self._rng.random() < 0.3 else str(self._rng.choice(_RURAL_SUFFIX))
        return next(self._stems) + suffix

    def community(self) -> str:
        return f"{next(self._stems)}社区"

    def village(self) -> str:
        return f"{next(self._stems)}村"


def grid_name(parent_name: str, number: int) -> str:
    return f"{parent_name}第{number}网格"


def micro_grid_name(grid: str, number: int) -> str:
    return f"{grid}{number}号微网格"
