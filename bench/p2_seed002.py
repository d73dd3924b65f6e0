"""P2: seed 002's one million steps of NumPy gradient descent, at once.

Baseline: the tutorial's generalised NumPy loop, as written (X = [[1,2],[3,4],[5,6]],
y_true = f(X, [[10],[20]]), w from [[0.1],[0.1]], lr 1e-4, 1e6 epochs, gradient
-2·Xᵀ(y_true - f(X, w))/len(X)). It takes seconds, so it runs once.

Ours: `linreg.params_at(linreg.seed002(), 1e-4, start=[0.1, 0.1], steps=[1_000_000],
bias=False)`: the same float64 steps by repeated squaring of the one-step matrix. Timed as
the median of 5 repeats of the mean of 100 calls, after a warm-up.

Goals: the same result to 1e-8 (max abs difference), and at least 1,000× faster.
"""

from __future__ import annotations

import time

import numpy as np
import torch
from _common import Row, finish, median_time  # puts the repo on sys.path

import linreg

torch.set_num_threads(1)

GOAL_RATIO = 1_000
GOAL_DIFF = 1e-8


def baseline() -> np.ndarray:
    """The tutorial's code; returns the final w."""
    w_true = np.array([[10], [20]])
    X = np.array([[1, 2], [3, 4], [5, 6]])

    def f(X, w):
        return np.sum(np.dot(X, w), 1)

    y_true = f(X, w_true)

    learning_rate = 0.0001
    nepochs = 1000000
    w = np.array([[0.1], [0.1]])
    for _ in range(nepochs):
        df = (-2 * np.dot(X.T, (y_true - f(X, w)))) / len(X)
        w -= learning_rate * df.reshape(w.shape)
    return w


def ours() -> np.ndarray:
    return linreg.params_at(linreg.seed002(), 1e-4, start=[0.1, 0.1], steps=[1_000_000], bias=False)


def main() -> list[Row]:
    print(__doc__.splitlines()[0])
    start = time.perf_counter()
    w_base = baseline().ravel()
    t_base = time.perf_counter() - start
    t_ours = median_time(ours, repeats=5, warmup=3, number=100)
    w_ours = ours().ravel()
    diff = np.abs(w_ours - w_base).max()
    print(f"  baseline w = {w_base}, ours = {w_ours}")
    print(
        f"  max |difference| = {diff:.1e} (goal ≤ {GOAL_DIFF:g}: "
        f"{'met' if diff <= GOAL_DIFF else 'NOT met'})"
    )
    met = t_base / t_ours >= GOAL_RATIO and diff <= GOAL_DIFF
    print(f"  goal ≥ {GOAL_RATIO:,}× and same to {GOAL_DIFF:g}: {'met' if met else 'NOT met'}")
    rows = [
        Row(
            "P2 seed002 1e6 steps",
            t_ours,
            t_base,
            f"≥ {GOAL_RATIO:,}×, |Δ| ≤ {GOAL_DIFF:g}",
            met,
            "1 run",
        )
    ]
    finish(rows)
    return rows


if __name__ == "__main__":
    main()
