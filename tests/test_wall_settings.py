"""The wall's settings: intervals and wall-only from PINGAN_* variables or `pingan serve` flags, with errors
that name the variable and what is allowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dashboard.settings import Settings, SettingsError
from dashboard.wall.layout import wall_timing
from pingan_cli import serve_command
from pingan_cli.main import build_parser, main

STORE = {"PINGAN_STORE": "var/pingan-demo.gpkg"}


def _wall(settings: Settings) -> tuple[float, float, bool]:
    return settings.wall_rotate_seconds, settings.wall_refresh_seconds, settings.wall_only


def test_wall_defaults() -> None:
    settings = Settings.from_env(STORE)

    assert _wall(settings) == (20.0, 30.0, False)


def test_wall_settings_from_the_environment() -> None:
    settings = Settings.from_env({**STORE, "PINGAN_WALL_ROTATE_SECONDS": "5",
                                  "PINGAN_WALL_REFRESH_SECONDS": "1.5", "PINGAN_WALL_ONLY": "yes"})

    assert _wall(settings) == (5.0, 1.5, True)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PINGAN_WALL_ROTATE_SECONDS", "0.1", r"PINGAN_WALL_ROTATE_SECONDS='0.1' is not a wall interval: "
                                              r"allowed are 0.2 to 86400 seconds"),
        ("PINGAN_WALL_REFRESH_SECONDS", "soon", r"PINGAN_WALL_REFRESH_SECONDS='soon' is not a wall interval"),
        ("PINGAN_WALL_ONLY", "maybe", r"PINGAN_WALL_ONLY='maybe' is not a yes/no value: allowed are 1, 0"),
    ],
)
def test_bad_wall_settings_say_what_is_allowed(variable: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({**STORE, variable: value})


def test_keyword_overrides_win_over_the_environment() -> None:
    settings = Settings.from_env({**STORE, "PINGAN_WALL_ONLY": "1"}, wall_only=False, wall_rotate_seconds=2)

    assert (settings.wall_only, settings.wall_rotate_seconds) == (False, 2.0)


def test_the_page_is_stale_after_two_and_a_half_refreshes_but_never_sooner_than_three_seconds() -> None:
    assert wall_timing(Settings.from_env(STORE)).stale_after_ms == 75_000
    fast = wall_timing(Settings.from_env(STORE, wall_refresh_seconds=0.5, wall_rotate_seconds=1))
    assert (fast.refresh_ms, fast.rotate_ms, fast.stale_after_ms) == (500, 1000, 3000)


def test_serve_flags_parse() -> None:
    args = build_parser().parse_args(["serve", "--wall-only", "--wall-rotate", "5", "--wall-refresh", "2"])
    plain = build_parser().parse_args(["serve"])

    assert (args.wall_only, args.wall_rotate_seconds, args.wall_refresh_seconds) == (True, 5.0, 2.0)
    assert (plain.wall_only, plain.wall_rotate_seconds, plain.wall_refresh_seconds) == (None, None, None)


class _FakeApp:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.server = object()  # the WSGI app that `serve` hands to waitress


def test_serve_flags_reach_the_settings_and_unset_ones_leave_the_environment_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    made: list[_FakeApp] = []
    served: list[tuple[object, dict[str, Any]]] = []

    def create_app(settings: Settings) -> _FakeApp:
        made.append(_FakeApp(settings))
        return made[-1]

    monkeypatch.setattr("dashboard.app.create_app", create_app)
    monkeypatch.setattr(serve_command.waitress, "serve", lambda app, **options: served.append((app, options)))
    monkeypatch.setenv("PINGAN_WALL_REFRESH_SECONDS", "7")

    serve_command.serve(tmp_path / "s.gpkg", "127.0.0.1", 8123, wall_only=True, wall_rotate_seconds=3)

    settings = made[0].settings
    assert _wall(settings) == (3.0, 7.0, True)
    app, options = served[0]
    assert app is made[0].server
    assert (options["host"], options["port"]) == ("127.0.0.1", 8123)


def test_a_bad_flag_value_ends_serve_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--store", "x.gpkg", "--wall-rotate", "0.01"]) == 2
    assert "PINGAN_WALL_ROTATE_SECONDS=0.01 is not a wall interval" in capsys.readouterr().err
