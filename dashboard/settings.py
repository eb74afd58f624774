"""Dashboard settings: one frozen value built from the environment and passed to `create_app`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from geo.api import store_location


class SettingsError(ValueError):
    """A setting that is missing or malformed; the message names the variable and what is allowed."""


_ENV: Final = {
    "store": "PINGAN_STORE",
    "host": "PINGAN_HOST",
    "port": "PINGAN_PORT",
    "tile_url": "PINGAN_TILE_URL",
    "cache_dir": "PINGAN_CACHE_DIR",
    "wall_rotate_seconds": "PINGAN_WALL_ROTATE_SECONDS",
    "wall_refresh_seconds": "PINGAN_WALL_REFRESH_SECONDS",
    "wall_only": "PINGAN_WALL_ONLY",
    "warning_config": "PINGAN_WARNING_CONFIG",
    "open311_rate": "PINGAN_OPEN311_RATE",
    "secret_key_file": "PINGAN_SECRET_KEY_FILE",
    "secure_cookies": "PINGAN_SECURE_COOKIES",
}
#: Shortest wall interval accepted: faster than this the browser would do nothing but redraw.
_MIN_WALL_SECONDS: Final = 0.2
_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off", ""})


@dataclass(frozen=True)
class Settings:
    """Where the data is and how the dashboard is served.

    Attributes
    ----------
    store
        GeoPackage store with the ``areas`` layer, or a PostGIS store's postgresql:// URL (PINGAN_STORE,
        required).
    host, port
        Address to serve on (PINGAN_HOST, default 127.0.0.1; PINGAN_PORT, default 8050).
    tile_url
        Optional intranet tile URL with {z}/{x}/{y} (PINGAN_TILE_URL). Without it the map has no
        background tiles, as command-centre networks are isolated.
    cache_dir
        Where geometry prepared for the browser is written (PINGAN_CACHE_DIR, default a `cache` folder
        next to the store: var/cache for the default store var/pingan-demo.gpkg, and for a database).
    wall_rotate_seconds
        How long the command-centre wall shows each view (PINGAN_WALL_ROTATE_SECONDS, default 20).
    wall_refresh_seconds
        How often the wall asks for new data (PINGAN_WALL_REFRESH_SECONDS, default 30); with no good
        answer for 2.5 intervals (at least 3 s) it marks its picture stale.
    wall_only
        Serve only the wall, for a kiosk browser: / and every other page redirect to /wall
        (PINGAN_WALL_ONLY=1).
    warning_config
        A centre's own warning index TOML (PINGAN_WARNING_CONFIG); every page, the wall and the
        command line score with it. Default: the built-in weights.
    open311_rate
        POSTs a second each Open311 client may make on average, twice that at once
        (PINGAN_OPEN311_RATE, default 50); more answer 429.
    secret_key_file
        The key that signs session cookies (PINGAN_SECRET_KEY_FILE, default `session.key` beside the
        store; made on the first start, readable by its owner only). Servers sharing one store and one
        set of sessions share this file.
    secure_cookies
        Mark the session cookie Secure (PINGAN_SECURE_COOKIES, default on): browsers then send it over
        HTTPS and to localhost only. Turn it off only for a server reached over plain HTTP on a closed
        network.
    """

    store: Path | str  # a GeoPackage path, or a postgresql:// URL (kept as text: a Path would mangle it)
    cache_dir: Path
    host: str = "127.0.0.1"
    port: int = 8050
    tile_url: str | None = None
    wall_rotate_seconds: float = 20.0
    wall_refresh_seconds: float = 30.0
    wall_only: bool = False
    warning_config: Path | None = None
    open311_rate: float = 50.0
    secret_key_file: Path = Path("var/session.key")
    secure_cookies: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, /, **overrides: Any) -> Settings:
        """Settings from `environ` (default `os.environ`); keyword overrides win, even when None."""
        unknown = sorted(set(overrides) - set(_ENV))
        if unknown:
            raise SettingsError(f"unknown setting(s) {', '.join(unknown)}: allowed are {', '.join(_ENV)}")
        env = os.environ if environ is None else environ
        raw: dict[str, Any] = {name: env.get(var) or None for name, var in _ENV.items()}
        raw.update(overrides)
        store = _required_store(raw["store"])
        beside = store.parent if isinstance(store, Path) else Path("var")
        cache_dir = Path(raw["cache_dir"]) if raw["cache_dir"] else beside / "cache"
        return cls(
            store=store,
            cache_dir=cache_dir,
            host=str(raw["host"] or "127.0.0.1"),
            port=_port(raw["port"]),
            tile_url=_tile_url(raw["tile_url"]),
            wall_rotate_seconds=_seconds(raw["wall_rotate_seconds"], "wall_rotate_seconds", 20.0),
            wall_refresh_seconds=_seconds(raw["wall_refresh_seconds"], "wall_refresh_seconds", 30.0),
            wall_only=_flag(raw["wall_only"], "wall_only"),
            warning_config=_config_file(raw["warning_config"]),
            open311_rate=_rate(raw["open311_rate"]),
            secret_key_file=Path(raw["secret_key_file"] or beside / "session.key"),
            secure_cookies=raw["secure_cookies"] is None or _flag(raw["secure_cookies"], "secure_cookies"),
        )


def _config_file(value: object) -> Path | None:
    """A centre's own warning index weights and thresholds; None keeps the built-in file."""
    if value is None or str(value).strip() == "":
        return None
    path = Path(str(value))
    if not path.is_file():
        name = _ENV["warning_config"]
        raise SettingsError(f"{name}={str(value)!r} is not a file: give a warning index TOML")
    return path


def _required_store(value: object) -> Path | str:
    if value is None or str(value).strip() == "":
        raise SettingsError(f"{_ENV['store']} is not set: give the path of the GeoPackage store, e.g. "
                            "var/pingan-demo.gpkg, or a postgresql:// URL")
    return store_location(str(value))


def _port(value: object) -> int:
    if value is None or value == "":
        return 8050
    try:
        port = int(str(value))
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise SettingsError(f"{_ENV['port']}={value!r} is not a port: allowed are whole numbers 0-65535")
    return port


def _tile_url(value: object) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    url = str(value).strip()
    missing = [part for part in ("{z}", "{x}", "{y}") if part not in url]
    if missing or not url.startswith(("http://", "https://", "/")):
        raise SettingsError(
            f"{_ENV['tile_url']}={url!r} is not a tile URL: expected http(s)://host/path/{{z}}/{{x}}/{{y}}.png"
            f" or a path on this server{' (missing ' + ', '.join(missing) + ')' if missing else ''}"
        )
    return url


def _seconds(value: object, name: str, default: float) -> float:
    if value is None or str(value).strip() == "":
        return default
    try:
        seconds = float(str(value))
    except ValueError:
        seconds = float("nan")
    if not _MIN_WALL_SECONDS <= seconds <= 24 * 3600:
        raise SettingsError(
            f"{_ENV[name]}={value!r} is not a wall interval: allowed are {_MIN_WALL_SECONDS:g} to 86400"
            " seconds"
        )
    return seconds


def _rate(value: object) -> float:
    if value is None or str(value).strip() == "":
        return 50.0
    try:
        rate = float(str(value))
    except ValueError:
        rate = float("nan")
    if not 0.1 <= rate <= 100_000:
        raise SettingsError(
            f"{_ENV['open311_rate']}={value!r} is not a rate: allowed are 0.1 to 100000 a second")
    return rate


def _flag(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise SettingsError(
        f"{_ENV[name]}={value!r} is not a yes/no value: allowed are 1, 0, true, false, yes, no, on, off"
    )
