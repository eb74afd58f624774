"""`pingan index` and `pingan metrics`: the month's warning levels and case metrics from a store."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import pandas as pd

from geo import api
from pingan_cli.options import Commands, add_command, add_store

#: Columns `pingan metrics` prints as a table; --json gives every column.
_METRICS_SHOWN = (
    "code",
    "name",
    "level",
    "incidents",
    "closure_rate",
    "overdue",
    "median_handling_days",
    "pre_litigation_diversion_rate",
    "pre_litigation_success_rate",
    "mediation_success_rate",
    "repeat_petitions",
    "satisfaction_score",
)


def register(commands: Commands) -> None:
    indexing = add_command(commands, "index", _run_index,
                           help="the month's warning levels (red / yellow / blue) with each factor's points")
    _add_common(indexing)
    indexing.add_argument("--out", type=Path, metavar="FILE.csv", help="write the CSV here instead of stdout")
    indexing.add_argument("--config", type=Path, metavar="FILE.toml", help="weights and thresholds (default: "
                          "$PINGAN_WARNING_CONFIG or the built-in warning_index.toml)")
    indexing.add_argument("--mode", choices=["fixed", "quantile"],
                          help="threshold mode (default: the config's)")
    metrics = add_command(commands, "metrics", _run_metrics,
                          help="the month's case metrics per area: closure, overdue, court diversion, "
                          "satisfaction")
    _add_common(metrics)
    metrics.add_argument("--json", action="store_true", help="print every column as JSON records")


def _add_common(parser: argparse.ArgumentParser) -> None:
    add_store(parser)
    parser.add_argument("--month", required=True, metavar="YYYY-MM", help="the month, for example 2024-03")
    parser.add_argument(
        "--level",
        metavar="LEVEL",
        help="one level: city, county, township, village, grid (default: every level)",
    )


def _read(store_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    store = api.open_store(store_path)
    layers = store.layers()
    if not layers:
        raise api.StoreError(
            f"store {store_path} does not exist or is empty: build it with `pingan demo build`"
        )
    for layer in (api.Layer.AREAS, api.Layer.INCIDENTS):
        if layer.value not in layers:
            raise api.StoreError(
                f"store {store_path} has no {layer.value} layer (it has {', '.join(layers)}): "
                "load boundaries and incidents before computing warning levels"
            )
    return store.read(api.Layer.AREAS.value), store.read(api.Layer.INCIDENTS.value)


def _run_index(args: argparse.Namespace) -> int:
    """Score every area of a month and write code, name, level, score, warning level, rank and the
    points of each factor as CSV (to stdout without --out)."""
    config = api.load_warning_config(args.config or os.environ.get("PINGAN_WARNING_CONFIG") or None)
    if args.mode:
        config = config.with_mode(args.mode)
    areas, incidents = _read(args.store)
    scores = api.warning_scores(incidents, areas, month=args.month, level=args.level, config=config)
    scores = scores.drop(columns=["month", "parent_code", "households", "incidents"])
    if args.out:
        scores.to_csv(args.out, index=False, float_format="%.4f")
        print(f"wrote {len(scores):,} areas of {args.month} to {args.out}", file=sys.stderr)
    else:
        scores.to_csv(sys.stdout, index=False, float_format="%.4f")
    return 0


def _run_metrics(args: argparse.Namespace) -> int:
    """Case metrics of the incidents reported in a month, per area: counts, closure rate, overdue
    cases, median handling days, pre-litigation diversion and success, mediation success, repeat petitions
    and satisfaction."""
    areas, incidents = _read(args.store)
    metrics = api.case_metrics(incidents, areas, month=args.month, level=args.level)
    if args.json:
        records = json.loads(metrics.to_json(orient="records", force_ascii=False))
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(metrics[list(_METRICS_SHOWN)].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0
