"""Offline geocoding against the standard address library (标准地址库). No network, ever.

An address is matched down the hierarchy: county → township → village or community → road (or village
group, 组/社) and house number. Each step looks only among the children of the step above, so a township
name shared by two counties is resolved by the county named before it, and a name that stays ambiguous
is not used. The result has the deepest level reached and a score:

=============  =====================================================================
level          score
=============  =====================================================================
doorplate      1.0 for the library's full address verbatim; else 0.7 + 0.1 for each of
               county, township and village named in the text
village        0.5 + 0.1 for each of county and township named
township       0.3 + 0.1 if the county is named
county         0.2
=============  =====================================================================

A doorplate's position is its library point; an area's is a point inside it (`point_on_surface`), so the
grid join puts it in that area. Text is compared after NFKC (full-width digits become ASCII), without
spaces and without a leading province or city name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
import pandas as pd
import shapely

from geo.errors import GeoInputError
from geo.schema import AddressCol, Col, Level

#: Leading names dropped before matching: the province and the city hold every address.
ADDRESS_PREFIXES: Final = ("甘肃省", "甘肃", "酒泉市", "酒泉")
_COUNTY_SUFFIXES: Final = ("自治县", "区", "县", "市")
_NUMBER: Final = re.compile(r"(\d+)(?:[-之]\d+)?号?")


class MatchLevel(StrEnum):
    DOORPLATE = "doorplate"
    VILLAGE = "village"
    TOWNSHIP = "township"
    COUNTY = "county"


@dataclass(frozen=True)
class AddressMatch:
    lon: float
    lat: float
    level: MatchLevel
    score: float
    code: str  # the address id for a doorplate, else the area code


def normalise_address(text: str) -> str:
    """NFKC, no whitespace, no leading province or city."""
    text = "".join(unicodedata.normalize("NFKC", str(text)).split())
    changed = True
    while changed:
        changed = False
        for prefix in ADDRESS_PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix):], True
    return text


@dataclass(frozen=True)
class _Name:
    text: str
    code: str


def _find(text: str, names: Sequence[_Name], start: int) -> tuple[str, int] | None:
    """The code whose name occurs in text[start:] (the longest name wins), and where the name ends.
    None when nothing occurs or the longest name belongs to several codes."""
    best: list[tuple[int, int, str]] = []
    for name in names:
        at = text.find(name.text, start)
        if at >= 0:
            best.append((len(name.text), at, name.code))
    if not best:
        return None
    longest = max(item[0] for item in best)
    codes = {code for length, _, code in best if length == longest}
    if len(codes) > 1:
        return None
    length, at, code = min((item for item in best if item[0] == longest), key=lambda item: item[1])
    return code, at + length


class AddressGeocoder:
    """The address library and area names, indexed once; `geocode` then matches many addresses."""

    def __init__(self, areas: pd.DataFrame, addresses: pd.DataFrame | None = None) -> None:
        for column in (Col.CODE, Col.NAME, Col.LEVEL, Col.PARENT_CODE, Col.GEOMETRY):
            if column not in areas.columns:
                raise GeoInputError(f"areas for the geocoder lack column {column!r}: "
                                    "needed are code, name, level, parent_code, geometry")
        levels = areas[Col.LEVEL].astype(str)
        kept = areas[levels.isin([Level.COUNTY.value, Level.TOWNSHIP.value, Level.VILLAGE.value])]
        self._parent = dict(zip(kept[Col.CODE].astype(str), kept[Col.PARENT_CODE].astype(str), strict=True))
        self._level = dict(zip(kept[Col.CODE].astype(str), kept[Col.LEVEL].astype(str), strict=True))
        points = shapely.point_on_surface(np.asarray(kept.geometry.values, dtype=object))
        codes = kept[Col.CODE].astype(str).tolist()
        self._point = dict(zip(codes, zip(shapely.get_x(points).tolist(), shapely.get_y(points).tolist(),
                                          strict=True), strict=True))
        self._children: dict[str, list[_Name]] = defaultdict(list)  # parent code ("" = all) -> names below
        self._by_level: dict[str, list[_Name]] = defaultdict(list)
        self._county_villages: dict[str, list[_Name]] = defaultdict(list)
        self._names_of: dict[str, list[str]] = {}
        for code, name, level in zip(codes, kept[Col.NAME].astype(str), levels[kept.index], strict=True):
            names = [name, *self._short_county_names(name)] if level == Level.COUNTY.value else [name]
            self._names_of[code] = list(dict.fromkeys(normalise_address(n) for n in names))
            for text in self._names_of[code]:
                entry = _Name(text, code)
                self._by_level[level].append(entry)
                self._children[self._parent[code]].append(entry)
                if level == Level.VILLAGE.value:  # when the township is not named, look in the county
                    self._county_villages[self._parent.get(self._parent[code], "")].append(entry)
        self._index_doorplates(addresses)
        if addresses is not None and len(addresses):
            self._point.update(self._central_doorplates(addresses))

    @staticmethod
    def _short_county_names(name: str) -> list[str]:
        """肃州区 is also written 肃州; kept only when two or more characters remain."""
        return [name[: -len(s)] for s in _COUNTY_SUFFIXES if name.endswith(s) and len(name) - len(s) >= 2]

    def _index_doorplates(self, addresses: pd.DataFrame | None) -> None:
        self._full: dict[str, int] = {}
        self._doorplate: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        self._roads: dict[str, set[str]] = defaultdict(set)
        self._road_lists: dict[str, list[str]] = {}
        self._road_middle: dict[tuple[str, str], int] = {}
        if addresses is None or len(addresses) == 0:
            self._row_village = np.empty(0, dtype=object)
            self._ids = np.empty(0, dtype=object)
            self._xy = np.empty((0, 2))
            return
        needed = (AddressCol.ADDRESS_ID, Col.COUNTY_CODE, Col.TOWNSHIP_CODE, Col.VILLAGE_CODE,
                  AddressCol.ROAD, AddressCol.NUMBER, AddressCol.FULL_ADDRESS)
        missing = [c for c in needed if c not in addresses.columns]
        if missing:
            raise GeoInputError(f"address library lacks column(s) {', '.join(missing)}: "
                                f"needed are {', '.join(needed)}")
        self._ids = addresses[AddressCol.ADDRESS_ID].astype(str).to_numpy(dtype=object)
        self._row_village = addresses[Col.VILLAGE_CODE].astype(str).to_numpy(dtype=object)
        self._xy = shapely.get_coordinates(np.asarray(addresses.geometry.values, dtype=object))
        roads = [normalise_address(r) for r in addresses[AddressCol.ROAD].astype(str)]
        numbers = addresses[AddressCol.NUMBER].astype(str).str.extract(r"(\d+)", expand=False).fillna("")
        scopes = [addresses[c].astype(str).tolist()
                  for c in (Col.VILLAGE_CODE, Col.TOWNSHIP_CODE, Col.COUNTY_CODE)]
        for row, (road, number) in enumerate(zip(roads, numbers, strict=True)):
            for scope in (*(codes[row] for codes in scopes), ""):
                self._doorplate[(scope, road, number)].append(row)
                self._roads[scope].add(road)
        # The middle doorplate of each road (or village group) in a village, by house number.
        order = np.argsort(pd.to_numeric(numbers, errors="coerce").fillna(0).to_numpy(), kind="stable")
        villages, road_names = np.asarray(scopes[0])[order], np.asarray(roads)[order]
        self._road_middle = {
            (str(village), str(road)): int(members.iloc[len(members) // 2])
            for (village, road), members in pd.Series(order).groupby([villages, road_names])
        }
        for row, text in enumerate(addresses[AddressCol.FULL_ADDRESS].astype(str)):
            self._full.setdefault(normalise_address(text), row)
        # Longest road first, so 南大街 is not taken for a shorter name inside it.
        self._road_lists = {scope: sorted(roads, key=len, reverse=True)
                            for scope, roads in self._roads.items()}

    def _central_doorplates(self, addresses: pd.DataFrame) -> dict[str, tuple[float, float]]:
        """Per area, the doorplate nearest its inner point: a place where people live, inside one grid."""
        out: dict[str, tuple[float, float]] = {}
        for column in (Col.VILLAGE_CODE, Col.TOWNSHIP_CODE, Col.COUNTY_CODE):
            codes = addresses[column].astype(str).to_numpy()
            known = np.array([code in self._point for code in codes], dtype=bool)
            centre = np.array([self._point.get(code, (np.nan, np.nan)) for code in codes])
            distance = np.where(known, np.hypot(*(self._xy - centre).T), np.inf)
            nearest = pd.Series(distance).groupby(codes).idxmin()
            out.update({code: (float(self._xy[row, 0]), float(self._xy[row, 1]))
                        for code, row in nearest.items() if known[row]})
        return out

    def match(self, address: str) -> AddressMatch | None:
        """The best match for one address, or None when nothing in the library or the area names fits."""
        text = normalise_address(address)
        if not text:
            return None
        row = self._full.get(text)
        if row is not None:
            return self._doorplate_match(row, 1.0)
        named: dict[str, str] = {}
        position = 0
        found = _find(text, self._by_level[Level.COUNTY.value], position)
        if found:
            named[Level.COUNTY.value], position = found
        county = named.get(Level.COUNTY.value)
        townships = self._children[county] if county else self._by_level[Level.TOWNSHIP.value]
        found = _find(text, townships, position)
        if found:
            named[Level.TOWNSHIP.value], position = found
        township = named.get(Level.TOWNSHIP.value)
        village_names = (self._children[township] if township else
                         self._county_villages[county] if county else self._by_level[Level.VILLAGE.value])
        found = _find(text, village_names, position)
        if found:
            named[Level.VILLAGE.value], position = found
        return self._deepest(text, named, position)

    def _deepest(self, text: str, named: dict[str, str], position: int) -> AddressMatch | None:
        scope = next((named[lv] for lv in ("village", "township", "county") if lv in named), "")
        road, row = self._doorplate_row(text, scope, position)
        if row is not None:
            return self._doorplate_match(row, 0.7 + 0.1 * self._mentioned(str(self._row_village[row]), text))
        for level, base in ((MatchLevel.VILLAGE, 0.5), (MatchLevel.TOWNSHIP, 0.3), (MatchLevel.COUNTY, 0.2)):
            code = named.get(level.value)
            if code is not None:
                above = self._mentioned(self._parent.get(code, ""), text)
                lon, lat = self._point[code]
                middle = self._road_middle.get((code, road)) if road and level is MatchLevel.VILLAGE else None
                if middle is not None:  # a road (or village group) without a usable number: its middle
                    lon, lat = (float(v) for v in self._xy[middle])
                return AddressMatch(lon, lat, level, round(base + 0.1 * above, 2), code)
        return None

    def _mentioned(self, code: str, text: str) -> int:
        """How many of the area `code` and the areas above it (up to the county) the text names."""
        count = 0
        while code in self._names_of:
            count += any(name in text for name in self._names_of[code])
            code = self._parent.get(code, "")
        return count

    def _doorplate_row(self, text: str, scope: str, position: int) -> tuple[str, int | None]:
        """The road named in the text within `scope`, and the one library row for it and the house
        number (None when the number is missing, unknown or not unique)."""
        for road in self._road_lists.get(scope, ()):
            at = text.find(road, position)
            if at < 0:
                continue
            number = _NUMBER.match(text, at + len(road))
            if number is None:
                return road, None
            rows = self._doorplate.get((scope, road, number.group(1)), [])
            return road, rows[0] if len(rows) == 1 else None
        return "", None

    def _doorplate_match(self, row: int, score: float) -> AddressMatch:
        lon, lat = self._xy[row]
        return AddressMatch(float(lon), float(lat), MatchLevel.DOORPLATE, round(min(score, 1.0), 2),
                            str(self._ids[row]))

    def geocode(self, addresses: Iterable[str]) -> pd.DataFrame:
        """lon, lat, match_level, match_score and match_code per address (NaN / None where unmatched);
        each distinct address is matched once."""
        values = pd.Series(list(addresses), dtype=object).fillna("")
        codes, uniques = pd.factorize(values)
        matches = [self.match(text) for text in uniques]
        def column(get: str, empty: object) -> np.ndarray:
            table = np.array([getattr(m, get) if m else empty for m in matches] + [empty], dtype=object)
            return table[np.where(codes < 0, len(matches), codes)]
        return pd.DataFrame({
            "lon": column("lon", np.nan).astype(np.float64),
            "lat": column("lat", np.nan).astype(np.float64),
            "match_level": pd.Series([None if v is None else str(v) for v in column("level", None)],
                                     dtype=object),
            "match_score": column("score", np.nan).astype(np.float64),
            "match_code": pd.Series(column("code", None), dtype=object),
        })

