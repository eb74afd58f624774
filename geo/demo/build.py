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

from geo.boundaries.hierarchy_files import read_hierarchy
from geo.demo.addresses import generate_addresses
from geo.demo.centres import generate_centres
from geo.demo.gatehouses import generate_gatehouses
from geo.demo.herders import generate_herders
from geo.demo.incident_files import write_raw_incidents
from geo.demo.incidents import generate_incidents
from geo.demo.mediation_orgs import generate_mediation_orgs
from geo.demo.mediators import generate_mediators
from geo.demo.plan import BOUNDARY_VALID_FROM, BOUNDARY_VERSION, SEED
from geo.demo.workers import generate_grid_workers
from geo.intake.ingest import ingest_file, load_intake_context
from geo.schema import STORE_SCHEMA, STORE_SCHEMA_KEY, Col, Layer
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
        Layer.META: pd.DataFrame({"key": ["seed", "built_for", STORE_SCHEMA_KEY],
                                  "value": [str(seed), "demo", str(STORE_SCHEMA)]}),
    }


def build_demo_store(path: str | os.PathLike[str], *, seed: int = SEED) -> dict[str, int]:
    """Write the whole demo into a GeoPackage at `path`, replacing any store there; rows per layer."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    hierarchy = read_hierarchy()
    addresses = generate_addresses(hierarchy, seed)
    # Stage in a sibling folder (same file system, so the final rename is atomic) that takes the
    # staged store's lock file with it when it is removed.
    with tempfile.TemporaryDirectory(prefix=f".{target.name}.building-", dir=target.parent) as staging:
        store = GeoPackageStore(Path(staging) / target.name)
        store.write({**_reference_layers(hierarchy, seed), Layer.ADDRESSES: addresses})
        context = load_intake_context(store)
        raw_files = write_raw_incidents(generate_incidents(hierarchy, addresses, seed), Path(staging) / "raw")
        for source, raw_file in raw_files.items():
            ingest_file(raw_file, store, source=str(source), context=context, now=DEMO_NOW)
        summary = {layer: store.count(layer) for layer in store.layers() if layer != Layer.META}
        GeoPackageStore(target).replace_with(store.path)
    return summary
