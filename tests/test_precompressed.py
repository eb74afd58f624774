"""Bundles, assets and map files leave compressed once per file version, with the headers a cache needs;
decompressed they are the file itself. Dynamic responses are compressed per request, never kept."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import brotli
import pytest
from fixtures.overview.store import overview_client

from dashboard import precompressed
from dashboard.app import ASSETS_DIR
from dashboard.precompressed import CompressedFiles, suite_file

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    return overview_client(tmp_path_factory.mktemp("compressed"))


def _bundle_url(client, name: str) -> str:
    """The fingerprinted URL the page's HTML gives a bundle."""
    html = client.get("/").get_data(as_text=True)
    return next(url for url in re.findall(r'src="([^"]+)"', html) if name in url)


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_component_suite_bundle_is_sent_compressed_and_decompresses_to_the_file(client, encoding) -> None:
    url = _bundle_url(client, "dash_core_components.v")
    response = client.get(url, headers={"Accept-Encoding": f"{encoding}, identity"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "max-age=31536000"  # fingerprinted: kept for a year
    assert int(response.headers["Content-Length"]) == len(response.data)
    original = suite_file(url.removeprefix("/_dash-component-suites/"))
    assert original is not None and original.name == "dash_core_components.js"
    assert DECODE[encoding](response.data) == original.read_bytes()
    assert len(response.data) < original.stat().st_size / 3


def test_brotli_is_preferred_and_plotly_is_compressed_too(client) -> None:
    response = client.get(
        "/_dash-component-suites/plotly/package_data/plotly.min.js", headers={"Accept-Encoding": "gzip, br"}
    )
    assert response.headers["Content-Encoding"] == "br"
    assert len(response.data) < 1_500_000  # of 4.8 MB


def test_a_client_without_compression_gets_the_plain_file(client) -> None:
    url = _bundle_url(client, "dash_core_components.v")
    response = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.data == suite_file(url.removeprefix("/_dash-component-suites/")).read_bytes()


def test_assets_are_compressed_and_still_revalidate(client) -> None:
    first = client.get("/assets/app.css", headers={"Accept-Encoding": "br"})
    assert first.headers["Content-Encoding"] == "br"
    assert brotli.decompress(first.data) == (ASSETS_DIR / "app.css").read_bytes()
    again = client.get(
        "/assets/app.css", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_versioned_assets_are_kept_by_the_browser(client) -> None:
    response = client.get("/assets/app.css?m=123", headers={"Accept-Encoding": "br"})
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "immutable" not in client.get("/assets/app.css").headers["Cache-Control"]


def test_callback_answers_are_not_taken_from_the_file_cache(client) -> None:
    layout = client.get("/_dash-layout", headers={"Accept-Encoding": "br"})
    assert layout.status_code == 200
    dependencies = client.get("/_dash-dependencies", headers={"Accept-Encoding": "identity"})
    assert dependencies.get_json(), "dynamic JSON answers as before"


def test_the_whole_levels_map_files_are_compressed_before_the_first_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = overview_client(tmp_path)
    made: list[str] = []
    encode = precompressed._encode

    def counted(data: bytes, encoding: str) -> bytes:
        made.append(encoding)
        return encode(data, encoding)

    monkeypatch.setattr(precompressed, "_encode", counted)
    levels = [p for p in sorted((tmp_path / "cache").glob("areas-*.geojson")) if "-in-" not in p.name]
    assert len(levels) >= 3, "city, counties, townships at least"
    for path in levels:
        response = client.get(f"/mapdata/{path.name}", headers={"Accept-Encoding": "br"})
        assert response.headers["Content-Encoding"] == "br"
        assert brotli.decompress(response.data) == path.read_bytes()
    assert made == [], "compressed at start, so the first visitor's map waits for none of it"


def test_a_changed_file_is_compressed_again(tmp_path: Path) -> None:
    path = tmp_path / "bundle.js"
    path.write_text("var a = 1;" * 200)
    files = CompressedFiles()
    assert brotli.decompress(files.encoded(path, "br")) == path.read_bytes()
    assert files.encoded(path, "br") is files.encoded(path, "br"), "made once, then kept"
    path.write_text("var b = 2;" * 300)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert brotli.decompress(files.encoded(path, "br")) == path.read_bytes()

