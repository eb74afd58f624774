"""`pingan demo`: build the demo store, check it against the seed's figures, and serve it."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from geo import api, demo
from pingan_cli.options import Commands, add_command, add_server, add_store
from pingan_cli.serve_command import serve


def register(commands: Commands) -> None:
    parser = add_command(commands, "demo", _run_demo,
                         help="build the demo store if missing, then serve the dashboard")
    add_store(parser)
    add_server(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    building = add_command(actions, "build", _run_build,
                           help="(re)build the demo store from the committed boundaries and a fixed seed")
    add_store(building)
    building.add_argument("--seed", type=int, default=demo.DEMO_SEED,
                          help="random seed (default: %(default)s)")
    checking = add_command(actions, "check", _run_check,
                           help="compare the store with every figure of the seed article")
    add_store(checking)
    checking.add_argument("--json", action="store_true", help="print the comparison as JSON")
    province = add_command(actions, "province", _run_province,
                           help="a synthetic province (~30k grids, ~1M incidents a year) as a store and an "
                           "archive")
    province.add_argument("--out", type=Path, required=True, metavar="DIR")
    province.add_argument("--grids", type=int, default=30_000,
                          help="at least this many (default: %(default)s)")
    province.add_argument("--incidents-per-year", dest="per_year", type=int, default=1_000_000,
                          help="(default: %(default)s)")
    province.add_argument("--years", type=int, nargs="+", default=[2024], help="(default: %(default)s)")
    province.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")


def _run_build(args: argparse.Namespace) -> int:
    """Build the demo store: the real counties and generated hierarchy, grid workers, centres,
    mediation organisations and mediators, and three years of incidents ingested through the normal intake
    path. The store is replaced atomically."""
    if api.is_database_url(args.store):
        raise api.StoreError(f"the demo is built as a GeoPackage, not in {args.store}: build it with --store "
                             "FILE.gpkg, then `pingan store migrate --from FILE.gpkg --to URL`")
    summary = demo.build_demo_store(args.store, seed=getattr(args, "seed", demo.DEMO_SEED))
    print(f"built {args.store}: " + ", ".join(f"{name} {count:,}" for name, count in summary.items()))
    _print_accounts(demo.add_demo_accounts(api.open_store(args.store)))
    return 0


def _print_accounts(accounts: list[demo.DemoAccount]) -> None:
    """The demo's sign-ins, shown this once: the store keeps only hashes (`pingan users passwd` sets a
    new password)."""
    print("\ndemo accounts (shown once; the store keeps only their hashes):")
    for account in accounts:
        if account.role == api.Role.WALL.value:
            print(f"  wall kiosk      open /wall?token={account.secret}")
        else:
            print(f"  {account.user_id:<14}  {account.role:<8} {account.scope}  password {account.secret}")
    print()


def _run_province(args: argparse.Namespace) -> int:
    """Write DIR/province.gpkg (cities, counties, townships, villages and grids of a documented
    synthetic lattice, see geo.demo.province, with addresses, centres, mediation organisations and
    mediators, see geo.demo.province_services) and DIR/archive (the incidents as monthly GeoParquet) for
    `pingan batch`."""
    if args.grids < 1 or args.per_year < 0:
        raise api.GeoInputError(f"--grids {args.grids}, --incidents-per-year {args.per_year}: allowed are "
                                "at least 1 grid and 0 or more incidents")
    areas = demo.province_areas(args.grids, seed=args.seed)
    store = args.out / "province.gpkg"
    store.unlink(missing_ok=True)
    services = demo.province_services(areas, seed=args.seed)
    api.open_store(store).write({api.Layer.AREAS.value: areas, **services})
    incidents = demo.province_incidents(areas, per_year=args.per_year, years=tuple(args.years),
                                        seed=args.seed)
    written = api.write_archive(incidents, args.out / "archive") if len(incidents) else {}
    grids = int((areas[api.Col.LEVEL] == api.Level.GRID.value).sum())
    print(f"wrote {store} ({grids:,} grids in {len(areas) - grids:,} cities, counties, townships and "
          f"villages, with mediation) and "
          f"{args.out / 'archive'} ({len(incidents):,} incidents in {len(written)} monthly partitions)")
    return 0


def _run_check(args: argparse.Namespace) -> int:
    """Print every seed figure beside the store's value; exit 1 when any is off."""
    checks = demo.check_demo_store(api.open_store(args.store))
    if args.json:
        figures = [
            {k: (None if v != v else v) for k, v in dataclasses.asdict(c).items()} for c in checks
        ]  # NaN
        json.dump(
            {"ok": all(c.ok for c in checks), "figures": figures}, sys.stdout, ensure_ascii=False, indent=2
        )
        print()
    else:
        width = max(len(c.name) for c in checks)
        for c in checks:
            mark = "ok " if c.ok else "OFF"
            shown = [_figure_text(v, rate=c.expected < 1) for v in (c.expected, c.measured, c.tolerance)]
            print(f"{mark} {c.name:<{width}}  seed {shown[0]:>8}  store {shown[1]:>8}  ±{shown[2]}")
    return 0 if all(c.ok for c in checks) else 1


def _figure_text(value: float, *, rate: bool) -> str:
    if value != value:  # NaN: the figure could not be measured
        return "missing"
    return f"{value:.1%}" if rate else f"{value:,.0f}"


def _run_demo(args: argparse.Namespace) -> int:
    """Without an action: build the demo store if it is missing, then serve the dashboard. Actions:
    build, check, province."""
    if not api.is_database_url(args.store) and not args.store.is_file():
        print(f"building the demo store at {args.store} (first run only)...", flush=True)
        _run_build(args)
    serve(args.store, args.host, args.port)
    return 0
