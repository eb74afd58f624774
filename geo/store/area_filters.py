"""`Store.read_areas`'s arguments as the typed filters of `Store.read`, the same for every backend."""

from __future__ import annotations

from collections.abc import Sequence

from geo.schema import Col


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
