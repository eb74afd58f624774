"""Static files sent compressed, each compressed once per file version rather than once per request.

Dash's bundles (plotly.min.js alone is 4.8 MB), the assets and the map files never change while a file
keeps its path and mtime, so their brotli or gzip bytes are made once and kept in memory keyed by exactly
that; a request only picks the encoding it accepts. Responses are never cached: Dash (or Flask) answers
as usual, validating the path and the conditional headers, and a 200 for a known file has its body
swapped for the encoded bytes. Dynamic responses (the page, layout and callback JSON) are not touched.
"""

from __future__ import annotations

import gzip
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Final

import brotli
import dash
import flask
from dash.fingerprint import check_fingerprint
from werkzeug.security import safe_join

#: Encodings in order of preference. Brotli quality 5 is within 5 % of quality 9 in size and 3 to 5 times
#: faster (0.15 s against 0.5 s for plotly.min.js, 9 ms against 50 ms for a 200 KB map file; quality 11
#: takes 10 s for plotly), so a start stays quick and a map file's first request barely waits.
ENCODINGS: Final = ("br", "gzip")
_BROTLI_QUALITY: Final = 5
COMPRESSED_SUFFIXES: Final = frozenset({".js", ".css", ".geojson", ".json", ".svg"})
#: What the kept bytes may add up to before the least recently used are dropped (a map file per area
#: adds up at province scale; the bundles are about 3 MB compressed).
MEMORY_BUDGET_BYTES: Final = 256 * 1024 * 1024
#: Dash's bundle route, the one whose paths are not files under a folder.
SUITES_PREFIX: Final = "_dash-component-suites/"
#: URL path (below the app's prefix) -> the file it serves, or None when it is not one of ours.
FileOf = Callable[[str], Path | None]


def _encode(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(data, quality=_BROTLI_QUALITY))
    return gzip.compress(data, compresslevel=9, mtime=0)  # mtime 0: the same file gives the same bytes


class CompressedFiles:
    """Encoded bytes per (file, mtime, size, encoding), made on first use, within a memory budget."""

    def __init__(self, budget_bytes: int = MEMORY_BUDGET_BYTES) -> None:
        self._budget = budget_bytes
        self._kept: OrderedDict[tuple[str, int, int, str], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._making: dict[tuple[str, int, int, str], threading.Lock] = {}

    def encoded(self, path: Path, encoding: str) -> bytes:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size, encoding)
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:  # two first visitors wait for one compression, not make two
            with self._lock:
                if key in self._kept:
                    self._kept.move_to_end(key)
                    return self._kept[key]
            body = _encode(path.read_bytes(), encoding)
            with self._lock:
                self._kept[key] = body
                self._size += len(body)
                self._making.pop(key, None)
                while self._size > self._budget and len(self._kept) > 1:
                    self._size -= len(self._kept.popitem(last=False)[1])
        return body


def suite_file(fingerprinted_path: str) -> Path | None:
    """The file behind `<package>/<fingerprinted path>` of Dash's bundle route, as Dash reads it
    (pkgutil.get_data: relative to the package's folder)."""
    package_name, _, fingerprinted = fingerprinted_path.partition("/")
    package = sys.modules.get(package_name)
    if package is None or package.__file__ is None:
        return None
    path_in_package, _ = check_fingerprint(fingerprinted)
    found = safe_join(str(Path(package.__file__).parent), path_in_package)
    return Path(found) if found else None


def folder_files(folder: Path) -> FileOf:
    """Files under `folder`, named by their path below the route."""

    def file_of(name: str) -> Path | None:
        found = safe_join(str(folder), name)
        return Path(found) if found else None

    return file_of


def preferred_encoding(accepted: Mapping[str, float]) -> str | None:
    return next((name for name in ENCODINGS if accepted.get(name, 0) > 0), None)


def install(app: dash.Dash, files: CompressedFiles, routes: Mapping[str, FileOf]) -> None:
    """Send the files of `routes` (a URL prefix below the app's prefix, e.g. "assets/", and how to find
    the file of a path under it) compressed from `files`."""

    def file_for(stripped: str) -> Path | None:
        for prefix, file_of in routes.items():
            if stripped.startswith(prefix):
                path = file_of(stripped.removeprefix(prefix))
                if path is None or path.suffix not in COMPRESSED_SUFFIXES or not path.is_file():
                    return None
                return path
        return None

    @app.server.after_request
    def send_compressed(response: flask.Response) -> flask.Response:
        request = flask.request
        if request.method != "GET" or response.status_code not in (200, 304):
            return response
        path = file_for(str(app.strip_relative_path(request.path) or ""))
        if path is None:
            return response
        response.vary.add("Accept-Encoding")
        encoding = preferred_encoding(dict(request.accept_encodings))
        if response.status_code == 304 or encoding is None or "Content-Encoding" in response.headers:
            return response
        body = files.encoded(path, encoding)
        response.direct_passthrough = False
        response.set_data(body)
        response.headers["Content-Encoding"] = encoding
        # Byte ranges would be of the plain file. The ETag stays the file's, so Dash and Flask still answer
        # a revalidation with 304; Vary keeps a cache from handing these bytes to a client without brotli.
        response.headers.pop("Accept-Ranges", None)
        return response


def compress_bundles(app: dash.Dash, files: CompressedFiles, *, page_path: str, assets: Path) -> int:
    """Compress every script and style sheet Dash serves and the assets, so that the first visitor after
    a start waits for none of it; returns how many files. Dash learns its bundles' paths when it first
    renders a page, so one page (any serves the same HTML) is rendered first, as the server would for a
    visitor already signed in."""
    with app.server.test_request_context(app.get_relative_path(page_path)):
        app.index()
    paths = [
        suite_file(f"{package}/{relative}")
        for package, relatives in app.registered_paths.items()
        for relative in relatives
    ]
    paths += sorted(assets.rglob("*"))
    bundles = [p for p in paths if p is not None and p.suffix in (".js", ".css") and p.is_file()]
    for path in bundles:
        files.encoded(path, ENCODINGS[0])
    return len(bundles)


def compress_files(files: CompressedFiles, paths: Iterable[Path]) -> None:
    """Compress `paths` now (map files the first views show), so that their first request only sends."""
    for path in paths:
        if path.suffix in COMPRESSED_SUFFIXES and path.is_file():
            files.encoded(path, ENCODINGS[0])
