"""The demo's operations data: grid workers, governance centres, mediation organisations and mediators,
金塔's gatehouses, and the herders of 肃北 and 阿克塞 with their seasonal pastures.

Counts come from the seed (`geo.demo.figures`) and scale with the hierarchy, so they equal the seed's
exactly on the full-size hierarchy. Every generator takes the hierarchy frame and a seed and returns
the same frame for the same seed. People are invented (`geo.demo.names`).

How the seed's "入驻矛盾纠纷调解组织 832 个、法律服务组织 46 个、心理咨询室 72 个" is read: the seven kinds of
organisation add up to 903 (80 + 510 + 87 + 76 + 32 + 46 + 72), only 785 of them mediation bodies, so
832 cannot count mediation bodies alone. Here 832 is the number of organisations of any kind whose
office is in a governance centre (`resident_in_centre`). They are filled in this order, ties broken at
random: legal service organisations, counselling rooms, township committees and the committees of
villages that have their own centre (all resident, as the seed lists them as 入驻); then featured
studios and industry committees (in the county or city centre); then personal studios; then committees
of villages without a centre, which sit in their township's centre. On the full hierarchy that leaves
71 village committees (those of the smallest villages, which have no centre) in their own villages.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from geo.county_boundaries import CITY_NAME, COUNTIES
from geo.crs import STORAGE_EPSG, to_metric
from geo.demo.addresses import ancestor_codes, areas_at, hierarchy_units, plain_columns, sample_points
from geo.demo.figures import scaled_count
from geo.demo.names import NameStyle, Seed, as_rng, fake_names, fake_phones, weighted_sample
from geo.errors import GeoInputError
from geo.schema import (
    CITY_CODE,
    CODE_LENGTH,
    AreaKind,
    CentreLevel,
    Col,
    Level,
    OrgType,
    Specialty,
    parent_code,
)


class OpsCol(StrEnum):
    """Columns of the operations layers that geo.schema does not name yet."""

    WORKER_ID = "worker_id"
    PERSON_NAME = "person_name"
    PHONE = "phone"
    FULL_TIME = "full_time"
    CENTRE_ID = "centre_id"
    AREA_CODE = "area_code"
    ORG_ID = "org_id"
    ORG_TYPE = "org_type"
    RESIDENT_IN_CENTRE = "resident_in_centre"
    COURT_LINKED = "court_linked"
    SPECIALTIES = "specialties"
    MEDIATOR_ID = "mediator_id"
    GOLD = "gold"
    COURT_INVITED = "court_invited"
    EXPERT = "expert"
    GATEHOUSE_ID = "gatehouse_id"
    HERDER_ID = "herder_id"
    SEASON = "season"
    PASTURE_ID = "pasture_id"
    MOVE_IN_MONTH = "move_in_month"
    MOVE_OUT_MONTH = "move_out_month"


class Season(StrEnum):
    SUMMER = "summer"
    WINTER = "winter"


JINTA: Final = "620921"
PASTORAL_COUNTIES: Final = ("620923", "620924")
HERDER_SHARE: Final = 0.6  # share of a pastoral village's households that move between pastures
_NAME_STYLE: Final[dict[str, tuple[NameStyle, float]]] = {
    "620923": ("mongol", 0.7),
    "620924": ("kazakh", 0.6),
}
_FULL_TIME_SHARE: Final = {
    AreaKind.URBAN.value: 0.55,
    AreaKind.RURAL.value: 0.2,
    AreaKind.PASTORAL.value: 0.3,
}
#: Industry committees: the trade in their name and the disputes they take (the seed names traffic,
#: finance and insurance, marriage and family as special court-linked rooms).
_INDUSTRIES: Final[tuple[tuple[str, Specialty], ...]] = (
    ("道路交通事故", Specialty.TRAFFIC),
    ("劳动争议", Specialty.LABOUR_WAGES),
    ("物业", Specialty.PROPERTY_MANAGEMENT),
    ("婚姻家庭", Specialty.MARRIAGE_FAMILY),
    ("金融保险", Specialty.FINANCE_INSURANCE),
    ("消费", Specialty.BUSINESS),
    ("土地承包", Specialty.LAND),
    ("建筑工程", Specialty.LABOUR_WAGES),
    ("商事", Specialty.BUSINESS),
    ("旅游", Specialty.BUSINESS),
    ("征地拆迁", Specialty.LAND),
    ("房地产", Specialty.PROPERTY_MANAGEMENT),
    ("电力", Specialty.BUSINESS),
    ("物流运输", Specialty.TRAFFIC),
    ("农民工工资", Specialty.LABOUR_WAGES),
)
_PASTORAL_INDUSTRY: Final = ("草原", Specialty.PASTORAL)
_FEATURED_BRANDS: Final = tuple(  # a word list reads best as one string
    "枫桥 红色物业 马背 石榴籽 和为贵 老兵 巾帼 法润 说和 暖心 邻里守望 胡杨 春风 "  # noqa: SIM905
    "连心 息诉 同心 金秤砣 明理 和事佬 阳光 沙枣花 丝路".split()
)
_LAW_FIRM_STEMS: Final = tuple("正义 金泉 瀚海 雄关 明德 公正 天平 丝路 祁连 飞天 敦和 玉关".split())  # noqa: SIM905
_COMPOUND_HEADS: Final = tuple(  # a word list reads best as one string
    "金 阳光 幸福 丽景 胡杨 航天 新城 惠民 鑫盛 锦绣 华庭 康泰 和谐 泰安 世纪 瑞丰".split()  # noqa: SIM905
)
_COMPOUND_TAILS: Final = tuple("苑 家园 花园 小区 佳园 府 新村 里 雅居 名都".split())  # noqa: SIM905
_GENERAL_SPECIALTIES: Final = (
    Specialty.NEIGHBOUR,
    Specialty.MARRIAGE_FAMILY,
    Specialty.BUSINESS,
    Specialty.LABOUR_WAGES,
    Specialty.TRAFFIC,
    Specialty.FINANCE_INSURANCE,
)
_SPECIALTY_ORDER: Final = {s: i for i, s in enumerate(Specialty)}
_SEATS: Final = {c.code: (c.seat_lon, c.seat_lat) for c in COUNTIES}
_CITY_SEAT_COUNTY: Final = "620902"  # the city government sits in 肃州区


# ---------------------------------------------------------------- shared helpers


def _spread(
    rng: np.random.Generator, total: int, weights: NDArray[np.float64], minimum: int
) -> NDArray[np.int64]:
    """Counts of at least `minimum` each that add up to `total`, the rest spread by weight."""
    spare = total - minimum * len(weights)
    if spare < 0:
        raise GeoInputError(f"cannot give {len(weights)} places at least {minimum} each out of {total}")
    return minimum + rng.multinomial(spare, weights / weights.sum())


def _joined(specialties: Sequence[Specialty]) -> str:
    return ",".join(s.value for s in sorted(set(specialties), key=_SPECIALTY_ORDER.__getitem__))


class _Grids:
    """The hierarchy's grids with look-ups by the code of any area above them."""

    def __init__(self, hierarchy: gpd.GeoDataFrame) -> None:
        self.frame = areas_at(hierarchy, Level.GRID)
        self.codes = self.frame[Col.CODE].to_numpy(dtype=str)
        self.households = self.frame[Col.HOUSEHOLDS].to_numpy(dtype=np.float64).clip(min=1.0)
        self.urban = self.frame[Col.KIND].to_numpy() == AreaKind.URBAN.value
        self.geometry = self.frame.geometry.to_numpy()
        codes = self.frame[Col.CODE]
        self._members: dict[str, NDArray[np.intp]] = {CITY_CODE: np.arange(len(codes))}
        for level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE):
            self._members.update(codes.groupby(codes.str[: CODE_LENGTH[level]]).indices)
        self.names = hierarchy.set_index(Col.CODE)[Col.NAME].to_dict()
        self.names.setdefault(CITY_CODE, CITY_NAME)

    def under(self, code: str, *, urban_first: bool = False) -> NDArray[np.intp]:
        if code not in self._members:
            raise GeoInputError(f"area {code} has no grids in the hierarchy: every area must contain grids")
        members = self._members[code]
        urban = members[self.urban[members]]
        return urban if urban_first and len(urban) else members

    def busiest(self, code: str) -> int:
        members = self.under(code)
        return int(members[np.argmax(self.households[members])])

    def pick(self, rng: np.random.Generator, code: str, *, urban_first: bool = False) -> int:
        members = self.under(code, urban_first=urban_first)
        weights = self.households[members]
        return int(rng.choice(members, p=weights / weights.sum()))

    def seat(self, county_code: str) -> int:
        """The grid of a county seat: the urban grid nearest the seat's coordinates."""
        members = self.under(county_code, urban_first=True)
        if county_code not in _SEATS:
            return self.busiest(county_code)
        distance = shapely.distance(self.geometry[members], shapely.Point(_SEATS[county_code]))
        return int(members[np.argmin(distance)])


def _people(
    rng: np.random.Generator, county_codes: NDArray[np.str_]
) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """Names (Mongolian or Kazakh for part of 肃北's and 阿克塞's people) and phones."""
    names = fake_names(rng, len(county_codes))
    for county, (style, share) in _NAME_STYLE.items():
        local = np.flatnonzero((county_codes == county) & (rng.random(len(county_codes)) < share))
        names[local] = fake_names(rng, len(local), style)
    return names, fake_phones(rng, len(county_codes))


def _points(grids: _Grids, rng: np.random.Generator, indices: NDArray[np.intp]) -> gpd.GeoSeries:
    x, y = sample_points(grids.geometry[indices], rng)
    return gpd.GeoSeries(gpd.points_from_xy(x, y), crs=STORAGE_EPSG)


def _with_ancestors(frame: pd.DataFrame, grid_codes: NDArray[np.str_]) -> pd.DataFrame:
    """Grid, village, township and county codes, in that order, after the frame's own columns."""
    frame[Col.GRID_CODE] = grid_codes
    ancestors = ancestor_codes(pd.Series(grid_codes, index=frame.index))
    for column in (Col.VILLAGE_CODE, Col.TOWNSHIP_CODE, Col.COUNTY_CODE):
        frame[column] = ancestors[column]
    return frame


# ---------------------------------------------------------------- grid workers


def generate_grid_workers(hierarchy: gpd.GeoDataFrame, seed: Seed) -> pd.DataFrame:
    """Full- and part-time grid workers: at least one per grid, more where more households live, and
    more again in town, where community social workers serve as full-time grid workers."""
    rng = as_rng(seed, "grid_workers")
    grids = _Grids(hierarchy)
    total = scaled_count("grid_workers", hierarchy_units(hierarchy))
    weights = grids.households**0.8 * np.where(grids.urban, 1.3, 1.0)
    per_grid = _spread(rng, total, weights, 1)
    owner = np.repeat(np.arange(len(grids.codes)), per_grid)
    kinds = grids.frame[Col.KIND].to_numpy()[owner]
    full_time_share = np.array([_FULL_TIME_SHARE.get(k, 0.3) for k in kinds])
    county_codes = np.array([c[:6] for c in grids.codes[owner]])
    names, phones = _people(rng, county_codes)
    frame = pd.DataFrame(
        {
            OpsCol.WORKER_ID: [f"W{i + 1:05d}" for i in range(total)],
            OpsCol.PERSON_NAME: names,
            OpsCol.PHONE: phones,
            OpsCol.FULL_TIME: rng.random(total) < full_time_share,
        }
    )
    return plain_columns(_with_ancestors(frame, grids.codes[owner]))


# ---------------------------------------------------------------- centres


def generate_centres(hierarchy: gpd.GeoDataFrame, seed: Seed) -> gpd.GeoDataFrame:
    """Comprehensive governance centres at four levels: the city's and each county's in the county seat's
    urban grid, each township's in its most populated grid, and a village centre in the most
    populated grid of the largest villages (all communities first), as many as the seed has."""
    rng = as_rng(seed, "centres")
    grids = _Grids(hierarchy)
    counties = areas_at(hierarchy, Level.COUNTY)[Col.CODE].tolist()
    townships = areas_at(hierarchy, Level.TOWNSHIP)[Col.CODE].tolist()
    villages = areas_at(hierarchy, Level.VILLAGE)
    city_county = _CITY_SEAT_COUNTY if _CITY_SEAT_COUNTY in counties else counties[0]
    places: list[tuple[CentreLevel, str, int]] = [(CentreLevel.CITY, CITY_CODE, grids.seat(city_county))]
    places += [(CentreLevel.COUNTY, code, grids.seat(code)) for code in counties]
    places += [(CentreLevel.TOWNSHIP, code, grids.busiest(code)) for code in townships]
    village_count = min(scaled_count("centres_village", hierarchy_units(hierarchy)), len(villages))
    ranked = villages.assign(_urban=villages[Col.KIND] == AreaKind.URBAN.value).sort_values(
        ["_urban", Col.HOUSEHOLDS, Col.CODE], ascending=[False, False, True]
    )
    chosen = sorted(ranked[Col.CODE].iloc[:village_count])
    places += [(CentreLevel.VILLAGE, code, grids.busiest(code)) for code in chosen]
    levels, codes, grid_index = zip(*places, strict=True)
    grid_index_array = np.asarray(grid_index)
    frame = pd.DataFrame(
        {
            OpsCol.CENTRE_ID: [f"ZZ{code}" for code in codes],
            Col.NAME: [f"{grids.names[code]}综治中心" for code in codes],
            Col.LEVEL: [level.value for level in levels],
            OpsCol.AREA_CODE: list(codes),
            Col.GRID_CODE: grids.codes[grid_index_array],
        }
    )
    return plain_columns(
        gpd.GeoDataFrame(frame, geometry=_points(grids, rng, grid_index_array).values, crs=STORAGE_EPSG)
    )


# ---------------------------------------------------------------- mediation organisations

#: Residency order (lower first) and court-link weight of each kind of organisation.
_RESIDENCY_TIER: Final = {
    OrgType.LEGAL_SERVICE: 0,
    OrgType.COUNSELLING_ROOM: 0,
    OrgType.TOWNSHIP_COMMITTEE: 0,
    OrgType.VILLAGE_COMMITTEE: 0,
    OrgType.FEATURED_STUDIO: 1,
    OrgType.INDUSTRY_COMMITTEE: 1,
    OrgType.PERSONAL_STUDIO: 2,
}
_NO_CENTRE_TIER: Final = 3  # village committees whose village has no centre of its own
_COURT_WEIGHT: Final = {
    OrgType.INDUSTRY_COMMITTEE: 5.0,
    OrgType.FEATURED_STUDIO: 4.0,
    OrgType.TOWNSHIP_COMMITTEE: 3.0,
    OrgType.PERSONAL_STUDIO: 2.0,
    OrgType.VILLAGE_COMMITTEE: 0.3,
}
MEDIATION_TYPES: Final = tuple(_COURT_WEIGHT)


def _area_specialties(kind: str, *, township: bool) -> list[Specialty]:
    base = [Specialty.NEIGHBOUR, Specialty.MARRIAGE_FAMILY]
    if township:
        base += [Specialty.LABOUR_WAGES, Specialty.BUSINESS]
    if kind == AreaKind.URBAN.value:
        return [*base, Specialty.PROPERTY_MANAGEMENT]
    if kind == AreaKind.PASTORAL.value:
        return [*base, Specialty.LAND, Specialty.PASTORAL]
    return [*base, Specialty.LAND]


def _committees(hierarchy: gpd.GeoDataFrame, units: dict[str, int]) -> list[tuple[OrgType, str, str, str]]:
    """Township committees (one each, the extras in the most populous townships) and village committees."""
    drafts = []
    townships = areas_at(hierarchy, Level.TOWNSHIP).sort_values(
        [Col.HOUSEHOLDS, Col.CODE], ascending=[False, True]
    )
    wanted = scaled_count("township_committees", units)
    for rank in range(wanted):
        row = townships.iloc[rank % len(townships)]
        name = (
            f"{row[Col.NAME]}人民调解委员会"
            if rank < len(townships)
            else f"{row[Col.NAME]}园区人民调解委员会"
        )
        drafts.append(
            (
                OrgType.TOWNSHIP_COMMITTEE,
                name,
                row[Col.CODE],
                _joined(_area_specialties(row[Col.KIND], township=True)),
            )
        )
    villages = areas_at(hierarchy, Level.VILLAGE)
    for row in villages.head(scaled_count("village_committees", units)).itertuples():
        code, name, kind = getattr(row, Col.CODE), getattr(row, Col.NAME), getattr(row, Col.KIND)
        drafts.append(
            (
                OrgType.VILLAGE_COMMITTEE,
                f"{name}人民调解委员会",
                code,
                _joined(_area_specialties(kind, township=False)),
            )
        )
    return drafts


def _industry_committees(
    rng: np.random.Generator, grids: _Grids, counties: list[str], count: int
) -> list[tuple[OrgType, str, str, str]]:
    """About a tenth at city level, the rest split over counties by the root of their households."""
    city_count = max(1, round(count * 0.1)) if count > len(counties) else 0
    weights = np.array([grids.households[grids.under(c)].sum() ** 0.5 for c in counties])
    per_county = _spread(rng, count - city_count, weights, 0)
    drafts = []
    for area, n in [(CITY_CODE, city_count), *zip(counties, per_county, strict=True)]:
        trades = [*_INDUSTRIES, _PASTORAL_INDUSTRY] if area in PASTORAL_COUNTIES else list(_INDUSTRIES)
        for i in range(int(n)):
            trade, specialty = trades[i % len(trades)]
            prefix = grids.names[area] + (f"第{i // len(trades) + 1}" if i >= len(trades) else "")
            drafts.append(
                (OrgType.INDUSTRY_COMMITTEE, f"{prefix}{trade}纠纷人民调解委员会", area, _joined([specialty]))
            )
    return drafts


def _studios_and_services(
    rng: np.random.Generator, grids: _Grids, units: dict[str, int], hierarchy: gpd.GeoDataFrame
) -> list[tuple[OrgType, str, str, str]]:
    townships = areas_at(hierarchy, Level.TOWNSHIP)
    counties = areas_at(hierarchy, Level.COUNTY)[Col.CODE].tolist()
    weights = townships[Col.HOUSEHOLDS].to_numpy(dtype=np.float64).clip(min=1.0)
    weights *= np.where(townships[Col.KIND] == AreaKind.URBAN.value, 2.0, 1.0)
    drafts: list[tuple[OrgType, str, str, str]] = []

    def townships_for(n: int) -> list[str]:
        return list(rng.choice(townships[Col.CODE].to_numpy(dtype=str), n, p=weights / weights.sum()))

    personal = scaled_count("personal_studios", units)
    for area, person in zip(townships_for(personal), fake_names(rng, personal), strict=True):
        picked = rng.choice(len(_GENERAL_SPECIALTIES), int(rng.integers(2, 4)), replace=False)
        drafts.append(
            (
                OrgType.PERSONAL_STUDIO,
                f"{person}调解工作室",
                area,
                _joined([_GENERAL_SPECIALTIES[i] for i in picked]),
            )
        )
    featured = scaled_count("featured_studios", units)
    for i, area in enumerate(townships_for(featured)):
        brand = _FEATURED_BRANDS[i % len(_FEATURED_BRANDS)]
        specialty = (
            Specialty.PASTORAL if brand == "马背" else _GENERAL_SPECIALTIES[i % len(_GENERAL_SPECIALTIES)]
        )
        drafts.append(
            (
                OrgType.FEATURED_STUDIO,
                f"{grids.names[area]}“{brand}”调解工作室",
                area,
                _joined([Specialty.NEIGHBOUR, specialty]),
            )
        )
    legal = scaled_count("legal_service_orgs", units)
    at_county = rng.random(legal) < 0.35
    for i, (area, county_level) in enumerate(zip(townships_for(legal), at_county, strict=True)):
        if county_level:
            area = area[: CODE_LENGTH[Level.COUNTY]]
            name = f"甘肃{_LAW_FIRM_STEMS[i % len(_LAW_FIRM_STEMS)]}律师事务所{grids.names[area]}分所"
        else:
            name = f"{grids.names[area]}法律服务所"
        drafts.append(
            (
                OrgType.LEGAL_SERVICE,
                name,
                area,
                _joined([Specialty.BUSINESS, Specialty.LABOUR_WAGES, Specialty.FINANCE_INSURANCE]),
            )
        )
    rooms = scaled_count("counselling_rooms", units)
    by_size = townships.sort_values([Col.HOUSEHOLDS, Col.CODE], ascending=[False, True])[Col.CODE].tolist()
    areas = counties + by_size
    for i in range(rooms):
        area = areas[i % len(areas)]
        drafts.append(
            (
                OrgType.COUNSELLING_ROOM,
                f"{grids.names[area]}心理咨询室",
                area,
                _joined([Specialty.MARRIAGE_FAMILY, Specialty.NEIGHBOUR]),
            )
        )
    return drafts


def _home_centre(area: str, centre_areas: set[str]) -> str:
    """The centre an organisation of `area` sits in: its own area's, or the nearest one above it."""
    code: str | None = area
    while code is not None and code not in centre_areas:
        code = parent_code(code)
    return code if code is not None else CITY_CODE


def _residency(
    rng: np.random.Generator, types: list[OrgType], areas: list[str], centres: pd.DataFrame, count: int
) -> tuple[NDArray[np.bool_], list[int]]:
    """Which organisations sit in a centre (`count` of them, by tier, ties at random; see the module
    docstring) and the row in `centres` of the centre each one belongs to."""
    centre_by_area = {area: row for row, area in enumerate(centres[OpsCol.AREA_CODE])}
    if CITY_CODE not in centre_by_area:
        raise GeoInputError(
            f"centres lack the city centre (area_code {CITY_CODE}): make them with generate_centres"
        )
    home = [_home_centre(area, set(centre_by_area)) for area in areas]
    tiers = np.array(
        [
            _RESIDENCY_TIER[t] if h == a else _NO_CENTRE_TIER
            for t, h, a in zip(types, home, areas, strict=True)
        ]
    )
    order = np.lexsort((rng.random(len(types)), tiers))
    resident = np.zeros(len(types), dtype=bool)
    resident[order[:count]] = True
    return resident, [centre_by_area[h] for h in home]


def generate_mediation_orgs(
    hierarchy: gpd.GeoDataFrame, centres: gpd.GeoDataFrame, seed: Seed
) -> gpd.GeoDataFrame:
    """Mediation committees and studios, legal service organisations and counselling rooms.

    Resident organisations take the point of their centre; the others get a point in their area (a
    village committee in its village's most populated grid, county bodies in the county seat's town).
    See the module docstring for how the seed's 832 resident organisations are read.
    """
    rng = as_rng(seed, "mediation_orgs")
    grids = _Grids(hierarchy)
    units = hierarchy_units(hierarchy)
    counties = areas_at(hierarchy, Level.COUNTY)[Col.CODE].tolist()
    drafts = _committees(hierarchy, units)
    drafts += _industry_committees(rng, grids, counties, scaled_count("industry_committees", units))
    drafts += _studios_and_services(rng, grids, units, hierarchy)
    frame = pd.DataFrame(drafts, columns=[OpsCol.ORG_TYPE, Col.NAME, OpsCol.AREA_CODE, OpsCol.SPECIALTIES])
    types = [OrgType(t) for t in frame[OpsCol.ORG_TYPE]]
    frame[OpsCol.ORG_TYPE] = [t.value for t in types]
    frame.insert(0, OpsCol.ORG_ID, [f"ORG{i + 1:04d}" for i in range(len(frame))])
    frame[Col.COUNTY_CODE] = [CITY_CODE if a == CITY_CODE else a[:6] for a in frame[OpsCol.AREA_CODE]]

    areas = frame[OpsCol.AREA_CODE].tolist()
    resident_count = min(scaled_count("resident_orgs", units), len(frame))
    resident, centre_rows = _residency(rng, types, areas, centres, resident_count)
    frame[OpsCol.RESIDENT_IN_CENTRE] = resident
    frame[OpsCol.CENTRE_ID] = np.where(resident, centres[OpsCol.CENTRE_ID].to_numpy()[centre_rows], None)

    court_weights = np.array([_COURT_WEIGHT.get(t, 0.0) for t in types])
    linked = weighted_sample(rng, court_weights, scaled_count("court_linked_orgs", units))
    frame[OpsCol.COURT_LINKED] = np.isin(np.arange(len(frame)), linked)

    own_grid = np.array(
        [
            grids.busiest(a) if t is OrgType.VILLAGE_COMMITTEE else grids.pick(rng, a, urban_first=True)
            for t, a in zip(types, areas, strict=True)
        ]
    )
    own_points = _points(grids, rng, own_grid).to_numpy()
    geometry = np.where(resident, centres.geometry.to_numpy()[centre_rows], own_points)
    return plain_columns(
        gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=STORAGE_EPSG).values, crs=STORAGE_EPSG)
    )


# ---------------------------------------------------------------- mediators and experts

_MIN_MEDIATORS: Final = {
    OrgType.TOWNSHIP_COMMITTEE: 6,
    OrgType.VILLAGE_COMMITTEE: 5,
    OrgType.INDUSTRY_COMMITTEE: 5,
    OrgType.PERSONAL_STUDIO: 1,
    OrgType.FEATURED_STUDIO: 2,
}
_MEDIATOR_WEIGHT: Final = {
    OrgType.TOWNSHIP_COMMITTEE: 3.0,
    OrgType.VILLAGE_COMMITTEE: 1.0,
    OrgType.INDUSTRY_COMMITTEE: 2.0,
    OrgType.PERSONAL_STUDIO: 0.3,
    OrgType.FEATURED_STUDIO: 1.0,
}
_GOLD_WEIGHT: Final = {
    OrgType.FEATURED_STUDIO: 6.0,
    OrgType.PERSONAL_STUDIO: 4.0,
    OrgType.TOWNSHIP_COMMITTEE: 2.0,
    OrgType.INDUSTRY_COMMITTEE: 1.5,
    OrgType.VILLAGE_COMMITTEE: 1.0,
}


def _member_specialties(rng: np.random.Generator, org_specialties: NDArray[np.object_]) -> list[str]:
    """One to three of the organisation's specialties per person."""
    wanted = rng.choice([1, 2, 3], len(org_specialties), p=[0.4, 0.4, 0.2])
    result = []
    for pool_text, k in zip(org_specialties, wanted, strict=True):
        pool = pool_text.split(",")
        picked = rng.choice(len(pool), min(int(k), len(pool)), replace=False)
        result.append(_joined([Specialty(pool[i]) for i in picked]))
    return result


def generate_mediators(hierarchy: gpd.GeoDataFrame, orgs: gpd.GeoDataFrame, seed: Seed) -> pd.DataFrame:
    """Certified people's mediators in the mediation bodies (a few per studio, more per committee, by
    population), with the seed's gold and court-invited mediators, plus the industry experts of the
    expert pool (`expert` true, attached to industry committees, not counted as certified mediators)."""
    rng = as_rng(seed, "mediators")
    units = hierarchy_units(hierarchy)
    households = hierarchy.set_index(Col.CODE)[Col.HOUSEHOLDS]
    bodies = orgs[orgs[OpsCol.ORG_TYPE].isin([t.value for t in MEDIATION_TYPES])].reset_index(drop=True)
    types = [OrgType(t) for t in bodies[OpsCol.ORG_TYPE]]
    area_households = (
        bodies[OpsCol.AREA_CODE].map(households).fillna(households.median()).to_numpy(dtype=float)
    )
    size = np.sqrt(area_households.clip(min=1.0) / np.median(area_households.clip(min=1.0)))
    weights = np.array([_MEDIATOR_WEIGHT[t] for t in types]) * size
    total = scaled_count("mediators", units)
    minimum = np.array([_MIN_MEDIATORS[t] for t in types])
    if minimum.sum() > total:
        minimum = np.minimum(minimum, 1)
    per_org = minimum + _spread(rng, total - int(minimum.sum()), weights, 0)
    owner = np.repeat(np.arange(len(bodies)), per_org)

    industry = np.flatnonzero(np.array([t is OrgType.INDUSTRY_COMMITTEE for t in types]))
    experts = scaled_count("experts", units)
    expert_owner = industry[rng.integers(0, len(industry), experts)] if len(industry) else np.array([], int)
    owner = np.concatenate([owner, np.sort(expert_owner)])
    is_expert = np.arange(len(owner)) >= total

    owner_types = [types[i] for i in owner]
    gold_weights = np.where(is_expert, 0.0, [_GOLD_WEIGHT[t] for t in owner_types])
    linked = bodies[OpsCol.COURT_LINKED].to_numpy(dtype=bool)[owner]
    invited_weights = np.where(is_expert, 0.0, np.where(linked, 8.0, 1.0))
    county_codes = bodies[Col.COUNTY_CODE].to_numpy(dtype=str)[owner]
    names, phones = _people(rng, county_codes)
    frame = pd.DataFrame(
        {
            OpsCol.MEDIATOR_ID: [f"M{i + 1:05d}" for i in range(len(owner))],
            OpsCol.PERSON_NAME: names,
            OpsCol.PHONE: phones,
            OpsCol.ORG_ID: bodies[OpsCol.ORG_ID].to_numpy()[owner],
            OpsCol.SPECIALTIES: _member_specialties(rng, bodies[OpsCol.SPECIALTIES].to_numpy()[owner]),
            OpsCol.GOLD: np.isin(
                np.arange(len(owner)),
                weighted_sample(rng, gold_weights, scaled_count("gold_mediators", units)),
            ),
            OpsCol.COURT_INVITED: np.isin(
                np.arange(len(owner)),
                weighted_sample(rng, invited_weights, scaled_count("court_invited_mediators", units)),
            ),
            OpsCol.EXPERT: is_expert,
        }
    )
    return plain_columns(frame)


# ---------------------------------------------------------------- 金塔 gatehouses


def generate_gatehouses(hierarchy: gpd.GeoDataFrame, seed: Seed) -> gpd.GeoDataFrame:
    """金塔's residential-compound gatehouses run as service posts: one in every urban grid of the county
    as far as they go, the rest where more households live."""
    rng = as_rng(seed, "gatehouses")
    grids = _Grids(hierarchy)
    urban = grids.under(JINTA, urban_first=True)
    if not grids.urban[urban].any():
        raise GeoInputError(f"金塔县 ({JINTA}) has no urban grids: gatehouses are placed in its town's grids")
    count = scaled_count("gatehouses", hierarchy_units(hierarchy))
    weights = grids.households[urban]
    if count >= len(urban):
        per_grid = _spread(rng, count, weights, 1)
        chosen = np.repeat(urban, per_grid)
    else:
        chosen = urban[weighted_sample(rng, weights, count)]
    stems = [h + t for h in _COMPOUND_HEADS for t in _COMPOUND_TAILS]
    order = rng.permutation(len(stems))
    names = [
        stems[order[i % len(stems)]] + (f"{i // len(stems) + 1}期" if i >= len(stems) else "") + "门房"
        for i in range(count)
    ]
    frame = pd.DataFrame({OpsCol.GATEHOUSE_ID: [f"MF{i + 1:03d}" for i in range(count)], Col.NAME: names})
    frame = _with_ancestors(frame, grids.codes[chosen])
    return plain_columns(
        gpd.GeoDataFrame(frame, geometry=_points(grids, rng, chosen).values, crs=STORAGE_EPSG)
    )


# ---------------------------------------------------------------- herders and pastures


def _metric_area_km2(geometry: shapely.Geometry) -> float:
    return float(
        shapely.transform(geometry, lambda c: np.column_stack(to_metric(c[:, 0], c[:, 1]))).area / 1e6
    )


def _pasture_shape(
    rng: np.random.Generator, village: shapely.Geometry, half: shapely.Geometry, taken: shapely.Geometry
) -> shapely.Geometry | None:
    """An irregular blob in one half of the village that does not overlap the pastures already drawn."""
    room = shapely.difference(shapely.intersection(village, half), taken)
    if room.is_empty or room.area <= 0:
        return None
    radius = 0.28 * np.sqrt(village.area)
    for _ in range(12):
        x, y = sample_points(np.array([room]), rng)
        angles = np.sort(rng.uniform(0, 2 * np.pi, 14))
        radii = radius * rng.uniform(0.5, 1.1, 14)
        blob = shapely.Polygon(
            np.column_stack([x[0] + radii * np.cos(angles), y[0] + 0.8 * radii * np.sin(angles)])
        )
        shape = shapely.intersection(room, shapely.make_valid(blob))
        parts = [p for p in shapely.get_parts(shape) if isinstance(p, shapely.Polygon) and p.area > 0]
        if parts:
            return max(parts, key=lambda p: p.area)
    return None


def _village_pastures(
    rng: np.random.Generator, code: str, name: str, village: shapely.Geometry, per_season: int
) -> list[dict[str, object]]:
    """Summer pastures in the southern (mountain) half, winter pastures in the northern half: in both
    counties the Qilian and Altun ranges lie to the south, the lower winter grounds to the north."""
    minx, miny, maxx, maxy = village.bounds
    middle = (miny + maxy) / 2
    halves = {
        Season.SUMMER: shapely.box(minx, miny, maxx, middle),
        Season.WINTER: shapely.box(minx, middle, maxx, maxy),
    }
    label = {Season.SUMMER: "夏季牧场", Season.WINTER: "冬春草场"}
    rows: list[dict[str, object]] = []
    taken: shapely.Geometry = shapely.Polygon()
    for season in Season:
        for number in range(1, per_season + 1):
            shape = _pasture_shape(rng, village, halves[season], taken)
            if shape is None:
                shape = _pasture_shape(rng, village, shapely.box(minx, miny, maxx, maxy), taken)
            if shape is None:
                continue
            taken = shapely.union(taken, shape)
            rows.append(
                {
                    OpsCol.SEASON: season.value,
                    Col.VILLAGE_CODE: code,
                    Col.NAME: f"{name}{label[season]}{number}号",
                    Col.GEOMETRY: shape,
                }
            )
    return rows


def generate_herders(hierarchy: gpd.GeoDataFrame, seed: Seed) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Herder households of 肃北 and 阿克塞 and the pastures they move between.

    Returns (households, pastures). Each household has two rows, one per season, with its camp as a
    point inside that season's pasture and the months it moves in and out (to the summer pasture in
    May or June, back in September or October). Pastures are polygons inside pastoral villages.
    """
    rng = as_rng(seed, "herders")
    villages = areas_at(hierarchy, Level.VILLAGE)
    pastoral = villages[
        villages[Col.CODE].str[:6].isin(PASTORAL_COUNTIES) & (villages[Col.KIND] == AreaKind.PASTORAL.value)
    ].reset_index(drop=True)
    if pastoral.empty:
        raise GeoInputError(
            f"no pastoral villages in {', '.join(PASTORAL_COUNTIES)}: herders need kind 'pastoral'"
        )
    pasture_rows: list[dict[str, object]] = []
    household_rows: list[dict[str, object]] = []
    for village in pastoral.itertuples():
        code, name, geometry = getattr(village, Col.CODE), getattr(village, Col.NAME), village.geometry
        herders = max(2, round(HERDER_SHARE * float(getattr(village, Col.HOUSEHOLDS))))
        pastures = _village_pastures(rng, code, name, geometry, int(np.clip(round(herders / 40), 1, 6)))
        first = len(pasture_rows)
        pasture_rows += pastures
        by_season = {
            s: [first + i for i, p in enumerate(pastures) if p[OpsCol.SEASON] == s.value] for s in Season
        }
        by_season = {s: rows or [first + i for i in range(len(pastures))] for s, rows in by_season.items()}
        summer_in = rng.choice([5, 6], herders)
        summer_out = rng.choice([9, 10], herders)
        for h in range(herders):
            for season, move_in, move_out in (
                (Season.SUMMER, summer_in[h], summer_out[h]),
                (Season.WINTER, summer_out[h], summer_in[h]),
            ):
                household_rows.append(
                    {
                        "_household": len(household_rows) // 2,
                        OpsCol.SEASON: season.value,
                        Col.VILLAGE_CODE: code,
                        "_pasture": int(rng.choice(by_season[season])),
                        OpsCol.MOVE_IN_MONTH: int(move_in),
                        OpsCol.MOVE_OUT_MONTH: int(move_out),
                    }
                )
    pastures = gpd.GeoDataFrame(pasture_rows, geometry=Col.GEOMETRY, crs=STORAGE_EPSG)
    pastures.insert(0, OpsCol.PASTURE_ID, [f"P{i + 1:04d}" for i in range(len(pastures))])
    pastures.insert(3, Col.COUNTY_CODE, pastures[Col.VILLAGE_CODE].str[:6])
    pastures.insert(5, Col.AREA_KM2, [round(_metric_area_km2(g), 3) for g in pastures.geometry])

    camps = pd.DataFrame(household_rows)
    household_ids = camps.pop("_household").to_numpy()
    pasture_index = camps.pop("_pasture").to_numpy()
    county_codes = camps[Col.VILLAGE_CODE].str[:6].to_numpy(dtype=str)
    names, phones = _people(rng, county_codes[::2])
    camps.insert(0, OpsCol.HERDER_ID, [f"H{i + 1:05d}" for i in household_ids])
    camps.insert(1, OpsCol.PERSON_NAME, names[household_ids])
    camps.insert(2, OpsCol.PHONE, phones[household_ids])
    camps.insert(3, Col.COUNTY_CODE, county_codes)
    camps.insert(6, OpsCol.PASTURE_ID, pastures[OpsCol.PASTURE_ID].to_numpy()[pasture_index])
    x, y = sample_points(pastures.geometry.to_numpy()[pasture_index], rng)
    households = gpd.GeoDataFrame(camps, geometry=gpd.points_from_xy(x, y), crs=STORAGE_EPSG)
    return plain_columns(households), plain_columns(pastures)


# ---------------------------------------------------------------- measuring against the seed


def operations_figures(
    *,
    grid_workers: pd.DataFrame,
    centres: pd.DataFrame,
    mediation_orgs: pd.DataFrame,
    mediators: pd.DataFrame,
    gatehouses: pd.DataFrame,
) -> dict[str, float]:
    """The seed figures these layers reproduce, measured, for `figures.compare_figures`."""
    by_type = mediation_orgs[OpsCol.ORG_TYPE].value_counts()
    by_level = centres[Col.LEVEL].value_counts()
    certified = mediators[~mediators[OpsCol.EXPERT].astype(bool)]
    type_figures = {
        "township_committees": OrgType.TOWNSHIP_COMMITTEE,
        "village_committees": OrgType.VILLAGE_COMMITTEE,
        "industry_committees": OrgType.INDUSTRY_COMMITTEE,
        "personal_studios": OrgType.PERSONAL_STUDIO,
        "featured_studios": OrgType.FEATURED_STUDIO,
        "legal_service_orgs": OrgType.LEGAL_SERVICE,
        "counselling_rooms": OrgType.COUNSELLING_ROOM,
    }
    return {
        "grid_workers": len(grid_workers),
        "centres": len(centres),
        **{f"centres_{level.value}": int(by_level.get(level.value, 0)) for level in CentreLevel},
        **{name: int(by_type.get(org_type.value, 0)) for name, org_type in type_figures.items()},
        "resident_orgs": int(mediation_orgs[OpsCol.RESIDENT_IN_CENTRE].astype(bool).sum()),
        "court_linked_orgs": int(mediation_orgs[OpsCol.COURT_LINKED].astype(bool).sum()),
        "mediators": len(certified),
        "experts": len(mediators) - len(certified),
        "gold_mediators": int(certified[OpsCol.GOLD].astype(bool).sum()),
        "court_invited_mediators": int(certified[OpsCol.COURT_INVITED].astype(bool).sum()),
        "gatehouses": len(gatehouses),
    }
