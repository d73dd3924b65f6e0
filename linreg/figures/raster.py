"""A loss grid as a picture: colours from a Plotly colour scale, encoded as a PNG data URI.

The contour view puts this picture under its axes instead of a contour trace: a picture in
the layout stays put while the browser moves the path over it, whereas a contour trace is
repainted on every update (and dropped by Plotly's redraw-free animation).
"""

from __future__ import annotations

import base64
import struct
import zlib
from functools import cache

import numpy as np
from plotly.colors import get_colorscale, unlabel_rgb


@cache
def palette(name: str, size: int = 256) -> np.ndarray:
    """A (size, 3) uint8 lookup table interpolated from a Plotly colour scale."""
    scale = get_colorscale(name)
    stops = np.array([float(p) for p, _ in scale])
    colours = np.array(
        [unlabel_rgb(c) if c.startswith("rgb") else _hex(c) for _, c in scale], dtype=np.float64
    )
    at = np.linspace(0, 1, size)
    return (
        np.stack([np.interp(at, stops, colours[:, i]) for i in range(3)], 1)
        .round()
        .astype(np.uint8)
    )


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def colourise(z: np.ndarray, name: str, low: float, high: float) -> np.ndarray:
    """Map values to RGB through the colour scale, low..high onto its ends."""
    lut = palette(name)
    span = high - low or 1.0
    index = np.clip((np.nan_to_num(z, nan=low) - low) / span, 0, 1) * (len(lut) - 1)
    return lut[index.round().astype(int)]


def png_data_uri(rgb: np.ndarray) -> str:
    """Encode an (h, w, 3) uint8 image, top row first, as a PNG data URI (zlib only)."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[row].tobytes() for row in range(h))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
