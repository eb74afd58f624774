"""One error family for bad input. Messages say what was wrong, where, and what is allowed."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


class GeoInputError(ValueError):
    """Input that the library cannot use as given."""


class UnknownCRSError(GeoInputError):
    def __init__(self, name: object, allowed: Iterable[str]) -> None:
        super().__init__(f"unknown CRS {name!r}: allowed are {', '.join(sorted(allowed))}")
        self.name = name


class InvalidCoverageError(GeoInputError):
    """Polygons that should tile an area have gaps, overlaps or invalid shapes."""

    def __init__(self, layer: str, problems: list[str]) -> None:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{layer}: {len(problems)} coverage problem(s): {shown}{more}")
        self.problems = problems


class StoreError(GeoInputError):
    """A store that is missing, unreadable or lacks a layer."""


class SourceFileError(GeoInputError):
    """A whole input file that cannot be read (row-level problems go to the quarantine instead)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def as_choice(enum: type[E], value: object, what: str, *, where: str = "") -> E:
    """`value` as a member of `enum`; otherwise GeoInputError "[<where>: ]unknown <what> <value>: allowed
    are ..."."""
    try:
        return enum(str(value))
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        prefix = f"{where}: " if where else ""
        raise GeoInputError(f"{prefix}unknown {what} {value!r}: allowed are {allowed}") from None
