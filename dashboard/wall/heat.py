"""The wall's heat map as a PNG for a Leaflet image overlay: a density grid coloured and encoded here,
with zlib and no imaging library.

Leaflet stretches an overlay linearly in Web Mercator, while the density comes on rows equally spaced in
latitude; over Jiuquan's 4.6 degrees of latitude that would put a town's hot spot up to about 4 km off,
so the rows are resampled to equal steps of Mercator y first.
"""

from __future__ import annotations

import base64
import math
import struct
import zlib
from typing import Final

import numpy as np
from numpy.typing import NDArray

#: Colour ramp from few to many incidents: transparent violet, orange, amber, pale yellow, as
#: (share of the peak, RGBA) pairs.
HEAT_STOPS: Final = (
    (0.0, (76, 29, 149, 0)),
    (0.12, (109, 40, 217, 120)),
    (0.35, (220, 38, 38, 190)),
    (0.65, (245, 158, 11, 225)),
    (1.0, (254, 249, 195, 245)),
)
#: Share of the peak below which a cell stays transparent: the empty desert shows the map beneath.
HEAT_FLOOR: Final = 0.03
#: The peak is this percentile of the cells with any density, so one very busy block does not leave
#: every other town pale.
PEAK_PERCENTILE: Final = 99.5


def _mercator_y(lat_deg: NDArray[np.float64] | float) -> NDArray[np.float64]:
    lat = np.radians(lat_deg)
    return np.asarray(np.log(np.tan(math.pi / 4 + lat / 2)), dtype=float)


def mercator_rows(values: NDArray[np.floating], south: float, north: float) -> NDArray[np.float64]:
    """`values` (row 0 north, rows equally spaced in latitude) resampled to rows equally spaced in
    Web Mercator y between the same edges, by linear interpolation between neighbouring rows."""
    rows = values.shape[0]
    y_north, y_south = _mercator_y(north), _mercator_y(south)
    y = y_north - (np.arange(rows) + 0.5) * (y_north - y_south) / rows
    lat = np.degrees(2 * np.arctan(np.exp(y)) - math.pi / 2)
    source = np.clip((north - lat) / (north - south) * rows - 0.5, 0, rows - 1)
    below = np.floor(source).astype(int)
    above = np.minimum(below + 1, rows - 1)
    weight = (source - below)[:, None]
    data = values.astype(float)
    return np.asarray(data[below] * (1 - weight) + data[above] * weight, dtype=float)


def heat_rgba(values: NDArray[np.floating]) -> NDArray[np.uint8]:
    """Colours for a density grid: square root of the share of the peak along `HEAT_STOPS`."""
    data = np.nan_to_num(values.astype(float), nan=0.0)
    positive = data[data > 0]
    peak = float(np.percentile(positive, PEAK_PERCENTILE)) if positive.size else 1.0
    share = np.sqrt(np.clip(data / (peak or 1.0), 0.0, 1.0))
    positions = [stop for stop, _ in HEAT_STOPS]
    rgba = np.empty((*data.shape, 4), dtype=np.uint8)
    for channel in range(4):
        ramp = [colour[channel] for _, colour in HEAT_STOPS]
        rgba[..., channel] = np.round(np.interp(share, positions, ramp)).astype(np.uint8)
    rgba[share < HEAT_FLOOR, 3] = 0
    return rgba


def png_bytes(rgba: NDArray[np.uint8]) -> bytes:
    """An RGBA image (rows, columns, 4) as PNG bytes."""
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError(
            f"expected an array of shape (rows, columns, 4) of uint8, got {rgba.shape} {rgba.dtype}"
        )
    height, width = rgba.shape[:2]
    # Each row starts with filter byte 0 (none); zlib does the compressing.
    raw = np.concatenate([np.zeros((height, 1), dtype=np.uint8), rgba.reshape(height, width * 4)], axis=1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6)) + chunk(b"IEND", b""))


def heat_png(values: NDArray[np.floating], south: float, north: float) -> bytes:
    """The density grid as the PNG the wall lays over the map between `south` and `north`."""
    return png_bytes(heat_rgba(mercator_rows(values, south, north)))


#: Served while there is no heat map yet, so the overlay never asks for a missing image.
TRANSPARENT_PNG: Final = png_bytes(np.zeros((1, 1, 4), dtype=np.uint8))
#: The same as a data URL: the overlay's picture before the first frame, fetched from nowhere.
TRANSPARENT_DATA_URL: Final = "data:image/png;base64," + base64.b64encode(TRANSPARENT_PNG).decode("ascii")
