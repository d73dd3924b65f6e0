"""The record of a penalised run: one row per step, row 0 being the start.

The columns are those of `linreg.history.History` (params, grad, train_loss, test_loss,
steps), so the views and the timeline read both alike, plus the penalised objective and the
learning rate of the step that led to each row.
"""

from __future__ import annotations

import numpy as np


class RegHistory:
    """Growable columns, one row per step: params and grad (P each), and the numbers
    train_loss, test_loss, objective and learning_rate. Same names as `History` has."""

    WIDE, NUMBERS = ("params", "grad"), ("train_loss", "test_loss", "objective", "learning_rate")

    def __init__(self, n_params: int):
        self._n = 0
        self._cols = {c: np.empty((64, n_params)) for c in self.WIDE}
        self._cols.update({c: np.empty(64) for c in self.NUMBERS})

    def __len__(self) -> int:
        return self._n

    def __getattr__(self, name: str) -> np.ndarray:
        if name in RegHistory.WIDE + RegHistory.NUMBERS:
            return self._cols[name][: self._n]
        raise AttributeError(name)

    @property
    def steps(self) -> np.ndarray:
        return np.arange(self._n)

    def append(self, **rows) -> None:
        m, n = len(rows["params"]), self._n
        for name, col in self._cols.items():
            if n + m > len(col):
                col = np.concatenate(
                    [col[:n], np.empty((max(n + m, 2 * len(col)) - n, *col.shape[1:]))]
                )
                self._cols[name] = col
            col[n : n + m] = rows[name]
        self._n += m
