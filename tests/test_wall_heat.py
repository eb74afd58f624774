"""The wall's heat image: a PNG that decodes to the pixels given, a colour ramp that leaves empty land
clear, and rows moved to where Leaflet will stretch them in Web Mercator."""

from __future__ import annotations

import math
import struct
import zlib

import numpy as np
import pytest

from dashboard.wall.heat import (
    HEAT_STOPS,
    TRANSPARENT_DATA_URL,
    heat_png,
    heat_rgba,
    mercator_rows,
    png_bytes,
)


def decode_png(data: bytes) -> np.ndarray:
    """RGBA pixels of an 8-bit RGBA PNG without filters, read chunk by chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        body = data[position + 8:position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks[kind] = chunks.get(kind, b"") + body
        position += 12 + length
    width, height, depth, colour, _, _, _ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour) == (8, 6)
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8).reshape(height, 1 + width * 4)
    assert (raw[:, 0] == 0).all()  # filter "none" on every row
    return raw[:, 1:].reshape(height, width, 4)


def test_a_png_decodes_to_the_pixels_given() -> None:
    pixels = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)

    assert np.array_equal(decode_png(png_bytes(pixels)), pixels)


def test_png_bytes_refuses_anything_but_rgba_bytes() -> None:
    with pytest.raises(ValueError, match=r"expected an array of shape \(rows, columns, 4\) of uint8"):
        png_bytes(np.zeros((2, 3), dtype=np.uint8))


def test_empty_land_is_clear_and_the_busiest_cells_take_the_end_of_the_ramp() -> None:
    values = np.array([[0.0, 0.001, 50.0, 100.0]])

    rgba = heat_rgba(values)

    assert rgba[0, 0, 3] == 0 and rgba[0, 1, 3] == 0  # nothing, and a trace under the floor
    assert tuple(rgba[0, 3]) == HEAT_STOPS[-1][1]
    assert 0 < rgba[0, 2, 3] < rgba[0, 3, 3]


def test_rows_equally_spaced_in_latitude_move_to_their_mercator_rows() -> None:
    south, north, rows = 38.0, 43.0, 500
    values = np.zeros((rows, 3))
    hot_lat = 39.7  # about Suzhou district
    hot_row = round((north - hot_lat) / (north - south) * rows - 0.5)
    values[hot_row] = 1.0

    moved = mercator_rows(values, south, north)

    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    expected = (y(north) - y(hot_lat)) / (y(north) - y(south)) * rows - 0.5
    assert abs(int(np.argmax(moved[:, 0])) - expected) <= 1
    assert abs(expected - hot_row) > 3  # far enough to matter: rows are 1.1 km, so about 5 km here
    assert np.allclose(mercator_rows(np.full((rows, 2), 3.0), south, north), 3.0)


def test_a_heat_png_has_the_grids_size() -> None:
    values = np.random.default_rng(1).random((40, 60))

    assert decode_png(heat_png(values, 38.0, 43.0)).shape == (40, 60, 4)


def test_the_overlay_starts_as_a_transparent_pixel_fetched_from_nowhere() -> None:
    assert TRANSPARENT_DATA_URL.startswith("data:image/png;base64,")
