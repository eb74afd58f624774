"""`pingan export incidents`: the incidents as a Shapefile, GeoJSON or CSV for QGIS and Excel."""

from __future__ import annotations

import argparse
from pathlib import Path

from geo import api
from pingan_cli.audit_trail import record
from pingan_cli.options import Commands, add_command, add_group, add_store


def register(commands: Commands) -> None:
    what = add_group(commands, "export", description=__doc__, dest="what",
                     help="write the incidents as a file for QGIS or Excel")
    incidents = add_command(what, "incidents", _run, help="every incident of the store")
    incidents.add_argument("--out", type=Path, required=True, metavar="FILE")
    incidents.add_argument("--format", choices=api.INCIDENT_FILE_FORMATS, default=None,
                           help="default: from the file's suffix (.shp, .geojson, .csv)")
    add_store(incidents)


def _run(args: argparse.Namespace) -> int:
    """Write every incident without the fields about a person: a Shapefile in UTF-8 with its .cpg and short
    field names (geo.export.incident_files.SHAPEFILE_NAMES), GeoJSON with times in the city's offset, or
    CSV in UTF-8 with BOM whose cells cannot start a spreadsheet formula."""
    file_format = args.format or args.out.suffix.lower().lstrip(".")
    store = api.open_store(args.store)
    incidents = store.read(api.Layer.INCIDENTS.value)
    path = api.write_incident_file(incidents, args.out, file_format=file_format)
    record(store, api.AuditAction.EXPORT, f"{len(incidents)} incidents to {path} ({file_format})")
    print(f"{len(incidents)} incidents written to {path}")
    return 0
