"""`pingan events`: temporary event-security layouts (a named event, its dates, and per temporary grid the
police station, the grid it lies in and the unit responsible), in force only between their dates."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from geo import api
from pingan_cli.options import Commands, add_command, add_group, add_store, iso_date


def register(commands: Commands) -> None:
    actions = add_group(commands, "events", description=__doc__,
                        help="temporary event-security layouts: import one, list those in force")
    imported = add_command(actions, "import", _run_import,
                           help="check a layer of temporary grids and save it as an event")
    imported.add_argument("file", type=Path, help="GeoPackage, GeoJSON or Shapefile of temporary grids")
    imported.add_argument("--name", required=True, help="the event's name")
    imported.add_argument("--start", required=True, type=iso_date, help="first day in force, YYYY-MM-DD")
    imported.add_argument("--end", required=True, type=iso_date, help="last day in force, YYYY-MM-DD")
    add_store(imported)
    listed = add_command(actions, "list", _run_list, help="the temporary grids in force on a day")
    listed.add_argument("--on", type=iso_date, default=dt.date.today(), help="the day (default: today)")
    add_store(listed)


def _run_import(args: argparse.Namespace) -> int:
    """Check a layer of temporary grids (temp_code, police_station, responsible_unit, polygons in a
    declared CRS) drawn in QGIS, and save it as an event in force from --start to --end."""
    store = api.open_store(args.store)
    layout = api.event_layout(api.read_event_file(args.file), api.current_grids(store), name=args.name,
                              starts=args.start, ends=args.end)
    count = api.save_event_layout(store, layout)
    print(f"saved event {layout[api.EventCol.EVENT_ID].iloc[0]}: {count} temporary grid(s), "
          f"in force {args.start} to {args.end}")
    return 0


def _run_list(args: argparse.Namespace) -> int:
    rows = api.event_layouts_in_force(api.open_store(args.store), args.on)
    col = api.EventCol
    shown = (col.EVENT_NAME, col.STARTS_ON, col.ENDS_ON, col.TEMP_CODE, col.POLICE_STATION, api.Col.GRID_CODE,
             col.RESPONSIBLE_UNIT)
    for row in rows.itertuples(index=False):
        print("\t".join(str(getattr(row, c)) for c in shown))
    print(f"{len(rows)} temporary grid(s) in force on {args.on}")
    return 0
