"""Contour lines of a grid by marching squares, as one polyline with gaps (for a scatter)."""

from __future__ import annotations

import numpy as np

# For each of the 16 corner patterns (bit 1: bottom-left, 2: bottom-right, 4: top-right,
# 8: top-left above the level), the cell edges a line joins: 0 bottom, 1 right, 2 top, 3 left.
SEGMENTS = {
    1: [(3, 0)],
    2: [(0, 1)],
    3: [(3, 1)],
    4: [(1, 2)],
    5: [(3, 2), (0, 1)],
    6: [(0, 2)],
    7: [(3, 2)],
    8: [(2, 3)],
    9: [(2, 0)],
    10: [(0, 3), (1, 2)],
    11: [(2, 1)],
    12: [(1, 3)],
    13: [(1, 0)],
    14: [(0, 3)],
}


def isolines(x: np.ndarray, y: np.ndarray, z: np.ndarray, levels) -> tuple[list, list]:
    """Segments where z crosses each level; z has shape (len(y), len(x)). Returns x and y
    lists with None between segments."""
    xs: list = []
    ys: list = []
    for level in levels:
        above = z > level
        code = above[:-1, :-1] * 1 + above[:-1, 1:] * 2 + above[1:, 1:] * 4 + above[1:, :-1] * 8
        for j, i in zip(*np.nonzero((code > 0) & (code < 15)), strict=True):
            for a, b in SEGMENTS[int(code[j, i])]:
                for edge in (a, b):
                    px, py = _crossing(x, y, z, i, j, edge, level)
                    xs.append(px)
                    ys.append(py)
                xs.append(None)
                ys.append(None)
    return xs, ys


def _crossing(x, y, z, i, j, edge, level):
    """Where `level` crosses one edge of cell (i, j), by linear interpolation."""
    (i0, j0), (i1, j1) = {
        0: ((i, j), (i + 1, j)),
        1: ((i + 1, j), (i + 1, j + 1)),
        2: ((i, j + 1), (i + 1, j + 1)),
        3: ((i, j), (i, j + 1)),
    }[edge]
    z0, z1 = z[j0, i0], z[j1, i1]
    f = 0.5 if z1 == z0 else (level - z0) / (z1 - z0)
    return float(x[i0] + f * (x[i1] - x[i0])), float(y[j0] + f * (y[j1] - y[j0]))
