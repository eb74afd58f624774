"""A centre's own config files (warning weights, coverage bands, teams, grid policy, service codes): a file
that is missing, unreadable or not TOML is refused with its path and what it should have held."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geo.api import (
    GeoInputError,
    load_coverage_config,
    load_grid_policy,
    load_service_table,
    load_teams,
    load_warning_config,
)

LOADERS: dict[str, Callable[[Path], Any]] = {
    "warning index config": load_warning_config,
    "coverage config": load_coverage_config,
    "teams file": load_teams,
    "grid policy": load_grid_policy,
    "service table": load_service_table,
}


@pytest.mark.parametrize("what", LOADERS)
def test_a_missing_config_is_named_with_what_it_should_hold(tmp_path: Path, what: str) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(GeoInputError, match=rf"nope\.toml: no such file \(the {what}\)"):
        LOADERS[what](missing)


@pytest.mark.parametrize("what", LOADERS)
def test_a_config_that_is_not_toml_says_where_it_breaks(tmp_path: Path, what: str) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[weights\nred = 1\n", encoding="utf-8")
    with pytest.raises(GeoInputError, match=rf"broken\.toml: the {what} is not valid TOML \(.*line 1"):
        LOADERS[what](broken)


def test_a_config_in_another_encoding_is_refused_not_misread(tmp_path: Path) -> None:
    latin = tmp_path / "gbk.toml"
    latin.write_bytes("[weights]\n# 权重\n".encode("gbk"))
    with pytest.raises(GeoInputError, match=r"gbk\.toml: the warning index config is not valid TOML"):
        load_warning_config(latin)
