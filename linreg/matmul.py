"""Matrix multiplication, one output cell at a time (seed 000's A @ B).

For A of shape (m, k) and B of shape (k, p), C = A @ B has shape (m, p) and

    C[i, j] = Σ_s A[i, s] · B[s, j]      (row i of A times column j of B)

torch computes it three ways that agree: the `@` operator, `torch.matmul` (the same, with
broadcasting for more dimensions) and `torch.mm` (2-D only). A linear layer is one of these:
nn.Linear computes y = x · Wᵀ + b.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

MAX_SIZE = 6  # rows and columns of a matrix the page accepts
SEED_A = "1 2 1; 0 1 0; 2 3 4"  # seed 000's example
SEED_B = "2 5; 6 7; 1 8"


class MatrixError(ValueError):
    """A matrix the page cannot use, with a message for the user."""


def parse(text: str, name: str) -> np.ndarray:
    """A matrix from text: rows split by ';' or new lines, numbers by spaces or commas."""
    text = (text or "").strip()
    if not text:
        raise MatrixError(f"{name} is empty: type rows like `1 2; 3 4`.")
    rows = [r for r in text.replace("\n", ";").split(";") if r.strip()]
    if not rows:
        raise MatrixError(f"{name} has no rows: type rows like `1 2; 3 4`.")
    table = []
    for i, row in enumerate(rows, 1):
        cells = row.replace(",", " ").split()
        try:
            values = [float(c) for c in cells]
        except ValueError:
            bad = next(c for c in cells if not _is_number(c))
            raise MatrixError(f"{name}, row {i}: {bad[:20]!r} is not a number.") from None
        if not all(math.isfinite(v) for v in values):
            raise MatrixError(f"{name}, row {i}: numbers must be finite.")
        if any(abs(v) > 1e6 for v in values):
            raise MatrixError(f"{name}, row {i}: keep numbers within ±1,000,000.")
        table.append(values)
    widths = {len(r) for r in table}
    if len(widths) > 1:
        raise MatrixError(
            f"{name}: every row needs the same number of entries "
            f"(rows have {', '.join(str(len(r)) for r in table)})."
        )
    if len(table) > MAX_SIZE or widths.pop() > MAX_SIZE:
        raise MatrixError(f"{name}: at most {MAX_SIZE} rows and {MAX_SIZE} columns here.")
    return np.array(table)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def text(matrix: np.ndarray) -> str:
    """The text form `parse` reads back (integers without a decimal point)."""
    return "; ".join(" ".join(f"{v:g}" for v in row) for row in np.asarray(matrix))


def check_shapes(a: np.ndarray, b: np.ndarray) -> None:
    if a.shape[1] != b.shape[0]:
        raise MatrixError(
            f"A is {a.shape[0]}×{a.shape[1]} and B is {b.shape[0]}×{b.shape[1]}: A @ B needs "
            f"as many columns in A ({a.shape[1]}) as rows in B ({b.shape[0]})."
        )


def parse_both(text_a: str, text_b: str) -> tuple[np.ndarray | None, np.ndarray | None, list[str]]:
    """A and B from their texts, and every problem with them at once (none: A @ B works)."""
    found, errors = [], []
    for text, name in ((text_a, "A"), (text_b, "B")):
        try:
            found.append(parse(text, name))
        except MatrixError as err:
            errors.append(str(err))
    if errors:
        return None, None, errors
    a, b = found
    try:
        check_shapes(a, b)
    except MatrixError as err:
        return None, None, [str(err)]
    return a, b, []


@dataclass(frozen=True)
class Product:
    a: np.ndarray
    b: np.ndarray
    results: dict[str, np.ndarray]  # expression -> C, as torch computed it

    @property
    def c(self) -> np.ndarray:
        return self.results["A @ B"]

    @property
    def agree(self) -> bool:
        first = self.c
        return all(np.array_equal(first, r) for r in self.results.values())

    @property
    def cells(self) -> int:
        return self.c.size

    def cell(self, index: int) -> tuple[int, int]:
        """Row and column of the index-th output cell, row by row."""
        return divmod(int(index) % self.cells, self.c.shape[1])

    def terms(self, index: int) -> list[tuple[float, float]]:
        """The (A[i, s], B[s, j]) pairs whose products add up to C[i, j]."""
        i, j = self.cell(index)
        return list(zip(self.a[i].tolist(), self.b[:, j].tolist(), strict=True))


def product(a: np.ndarray, b: np.ndarray) -> Product:
    """C = A @ B three ways in torch (float64, so integers stay exact)."""
    check_shapes(a, b)
    ta, tb = torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64)
    results = {
        "A @ B": (ta @ tb).numpy(),
        "torch.matmul(A, B)": torch.matmul(ta, tb).numpy(),
        "torch.mm(A, B)": torch.mm(ta, tb).numpy(),
    }
    return Product(a, b, results)


def sum_of_products(terms: list[tuple[float, float]]) -> str:
    """'1·2 + 2·6 + 1·1 = 15' for the page."""
    parts = " + ".join(f"{_num(x)}·{_num(y)}" for x, y in terms)
    total = sum(x * y for x, y in terms)
    return f"{parts} = {total:g}"


def _num(v: float) -> str:
    text = f"{v:g}"
    return f"({text})" if v < 0 else text
