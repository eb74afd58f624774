"""Weights and thresholds of the safety warning index, read from a TOML file.

The built-in file is ``geo/config/warning_index.toml``; a command centre may keep its own copy and pass
its path. Every problem in a file is collected and reported together in one GeoInputError.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from geo.errors import GeoInputError
from geo.files import read_toml
from geo.schema import IncidentCategory, Level

DEFAULT_CONFIG_FILE: Final = Path(__file__).resolve().parents[1] / "config" / "warning_index.toml"


class Factor(StrEnum):
    """What the score is made of, in the order contributions are added."""

    INCIDENTS = "incidents"
    UNRESOLVED = "unresolved"
    OVERDUE = "overdue"
    REPEAT_PETITIONS = "repeat_petitions"
    SERIOUS = "serious"
    MONTH_ON_MONTH = "month_on_month"
    YEAR_ON_YEAR = "year_on_year"


class ThresholdMode(StrEnum):
    FIXED = "fixed"
    QUANTILE = "quantile"


@dataclass(frozen=True)
class FixedThresholds:
    """Points at or above which an area is red, or yellow, under the fixed mode."""

    red: float
    yellow: float


@dataclass(frozen=True)
class WarningConfig:
    weights: Mapping[Factor, float]
    category_weights: Mapping[str, float]
    severity_weights: Mapping[int, float]
    overdue_days: int
    households_floor: float
    mode: ThresholdMode
    red_share: float
    yellow_share: float
    min_areas_for_quantiles: int
    fixed: FixedThresholds
    fixed_by_level: Mapping[Level, FixedThresholds]

    def thresholds_for(self, level: Level) -> FixedThresholds:
        return self.fixed_by_level.get(level, self.fixed)

    def with_mode(self, mode: ThresholdMode | str) -> WarningConfig:
        """The same weights with the other threshold mode."""
        try:
            return dataclasses.replace(self, mode=ThresholdMode(mode))
        except ValueError:
            raise GeoInputError(f"threshold mode {mode!r}: allowed are fixed, quantile") from None


class _Reader:
    """Reads typed values from the parsed file, collecting problems instead of stopping at the first."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []

    def table(self, *keys: str) -> Mapping[str, Any]:
        node: Any = self.data
        for key in keys:
            node = node.get(key, {}) if isinstance(node, Mapping) else {}
        if not isinstance(node, Mapping):
            self.problems.append(f"[{'.'.join(keys)}] must be a table")
            return {}
        return node

    def number(
        self, table: Mapping[str, Any], key: str, where: str, *, low: float = 0.0, high: float = float("inf")
    ) -> float:
        value = table.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problems.append(f"{where}.{key} = {value!r}: expected a number")
            return 0.0
        if not low <= value <= high:
            self.problems.append(f"{where}.{key} = {value}: allowed {low} to {high}")
        return float(value)

    def named_numbers(self, where: str, allowed: list[str]) -> dict[str, float]:
        table = self.table(*where.split("."))
        unknown = sorted(set(table) - set(allowed))
        missing = [k for k in allowed if k not in table]
        if unknown:
            self.problems.append(
                f"[{where}] has unknown key(s) {', '.join(unknown)}: allowed are {', '.join(allowed)}"
            )
        if missing:
            self.problems.append(f"[{where}] lacks {', '.join(missing)}")
        return {k: self.number(table, k, where) for k in allowed if k in table}

    def thresholds(self, where: str) -> FixedThresholds:
        table = self.table(*where.split("."))
        red, yellow = self.number(table, "red", where), self.number(table, "yellow", where)
        if red < yellow:
            self.problems.append(
                f"[{where}] red = {red} is below yellow = {yellow}: red must be the higher score"
            )
        return FixedThresholds(red, yellow)


def _parse(data: Mapping[str, Any], source: str) -> WarningConfig:
    reader = _Reader(data)
    weights = reader.named_numbers("weights", [f.value for f in Factor])
    categories = reader.named_numbers("category_weights", [c.value for c in IncidentCategory])
    severities = reader.named_numbers("severity_weights", ["1", "2", "3"])
    mode = str(reader.table("thresholds").get("mode", ""))
    if mode not in {m.value for m in ThresholdMode}:
        reader.problems.append(f"thresholds.mode = {mode!r}: allowed are fixed, quantile")
    quantile = reader.table("thresholds", "quantile")
    red_share = reader.number(quantile, "red_share", "thresholds.quantile", high=1.0)
    yellow_share = reader.number(quantile, "yellow_share", "thresholds.quantile", high=1.0)
    if red_share + yellow_share > 1.0:
        reader.problems.append("thresholds.quantile: red_share + yellow_share must not exceed 1")
    fixed_table = reader.table("thresholds", "fixed")
    by_level = {
        Level(k): reader.thresholds(f"thresholds.fixed.{k}")
        for k in fixed_table
        if isinstance(fixed_table[k], Mapping) and k in {lv.value for lv in Level}
    }
    strays = [
        k for k in fixed_table if isinstance(fixed_table[k], Mapping) and k not in {lv.value for lv in Level}
    ]
    if strays:
        reader.problems.append(f"[thresholds.fixed] has unknown level(s) {', '.join(strays)}")
    config = WarningConfig(
        weights=MappingProxyType({Factor(k): v for k, v in weights.items()}),
        category_weights=MappingProxyType(categories),
        severity_weights=MappingProxyType({int(k): v for k, v in severities.items()}),
        overdue_days=int(reader.number(data, "overdue_days", "config", low=1, high=3650)),
        households_floor=reader.number(data, "households_floor", "config", low=1),
        mode=ThresholdMode(mode) if mode in {m.value for m in ThresholdMode} else ThresholdMode.QUANTILE,
        red_share=red_share,
        yellow_share=yellow_share,
        min_areas_for_quantiles=int(reader.number(quantile, "min_areas", "thresholds.quantile", low=1)),
        fixed=reader.thresholds("thresholds.fixed"),
        fixed_by_level=MappingProxyType(by_level),
    )
    if reader.problems:
        raise GeoInputError(f"{source}: {len(reader.problems)} problem(s): " + "; ".join(reader.problems))
    return config


def load_warning_config(path: str | os.PathLike[str] | None = None) -> WarningConfig:
    """The warning index settings from `path` (default: the built-in file)."""
    file = Path(path) if path is not None else DEFAULT_CONFIG_FILE
    return _parse(read_toml(file, "warning index config"), str(file))


def resolve_config(config: WarningConfig | str | os.PathLike[str] | None) -> WarningConfig:
    """A config object as given, loaded from a path, or the built-in one."""
    if isinstance(config, WarningConfig):
        return config
    return _builtin_config() if config is None else load_warning_config(config)


@functools.cache
def _builtin_config() -> WarningConfig:
    return load_warning_config()  # frozen, so one parsed copy serves every caller
