"""Copy a store to another backend (GeoPackage <-> PostGIS) without losing a row: every layer in one
write, then each layer's row count and checksum compared between the two."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import StoreError
from geo.schema import STORE_SCHEMA, STORE_SCHEMA_KEY, Layer
from geo.store import Store


@dataclass(frozen=True)
class LayerCheck:
    layer: str
    rows: int
    checksum: str  # sha256 of the rows as text, columns by name, in the store's row order


def _text(values: pd.Series) -> list[str]:
    if isinstance(values, gpd.GeoSeries):
        return [r"\N" if g is None else shapely.to_wkb(shapely.normalize(g), hex=True) for g in values]
    if values.dtype.kind == "M":
        return [r"\N" if pd.isna(v) else pd.Timestamp(v).isoformat() for v in values]
    if values.dtype.kind == "f":
        return [r"\N" if np.isnan(v) else repr(float(v)) for v in values]
    return [r"\N" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values]


def layer_check(store: Store, layer: str) -> LayerCheck:
    """The layer's row count and checksum, the same on every backend for the same rows."""
    return _check_of(layer, store.read(layer))


def _check_of(layer: str, frame: pd.DataFrame) -> LayerCheck:
    digest = hashlib.sha256()
    columns = [_text(frame[name]) for name in sorted(map(str, frame.columns))]
    for row in zip(*columns, strict=True):
        digest.update("\t".join(row).encode("utf-8") + b"\n")
    return LayerCheck(layer, len(frame), digest.hexdigest())


def _as_written(layer: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows as the copy holds them: its meta layer records this version's store schema, since the
    copy is written in it whatever schema the source has (a schema-1 source's local times become UTC)."""
    if layer != Layer.META or STORE_SCHEMA_KEY not in set(frame.get("key", ())):
        return frame
    return frame.assign(value=frame["value"].where(frame["key"] != STORE_SCHEMA_KEY, str(STORE_SCHEMA)))


def migrate_store(source: Store, target: Store) -> list[LayerCheck]:
    """Every layer of `source` written to `target` in one transaction (its layers of the same names are
    replaced), then checked; StoreError naming the layers whose rows differ."""
    layers = source.layers()
    if not layers:
        raise StoreError(f"{source} holds no layers to copy")
    frames = {layer: _as_written(layer, source.read(layer)) for layer in layers}
    target.write(frames, mode="replace")
    checks = [_check_of(layer, frame) for layer, frame in frames.items()]
    differing = [c.layer for c, t in zip(checks, (layer_check(target, c.layer) for c in checks), strict=True)
                 if (c.rows, c.checksum) != (t.rows, t.checksum)]
    if differing:
        raise StoreError(f"the copy in {target} differs from {source} in {', '.join(differing)}")
    return checks
