"""Mediator coverage: how far every household is from mediation in a given month, and per area at every
level the households and people within each band, the share uncovered, mediators per 10,000 residents,
the caseload per mediator and the dispute kinds that have no specialist within reach.

Extends the per-township density of `mediation_density` with distances; bands come from
`geo/config/coverage.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from geo.analysis.area_months import STILL_OPEN, local_month_ordinals, month_label, month_ordinal
from geo.analysis.coverage_cases import CASES, SpecialistReach, count_cases
from geo.analysis.coverage_config import BAND_LEVELS, CoverageConfig, load_coverage_config
from geo.analysis.households import household_points
from geo.analysis.mediation_points import as_specialty, mediation_points, mediators_by_area, specialist_points
from geo.analysis.nearest import metric_points, nearest_sites
from geo.errors import GeoInputError, StoreError
from geo.schema import CODE_LENGTH, Col, CoverageCol, Layer, Level, as_level, city_code_of, km_to
from geo.store import Store

#: Levels the report has rows for (households carry village codes; grids have no herders' codes).
REPORT_LEVELS: Final = (Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)

_KM_COLUMN: Final = {Level.VILLAGE: CoverageCol.VILLAGE_KM, Level.TOWNSHIP: CoverageCol.TOWNSHIP_KM,
                     Level.COUNTY: CoverageCol.COUNTY_KM}
_WITHIN: Final = {Level.VILLAGE: (CoverageCol.WITHIN_VILLAGE, CoverageCol.PEOPLE_WITHIN_VILLAGE),
                  Level.TOWNSHIP: (CoverageCol.WITHIN_TOWNSHIP, CoverageCol.PEOPLE_WITHIN_TOWNSHIP),
                  Level.COUNTY: (CoverageCol.WITHIN_COUNTY, CoverageCol.PEOPLE_WITHIN_COUNTY)}


@dataclass(frozen=True)
class CoverageInputs:
    """The layers the coverage analysis reads, current areas only. `incidents` is None when they are
    left in an archive (geo.batch.coverage counts them there)."""

    areas: pd.DataFrame
    addresses: pd.DataFrame
    herders: pd.DataFrame | None
    centres: pd.DataFrame
    organisations: pd.DataFrame
    mediators: pd.DataFrame
    incidents: pd.DataFrame | None
    gatehouses: pd.DataFrame | None = None  # candidate sites for new rooms

    @classmethod
    def from_store(cls, store: Store, *, with_incidents: bool = True) -> CoverageInputs:
        present = set(store.layers())
        needed = [Layer.AREAS, Layer.ADDRESSES, Layer.CENTRES, Layer.MEDIATION_ORGS, Layer.MEDIATORS,
                  *([Layer.INCIDENTS] if with_incidents else [])]
        missing = [layer.value for layer in needed if layer.value not in present]
        if missing:
            raise StoreError(f"{store}: coverage needs the layers {', '.join(missing)}, which it lacks")
        read = store.read
        herders = read(Layer.HERDER_HOUSEHOLDS) if Layer.HERDER_HOUSEHOLDS.value in present else None
        gatehouses = read(Layer.GATEHOUSES) if Layer.GATEHOUSES.value in present else None
        incidents = read(Layer.INCIDENTS) if with_incidents else None
        return cls(store.read_areas(), read(Layer.ADDRESSES), herders, read(Layer.CENTRES),
                   read(Layer.MEDIATION_ORGS), read(Layer.MEDIATORS), incidents, gatehouses)

    def disputes(self) -> pd.DataFrame:
        """The incidents; GeoInputError when they were left in an archive."""
        if self.incidents is None:
            raise GeoInputError("coverage inputs read without incidents: count them over the archive with "
                                "`pingan batch coverage`")
        return self.incidents

    def specialist_reach(self, settings: CoverageConfig) -> SpecialistReach:
        """Where each dispute kind's specialists are and the bands they reach (see coverage_cases)."""
        return SpecialistReach.of(self.areas, self.organisations, self.mediators, settings)


def last_month(inputs: CoverageInputs) -> str:
    """The latest month with a reported dispute, as YYYY-MM (what a report shows when no month is given)."""
    ordinals = local_month_ordinals(inputs.disputes()[Col.REPORTED_AT])
    known = ordinals[ordinals != STILL_OPEN]
    if not len(known):
        raise GeoInputError("the store holds no dated disputes: give the month as YYYY-MM")
    return month_label(int(known.max()))


def household_coverage(
    inputs: CoverageInputs,
    *,
    month: str,
    config: CoverageConfig | None = None,
    specialty: str | None = None,
    by_kind: bool = False,
) -> pd.DataFrame:
    """Every household point of `month` with its distance (km) to the nearest mediation point of each
    level, whether it lies within each level's band, and `covered`: within the band of a level in the
    config's `covered_by`, or, with `specialty`, within the specialty band of an organisation that has a
    mediator of that specialty. With `by_kind`, also the distance to the nearest point of each kind the
    store holds (`km_to(kind)`: centres and each organisation type)."""
    settings = config or load_coverage_config()
    chosen = as_specialty(specialty) if specialty is not None else None
    month_of_year = month_ordinal(month) % 12 + 1
    points = household_points(inputs.areas, inputs.addresses, inputs.herders, month_of_year=month_of_year)
    lon, lat = points[CoverageCol.LON].to_numpy(), points[CoverageCol.LAT].to_numpy()
    pastoral = points[CoverageCol.PASTORAL].to_numpy(dtype=bool)
    metric = metric_points(lon, lat)  # projected once for every level's query
    sites = mediation_points(inputs.centres, inputs.organisations)
    covered = np.zeros(len(points), dtype=bool)
    for level in BAND_LEVELS:
        at_level = sites[sites[Col.LEVEL] == level.value]
        km = _nearest_km(lon, lat, at_level, metric)
        within = km <= np.where(pastoral, settings.pastoral_km[level], settings.bands_km[level])
        points[_KM_COLUMN[level].value], points[_WITHIN[level][0].value] = km, within
        if level in settings.covered_by:
            covered |= within
    if by_kind:
        for kind, of_kind in sites.groupby(CoverageCol.POINT_KIND.value, sort=True):
            points[km_to(str(kind))] = _nearest_km(lon, lat, of_kind, metric)
    if chosen is not None:
        experts = specialist_points(inputs.organisations, inputs.mediators, chosen)
        km = _nearest_km(lon, lat, experts, metric)
        covered = km <= np.where(pastoral, settings.pastoral_specialty_km, settings.specialty_km)
        points[CoverageCol.SPECIALTY_KM.value], points[CoverageCol.WITHIN_SPECIALTY.value] = km, covered
    points[CoverageCol.COVERED.value] = covered
    return points


def _nearest_km(
    lon: np.ndarray, lat: np.ndarray, sites: pd.DataFrame, metric: np.ndarray | None = None
) -> np.ndarray:
    site_lon, site_lat = sites[CoverageCol.LON].to_numpy(), sites[CoverageCol.LAT].to_numpy()
    _, km = nearest_sites(lon, lat, site_lon, site_lat, metric=metric)
    return km


def codes_at(village_codes: pd.Series, level: Level) -> pd.Series:
    """The code at `level` of the areas holding the given village (or finer) codes."""
    text = village_codes.astype(str)
    return text.map(city_code_of) if level is Level.CITY else text.str[: CODE_LENGTH[level]]


def mediator_coverage(
    inputs: CoverageInputs,
    *,
    month: str,
    level: Level | str | None = None,
    config: CoverageConfig | None = None,
    specialty: str | None = None,
    by_kind: bool = False,
    cases: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per area (of `level`, or of city, county, township and village): households and people,
    those within each level's band, covered, the uncovered share of households, mediators, mediators per
    10,000 residents, disputes of the twelve months to `month`, caseload per mediator, the disputes with
    no mediator of their kind within the specialty band and those kinds, most such disputes first. With
    `by_kind`, also the households' mean distance to the nearest point of each kind (`km_to(kind)`).

    `cases` gives the disputes as counts per village and kind (`count_cases` of the twelve months to
    `month`, summed over any split of the incidents, as a batch run does) instead of counting them from
    the inputs."""
    settings = config or load_coverage_config()
    levels = _report_levels(level)  # refused before any distance is measured
    if cases is None:
        cases = count_cases(inputs.disputes(), month=month, reach=inputs.specialist_reach(settings))
    points = household_coverage(inputs, month=month, config=settings, specialty=specialty, by_kind=by_kind)
    points[CoverageCol.HOUSEHOLDS_COVERED.value] = points[Col.HOUSEHOLDS] * points[CoverageCol.COVERED]
    points[CoverageCol.PEOPLE_COVERED.value] = points[CoverageCol.PEOPLE] * points[CoverageCol.COVERED]
    sums = [Col.HOUSEHOLDS.value, CoverageCol.PEOPLE.value, CoverageCol.HOUSEHOLDS_COVERED.value,
            CoverageCol.PEOPLE_COVERED.value]
    for lv in BAND_LEVELS:
        households, people = _WITHIN[lv]
        within = points[households.value].to_numpy(dtype=bool)
        points[people.value] = points[CoverageCol.PEOPLE] * within
        points[households.value] = points[Col.HOUSEHOLDS] * within
        sums += [households.value, people.value]
    if specialty is not None:
        within_specialty = points[CoverageCol.WITHIN_SPECIALTY].to_numpy(dtype=bool)
        points[CoverageCol.WITHIN_SPECIALTY.value] = points[Col.HOUSEHOLDS] * within_specialty
        sums.append(CoverageCol.WITHIN_SPECIALTY.value)
    kind_columns = [name for name in points.columns if name.startswith(km_to(""))]
    for name in kind_columns:  # households x km, divided back by households per area below
        points[name] = points[name] * points[Col.HOUSEHOLDS]
    sums += kind_columns
    # Sum per village first: every coarser area is a sum of its villages, and a few hundred rows roll
    # up far faster than every household point.
    per_village = points.groupby(Col.VILLAGE_CODE.value, sort=False)[sums].sum().reset_index()
    mediator_areas = mediators_by_area(inputs.organisations, inputs.mediators)
    frames = [_level_rows(inputs.areas, per_village, sums, cases, mediator_areas, lv) for lv in levels]
    report = pd.concat(frames, ignore_index=True)
    households = report[Col.HOUSEHOLDS].where(report[Col.HOUSEHOLDS] > 0)
    for name in kind_columns:
        report[name] = (report[name] / households).round(2)
    return report


def _report_levels(level: Level | str | None) -> list[Level]:
    levels = [as_level(level)] if level is not None else list(REPORT_LEVELS)
    if any(lv not in REPORT_LEVELS for lv in levels):
        allowed = ", ".join(lv.value for lv in REPORT_LEVELS)
        raise GeoInputError(f"coverage has no {levels[0].value} rows: allowed levels are {allowed}")
    return levels


def _level_rows(
    areas: pd.DataFrame,
    per_village: pd.DataFrame,
    sums: list[str],
    cases: pd.DataFrame,  # count_cases
    mediator_areas: pd.Series,
    level: Level,
) -> pd.DataFrame:
    chosen = areas[areas[Col.LEVEL] == level.value][[Col.CODE, Col.NAME, Col.LEVEL, Col.POPULATION]]
    rows = chosen.astype({Col.CODE: str}).set_index(Col.CODE)
    totals = per_village.groupby(codes_at(per_village[Col.VILLAGE_CODE], level))[sums].sum()
    rows = rows.join(totals).fillna({name: 0.0 for name in sums})
    households = rows[Col.HOUSEHOLDS]
    rows[CoverageCol.UNCOVERED_SHARE.value] = np.where(
        households > 0, 1 - rows[CoverageCol.HOUSEHOLDS_COVERED] / households.where(households > 0), 0.0)
    long_enough = mediator_areas[mediator_areas.str.len() >= CODE_LENGTH[level]]
    mediators = codes_at(long_enough, level).value_counts().reindex(rows.index).fillna(0).astype(int)
    population = pd.to_numeric(rows.pop(Col.POPULATION), errors="coerce").fillna(0.0)
    rows[CoverageCol.MEDIATORS.value] = mediators
    rows[CoverageCol.MEDIATORS_PER_10K.value] = np.where(population > 0, mediators / population.where(
        population > 0) * 10_000, 0.0)
    area_of_case = codes_at(cases[Col.VILLAGE_CODE], level)
    counted = cases.groupby(area_of_case)[[CASES, CoverageCol.GAP_CASES]].sum().reindex(rows.index)
    rows[CoverageCol.CASES_12M.value] = counted[CASES].fillna(0).astype(int)
    rows[CoverageCol.CASELOAD_PER_MEDIATOR.value] = np.where(
        mediators > 0, rows[CoverageCol.CASES_12M] / mediators.where(mediators > 0), np.nan)
    rows[CoverageCol.GAP_CASES.value] = counted[CoverageCol.GAP_CASES].fillna(0).astype(int)
    rows[CoverageCol.SPECIALTY_GAPS.value] = _gap_kinds(cases, area_of_case).reindex(rows.index).fillna("")
    return rows.reset_index()


def _gap_kinds(cases: pd.DataFrame, area_of_case: pd.Series) -> pd.Series:
    """Per area, the kinds with disputes beyond a specialist's reach, most such disputes first."""
    gaps = cases[cases[CoverageCol.GAP_CASES].to_numpy() > 0]
    counts = gaps.groupby([area_of_case[gaps.index], gaps[Col.CATEGORY]])[CoverageCol.GAP_CASES].sum()
    counts = counts.rename("n").reset_index()
    counts.columns = ["area", "kind", "n"]
    ordered = counts.sort_values(["area", "n", "kind"], ascending=[True, False, True])
    return ordered.groupby("area")["kind"].agg(",".join)
