"""A @ B as three small tables: row i of A and column j of B highlighted, and the cell
C[i, j] they make. Plain HTML (inline styles), so it reads on a projector and needs no JS."""

from __future__ import annotations

from html import escape

import numpy as np

ROW = "#ffe08a"  # the row of A and the column of B in use
CELL = "#ff8c00"
DONE = "#eef3ff"  # output cells already computed


def _table(matrix: np.ndarray, name: str, mark) -> str:
    rows = []
    for i, row in enumerate(np.asarray(matrix)):
        cells = []
        for j, v in enumerate(row):
            colour = mark(i, j)
            bg = f"background:{colour};" if colour else ""
            weight = "font-weight:700;" if colour in (ROW, CELL) else ""
            cells.append(
                f'<td style="{bg}{weight}padding:4px 10px;border:1px solid #bbb;'
                f'text-align:right;font-family:monospace;font-size:1.1em">{escape(f"{v:g}")}</td>'
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    shape = f"{matrix.shape[0]}×{matrix.shape[1]}"
    return (
        f'<div style="display:inline-block;vertical-align:middle;margin:0 8px">'
        f'<div style="text-align:center;font-weight:600">{escape(name)} '
        f'<span style="color:#666;font-weight:400">({shape})</span></div>'
        f'<table style="border-collapse:collapse">{"".join(rows)}</table></div>'
    )


def matmul_html(a: np.ndarray, b: np.ndarray, c: np.ndarray, i: int, j: int) -> str:
    """A, B and C = A @ B side by side; row i of A, column j of B and C[i, j] marked, and
    the cells of C before (i, j) (row by row) shaded as already done."""
    p = c.shape[1]
    left = _table(a, "A", lambda r, s: ROW if r == i else "")
    right = _table(b, "B", lambda r, s: ROW if s == j else "")
    out = _table(
        c,
        "C = A @ B",
        lambda r, s: CELL if (r, s) == (i, j) else (DONE if r * p + s < i * p + j else ""),
    )
    sign = '<span style="font-size:1.6em;vertical-align:middle">{}</span>'
    return (
        '<div style="overflow-x:auto;padding:4px 0">'
        + left
        + sign.format("@")
        + right
        + sign.format("=")
        + out
        + "</div>"
    )
