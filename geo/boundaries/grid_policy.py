"""The policy a grid layout must meet beyond being a coverage: a least area (no slivers) and a range of
households per grid by kind. The built-in file is ``geo/config/grid_policy.toml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from geo.errors import GeoInputError
from geo.files import read_toml
from geo.schema import AreaKind

DEFAULT_POLICY_FILE: Final = Path(__file__).resolve().parents[1] / "config" / "grid_policy.toml"


@dataclass(frozen=True)
class GridPolicy:
    """Least grid area in m2, and (min, max) households per grid for each kind."""

    min_grid_area_m2: float
    households: dict[str, tuple[int, int]]

    def household_range(self, kind: str) -> tuple[int, int] | None:
        return self.households.get(str(kind))


def load_grid_policy(path: str | Path | None = None) -> GridPolicy:
    """The policy in `path` (the built-in file by default); GeoInputError naming every problem."""
    file = Path(path) if path is not None else DEFAULT_POLICY_FILE
    data = read_toml(file, "grid policy")
    problems = []
    area = data.get("min_grid_area_m2")
    if not isinstance(area, (int, float)) or area < 0:
        problems.append(f"min_grid_area_m2 = {area!r}: expected a number of square metres >= 0")
    ranges: dict[str, tuple[int, int]] = {}
    for kind, bounds in dict(data.get("households", {})).items():
        if kind not in {k.value for k in AreaKind}:
            problems.append(
                f"households.{kind}: unknown kind; allowed are {', '.join(k.value for k in AreaKind)}"
            )
            continue
        bounds = bounds if isinstance(bounds, dict) else {}
        low, high = bounds.get("min"), bounds.get("max")
        if not (isinstance(low, int) and isinstance(high, int) and 0 <= low <= high):
            problems.append(f"households.{kind}: expected integers 0 <= min <= max, got {bounds!r}")
            continue
        ranges[kind] = (low, high)
    if problems:
        raise GeoInputError(f"{file}: " + "; ".join(problems))
    return GridPolicy(min_grid_area_m2=float(area), households=ranges)  # type: ignore[arg-type]
