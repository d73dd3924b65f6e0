"""P4: a 100×100 (weight, bias) loss surface, exact, without visiting the grid cell by cell.

Data: `linreg.synthetic_line(0.8, 0.2, noise=0.3, n_points=n, outlier_fraction=0.05)`, all
of it for training (`linreg.split(x, y, 1.0)`). Grid: weights in [-1, 3], biases in [-2, 2].

Ours: `linreg.surface(data, weights, biases, loss)`.
Baseline: a Python loop over the cells, each computing the loss on all n points with NumPy.
For MSE at n = 100,000 it times the first 10 rows of the grid (1,000 cells) and multiplies
by 10: that baseline is extrapolated, and labelled so.

Goals: MSE at n = 100,000 in ≤ 20 ms; L1 at n = 10,000 in ≤ 0.5 s. Huber at n = 10,000 is
reported for information. Our times are medians of 5 after a warm-up; the baseline's of 3.
NumPy's own BLAS threads are not limited here (torch.set_num_threads does not reach them);
set OPENBLAS_NUM_THREADS=1 to see their effect.
"""

from __future__ import annotations

import os

import numpy as np
import torch
from _common import Row, finish, fmt_time, median_time  # puts the repo on sys.path

import linreg

torch.set_num_threads(1)

WEIGHTS = np.linspace(-1, 3, 100)
BIASES = np.linspace(-2, 2, 100)
CASES = [  # loss, n, rows of the grid the baseline times, goal in seconds (None: info)
    ("mse", 100_000, 10, 0.020),
    ("mae", 10_000, 100, 0.5),
    ("huber", 10_000, 100, None),
]


def dataset(n: int) -> linreg.Dataset:
    x, y = linreg.synthetic_line(0.8, 0.2, noise=0.3, n_points=n, outlier_fraction=0.05)
    return linreg.split(x, y, 1.0)


def naive(data: linreg.Dataset, loss: str, rows: int, delta: float = 1.0) -> np.ndarray:
    """The loss at each cell of the first `rows` rows of the grid, one cell at a time."""
    x, y = data.x_train[:, 0], data.y_train[:, 0]
    out = np.empty((rows, len(WEIGHTS)))
    for i, b in enumerate(BIASES[:rows]):
        for j, w in enumerate(WEIGHTS):
            r = w * x + b - y
            if loss == "mse":
                out[i, j] = np.mean(r**2)
            elif loss == "mae":
                out[i, j] = np.mean(np.abs(r))
            else:
                a = np.abs(r)
                out[i, j] = np.mean(np.where(a < delta, 0.5 * r**2, delta * (a - 0.5 * delta)))
    return out


def main() -> list[Row]:
    print(__doc__.splitlines()[0])
    print(f"  OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}")
    rows = []
    for loss, n, grid_rows, goal in CASES:
        data = dataset(n)
        t_ours = median_time(lambda d=data, lo=loss: linreg.surface(d, WEIGHTS, BIASES, lo))
        t_part = median_time(lambda d=data, lo=loss, r=grid_rows: naive(d, lo, r), repeats=3)
        t_base = t_part * len(BIASES) / grid_rows
        note = f"extrapolated from {grid_rows * len(WEIGHTS):,} cells" if grid_rows < 100 else ""
        ours = linreg.surface(data, WEIGHTS, BIASES, loss)[:grid_rows]
        diff = np.abs(ours - naive(data, loss, grid_rows)).max()
        print(
            f"  {loss} n={n:,}: ours {fmt_time(t_ours)}; max |Δ| vs the naive loop {diff:.1e}"
            + (
                ""
                if goal is None
                else f"; goal ≤ {fmt_time(goal)}: {'met' if t_ours <= goal else 'NOT met'}"
            )
        )
        rows.append(
            Row(
                f"P4 surface 100×100, {loss}, n={n:,}",
                t_ours,
                t_base,
                "(info)" if goal is None else f"≤ {fmt_time(goal)}",
                None if goal is None else t_ours <= goal,
                note,
            )
        )
    finish(rows)
    return rows


if __name__ == "__main__":
    main()
