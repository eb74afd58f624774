"""Governance centres and mediation organisations per township, per 10,000 residents, in quantile classes:
the base of the mediation coverage analyses (who is far from mediation, where rooms should go)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.schema import CODE_LENGTH, Col, Level

FloatArray = NDArray[np.float64]
_TOWNSHIP_DIGITS = CODE_LENGTH[Level.TOWNSHIP]


@dataclass(frozen=True)
class Coverage:
    """Governance centres and mediation organisations per township, per 10,000 residents."""

    per_10k: dict[str, float]  # township code -> centres and organisations per 10,000 residents
    classes: dict[str, int]  # township code -> class 0 (fewest) .. len(breaks)
    breaks: tuple[float, ...]  # upper bounds of every class but the last
    centres: int  # in the whole city, every level
    organisations: int


def _township_of(codes: Iterable[object]) -> list[str | None]:
    """The township part of stored area codes (township or village); None for coarser codes."""
    return [str(c)[:_TOWNSHIP_DIGITS] if c is not None and len(str(c)) >= _TOWNSHIP_DIGITS else None
            for c in codes]


def mediation_density(
    areas: pd.DataFrame,
    centres: pd.DataFrame | None,
    organisations: pd.DataFrame | None,
    *,
    classes: int = 5,
) -> Coverage | None:
    """Centres and mediation organisations located in each current township (by their stored area code,
    township or village), per 10,000 residents, in `classes` quantile classes."""
    if centres is None and organisations is None:
        return None
    townships = areas[areas[Col.LEVEL] == Level.TOWNSHIP.value]
    located = pd.Series(
        _township_of(centres["area_code"] if centres is not None else [])
        + _township_of(organisations["area_code"] if organisations is not None else []),
        dtype=object,
    )
    counts = located.dropna().value_counts()
    population = pd.to_numeric(townships[Col.POPULATION], errors="coerce").to_numpy(dtype=float)
    codes = townships[Col.CODE].astype(str).to_numpy()
    located_here = np.array([counts.get(code, 0) for code in codes], dtype=float)
    per_10k = np.where(population > 0, located_here / np.where(population > 0, population, 1) * 10_000, 0.0)
    breaks = _quantile_breaks(per_10k, classes)
    class_of = np.searchsorted(np.asarray(breaks), per_10k, side="left")
    return Coverage(
        per_10k={c: round(float(v), 2) for c, v in zip(codes, per_10k, strict=True)},
        classes={c: int(k) for c, k in zip(codes, class_of, strict=True)},
        breaks=breaks,
        centres=0 if centres is None else len(centres),
        organisations=0 if organisations is None else len(organisations),
    )


def _quantile_breaks(values: FloatArray, classes: int) -> tuple[float, ...]:
    if not len(values):
        return ()
    inner = np.quantile(values, np.arange(1, classes) / classes)
    return tuple(sorted({round(float(v), 1) for v in inner}))
