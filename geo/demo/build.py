"""Build the demo store: boundaries, operations data, and incidents ingested through the normal intake.

The store is built in a sibling file and renamed over the target only when every step succeeded, so a
failed build never leaves a half-written store behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.demo.addresses import generate_addresses
from geo.demo.hierarchy import read_hierarchy
from geo.demo.incidents import generate_incidents, write_raw_incidents
from geo.demo.operations import (
    generate_centres,
    generate_gatehouses,
    generate_grid_workers,
    generate_herders,
    generate_mediation_orgs,
    generate_mediators,
)
from geo.demo.plan import BOUNDARY_VALID_FROM, BOUNDARY_VERSION, SEED
from geo.ingest import ingest_file, load_intake_context
from geo.schema import Col, Layer
from geo.store import GeoPackageStore

#: The demo's clock: imports are stamped with it so two builds give the same store contents.
DEMO_NOW = pd.Timestamp("2026-11-01 08:00:00")


def _boundary_versions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            Col.VERSION_ID: [BOUNDARY_VERSION],
            Col.VALID_FROM: [BOUNDARY_VALID_FROM],
            Col.VALID_TO: [None],
            "note": ["demo hierarchy generated inside the real county boundaries"],
        }
    )


def _reference_layers(hierarchy: gpd.GeoDataFrame, seed: int) -> dict[str, pd.DataFrame]:
    centres = generate_centres(hierarchy, seed)
    orgs = generate_mediation_orgs(hierarchy, centres, seed)
    herders, pastures = generate_herders(hierarchy, seed)
    return {
        Layer.AREAS: hierarchy,
        Layer.BOUNDARY_VERSIONS: _boundary_versions(),
        Layer.GRID_WORKERS: generate_grid_workers(hierarchy, seed),
        Layer.CENTRES: centres,
        Layer.MEDIATION_ORGS: orgs,
        Layer.MEDIATORS: generate_mediators(hierarchy, orgs, seed),
        Layer.GATEHOUSES: generate_gatehouses(hierarchy, seed),
        Layer.HERDER_HOUSEHOLDS: herders,
        Layer.PASTURES: pastures,
        Layer.META: pd.DataFrame({"key": ["seed", "built_for"], "value": [str(seed), "demo"]}),
    }


def build_demo_store(path: str | os.PathLike[str], *, seed: int = SEED) -> dict[str, int]:
    """Write the whole demo into a GeoPackage at `path`, replacing any store there; rows per layer."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    hierarchy = read_hierarchy()
    addresses = generate_addresses(hierarchy, seed)
    fd, staged_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".gpkg", dir=target.parent)
    os.close(fd)
    staged = Path(staged_name)
    staged.unlink()
    try:
        store = GeoPackageStore(staged)
        store.write({**_reference_layers(hierarchy, seed), Layer.ADDRESSES: addresses})
        context = load_intake_context(store)
        with tempfile.TemporaryDirectory() as raw_dir:
            raw_files = write_raw_incidents(generate_incidents(hierarchy, addresses, seed), Path(raw_dir))
            for source, raw_file in raw_files.items():
                ingest_file(raw_file, store, source=str(source), context=context, now=DEMO_NOW)
        summary = {layer: store.count(layer) for layer in store.layers() if layer != Layer.META}
        os.replace(staged, target)
    finally:
        staged.unlink(missing_ok=True)
    return summary
