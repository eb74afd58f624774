"""How many areas of each kind the demo puts in each county, and how many people live in them.

The totals reproduce the seed: 77 townships and streets, 51 urban communities, 510 villages and
communities, 1,424 grids. The split between counties follows their size and population (about 1.05 M
people in the city); the numbers per county are the demo's, not official statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class CountyPlan:
    code: str
    streets: int  # urban sub-districts around the county seat
    towns: int  # rural towns and townships (pastoral in 肃北 and 阿克塞)
    communities: int  # urban communities, all in the streets
    villages: int  # rural or pastoral villages, all in the towns
    urban_grids: int
    rural_grids: int
    rural_population: int
    pastoral: bool = False


PLANS: Final[tuple[CountyPlan, ...]] = (
    CountyPlan("620902", 6, 16, 24, 154, 360, 260, 100_000),
    CountyPlan("620921", 1, 9, 5, 80, 60, 100, 55_000),
    CountyPlan("620922", 1, 11, 5, 75, 60, 110, 55_000),
    CountyPlan("620923", 1, 5, 1, 22, 10, 28, 4_500, pastoral=True),
    CountyPlan("620924", 1, 3, 1, 12, 8, 18, 2_800, pastoral=True),
    CountyPlan("620981", 3, 10, 7, 60, 100, 100, 40_000),
    CountyPlan("620982", 2, 8, 8, 56, 110, 100, 48_000),
)
#: Counties whose towns are pastoral (肃北 and 阿克塞): herders, grassland disputes and committees.
PASTORAL_COUNTIES: Final = tuple(plan.code for plan in PLANS if plan.pastoral)

#: Households per urban grid, the range grid-management rules give for a city grid.
URBAN_GRID_HOUSEHOLDS: Final = (200, 600)
PEOPLE_PER_HOUSEHOLD: Final = 2.6

#: Urban communities (by order within the county) whose grids are split into micro-grids ("wartime" mode).
MICRO_GRID_COMMUNITIES: Final = {"620902": 2, "620982": 1}
MICRO_GRIDS_PER_GRID: Final = (3, 6)

BOUNDARY_VERSION: Final = "v2023-11-01"
BOUNDARY_VALID_FROM: Final = "2023-11-01"
SEED: Final = 620900
