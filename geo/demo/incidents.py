"""Raw incident rows of the demo, as each intake channel delivers them, for the ingest stage to read.

Three channels over 36 months (2023-11-01 .. 2026-10-31), about 11,140 disputes a year in all: the grid
workers' app, the 12345 hotline and the citizens' mini-program, each in its own file format, labels and
CRS (`incident_rows`, `incident_labels`). The steps, each in its own module:

- `incident_draws`: grid, month, category and channel of every dispute, with seasons and hot spots;
- `incident_handling`: status, outcome and closing time, hitting the seed's closure and court rates;
- `incident_positions`: a position in the grid, at a doorplate or in the open;
- `incident_rows`: the rows each channel's file shows;
- `incident_defects`: about 0.3 % deliberately bad rows for the quarantine;
- `incident_files` writes the three files; `incident_rates` measures the seed's figures on raw rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.crs import STORAGE_EPSG
from geo.demo.addresses import areas_at, hierarchy_units, plain_columns
from geo.demo.figures import scaled_count
from geo.demo.incident_defects import plant_defects
from geo.demo.incident_draws import (
    CATEGORIES,
    YEARS,
    draw_disputes,
    hot_spots,
    month_starts,
    pick_channels,
    report_times,
)
from geo.demo.incident_handling import handle_disputes
from geo.demo.incident_labels import KEY_COLUMNS, RAW_FILE_NAMES, STATUS_LABELS
from geo.demo.incident_positions import dispute_positions
from geo.demo.incident_rows import app_rows, describe_disputes, hotline_rows, miniprogram_rows
from geo.demo.names import Seed, as_rng
from geo.errors import GeoInputError
from geo.schema import ADDRESS_COLUMNS, AddressCol, AreaKind, Col, IncidentSource, Level, Outcome


@dataclass(frozen=True)
class RawIncidents:
    """Raw rows per channel (exactly the file columns), plus what a test or a demo needs to check them:
    `truth` (one row per generated dispute: channel, source_id, grid_code, category, outcome, status,
    reported_at, closed_at, true position in EPSG:4490), `planted` (channel, row, source_id, defect) and
    `hot_spots` (grid_code, month, factor)."""

    app: pd.DataFrame
    hotline: pd.DataFrame
    miniprogram: pd.DataFrame
    truth: gpd.GeoDataFrame
    planted: pd.DataFrame
    hot_spots: pd.DataFrame

    def frames(self) -> dict[IncidentSource, pd.DataFrame]:
        return {
            IncidentSource.APP: self.app,
            IncidentSource.HOTLINE: self.hotline,
            IncidentSource.MINIPROGRAM: self.miniprogram,
        }


def _check_addresses(addresses: gpd.GeoDataFrame) -> None:
    derived = (AddressCol.ADDRESS_ID, AddressCol.FULL_ADDRESS, Col.GEOMETRY)
    needed = [c for c in ADDRESS_COLUMNS if c not in derived]
    missing = [str(c) for c in needed if c not in addresses.columns]
    if missing:
        raise GeoInputError(
            f"address library lacks column(s) {', '.join(missing)}: make it with generate_addresses"
        )


def _truth(
    disputes: pd.DataFrame,
    ids: NDArray[np.object_],
    grid_codes: NDArray[np.str_],
    addresses: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    address = disputes["address"].to_numpy()
    address_ids = addresses[AddressCol.ADDRESS_ID].to_numpy()
    frame = pd.DataFrame(
        {
            Col.SOURCE: disputes["channel"].to_numpy(),
            Col.SOURCE_ID: ids,
            Col.GRID_CODE: grid_codes[disputes["grid"].to_numpy()],
            Col.CATEGORY: [CATEGORIES[c].value for c in disputes["category"]],
            Col.OUTCOME: [Outcome(o).value if isinstance(o, str) and o else None
                          for o in disputes["outcome"]],
            Col.STATUS: [STATUS_LABELS[s].value for s in disputes["status"]],
            Col.REPORTED_AT: disputes["reported_at"].to_numpy(),
            Col.CLOSED_AT: disputes["closed_at"].to_numpy(),
            AddressCol.ADDRESS_ID: np.where(address >= 0, address_ids[np.maximum(address, 0)], None),
        }
    )
    geometry = gpd.points_from_xy(disputes["x"], disputes["y"], crs=STORAGE_EPSG)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=STORAGE_EPSG)


def generate_incidents(hierarchy: gpd.GeoDataFrame, addresses: gpd.GeoDataFrame, seed: Seed) -> RawIncidents:
    """Raw rows of every channel for the whole period (see the module docstring for what they hold)."""
    rng = as_rng(seed, "incidents")
    _check_addresses(addresses)
    grids = areas_at(hierarchy, Level.GRID)
    kinds = grids[Col.KIND].to_numpy()
    grid_codes = grids[Col.CODE].to_numpy(dtype=str)
    total = round(scaled_count("disputes_per_year", hierarchy_units(hierarchy)) * YEARS)
    hot = hot_spots(rng, grids)
    disputes = draw_disputes(rng, grids, total, hot)
    disputes["reported_at"] = report_times(rng, disputes["month"].to_numpy())
    disputes = disputes.sort_values("reported_at", kind="stable").reset_index(drop=True)
    disputes["channel"] = pick_channels(rng, disputes, kinds)
    serious = rng.random(total) < 0.004  # violence or a group incident
    disputes["severity"] = np.where(serious, 3, rng.choice([1, 2, 3], total, p=[0.70, 0.25, 0.05]))
    disputes["serious"] = serious
    disputes["repeat_petition"] = rng.random(total) < 0.03
    disputes = handle_disputes(rng, disputes)
    disputes = pd.concat([disputes, dispute_positions(rng, disputes, grids, addresses)], axis=1)
    disputes["description"] = describe_disputes(
        rng, disputes, kinds[disputes["grid"].to_numpy()] == AreaKind.PASTORAL.value
    )
    names = hierarchy.set_index(Col.CODE)[Col.NAME].to_dict()

    by_channel = {c: disputes[disputes["channel"] == c.value].reset_index(drop=True) for c in RAW_FILE_NAMES}
    hotline, address_only = hotline_rows(
        rng, by_channel[IncidentSource.HOTLINE], addresses, names, grid_codes
    )
    raw = {
        IncidentSource.APP: app_rows(rng, by_channel[IncidentSource.APP]),
        IncidentSource.HOTLINE: hotline,
        IncidentSource.MINIPROGRAM: miniprogram_rows(rng, by_channel[IncidentSource.MINIPROGRAM]),
    }
    # A caller who gives only an address is placed at the doorplate itself.
    exact = by_channel[IncidentSource.HOTLINE]["address"].to_numpy()[address_only]
    by_channel[IncidentSource.HOTLINE].loc[address_only, ["x", "y"]] = np.column_stack(
        [addresses.geometry.x.to_numpy()[exact], addresses.geometry.y.to_numpy()[exact]]
    )
    truth = pd.concat(
        [
            _truth(by_channel[c], raw[c][KEY_COLUMNS[c][0]].to_numpy(), grid_codes, addresses)
            for c in RAW_FILE_NAMES
        ],
        ignore_index=True,
    )
    planted_rows = []
    for channel in RAW_FILE_NAMES:
        only = address_only if channel is IncidentSource.HOTLINE else np.zeros(len(raw[channel]), dtype=bool)
        raw[channel], planted = plant_defects(
            rng, channel, raw[channel], by_channel[channel]["reported_at"], only, total
        )
        planted_rows += [(channel.value, row, source_id, defect) for defect, source_id, row in planted]
    hot_cells = np.argwhere(hot > 1.0)
    months = month_starts().strftime("%Y-%m")
    return RawIncidents(
        app=raw[IncidentSource.APP],
        hotline=raw[IncidentSource.HOTLINE],
        miniprogram=raw[IncidentSource.MINIPROGRAM],
        truth=plain_columns(gpd.GeoDataFrame(truth, geometry=Col.GEOMETRY, crs=STORAGE_EPSG)),
        planted=plain_columns(
            pd.DataFrame(planted_rows, columns=[Col.SOURCE, "row", Col.SOURCE_ID, "defect"])
        ),
        hot_spots=plain_columns(
            pd.DataFrame(
                {
                    Col.GRID_CODE: grid_codes[hot_cells[:, 0]],
                    "month": months[hot_cells[:, 1]],
                    "factor": np.round(hot[hot_cells[:, 0], hot_cells[:, 1]], 2),
                }
            )
        ),
    )
