"""The record of a run: one row per step, row 0 being the start.

Row t holds θ_t, the full-batch gradient and the train and test losses at θ_t, and the
learning rate η_t of the step *from* row t to row t + 1 (so θ_{t+1} = θ_t - η_t · g_t for
plain SGD). The newest row's rate is the one the next step will use.
"""

from __future__ import annotations

import numpy as np


def settled(loss: np.ndarray, window: int, tolerance: float) -> int | None:
    """First index t ≥ 2·window - 1 at which the loss has settled: the best loss of the last
    `window` steps is no better, by more than `tolerance` (relative), than the best before
    them, and the loss is not growing either (the highest loss of the last window is no
    higher than that of the window before), so a slow divergence or a widening oscillation
    never counts as converged. None if there is no such step."""
    loss = np.asarray(loss, dtype=np.float64)
    if len(loss) < 2 * window:
        return None
    best = np.minimum.accumulate(loss)
    stalled = best[window:] - best[:-window] >= -tolerance * np.abs(best[:-window])
    top = np.lib.stride_tricks.sliding_window_view(loss, window).max(axis=1)
    scale = tolerance * np.abs(best[2 * window - 1 :])
    steady = top[window:] <= top[:-window] * (1 + tolerance) + scale
    done = stalled[window - 1 :] & steady
    return int(np.argmax(done)) + 2 * window - 1 if done.any() else None


class History:
    """Growable arrays of θ, full-batch gradient, train loss, test loss and learning rate
    per step."""

    def __init__(self, n_params: int):
        self._n = 0
        self._params = np.empty((64, n_params))
        self._grad = np.empty((64, n_params))
        self._train = np.empty(64)
        self._test = np.empty(64)
        self._rate = np.full(64, np.nan)

    def __len__(self) -> int:
        return self._n

    def append(self, params, grad, train_loss, test_loss, learning_rate=np.nan) -> None:
        """Add rows (arrays with one row per step; `learning_rate`: each row's rate, that
        of the step taken from it, or one number for all)."""
        m = len(params)
        if self._n + m > len(self._train):
            size = max(2 * len(self._train), self._n + m)
            for name in ("_params", "_grad", "_train", "_test", "_rate"):
                old = getattr(self, name)
                new = np.full((size, *old.shape[1:]), np.nan)
                new[: self._n] = old[: self._n]
                setattr(self, name, new)
        s = slice(self._n, self._n + m)
        self._params[s], self._grad[s] = params, grad
        self._train[s], self._test[s] = train_loss, test_loss
        self._rate[s] = learning_rate
        self._n += m

    def rescore_last(self, grad, train_loss, test_loss, learning_rate=None) -> None:
        """New gradient and losses (and rate) for the newest row (its settings changed)."""
        i = self._n - 1
        self._grad[i], self._train[i], self._test[i] = grad, train_loss, test_loss
        if learning_rate is not None:
            self._rate[i] = learning_rate

    def set_last_rate(self, learning_rate: float) -> None:
        """The rate the next step from the newest row will use."""
        self._rate[self._n - 1] = learning_rate

    @property
    def params(self) -> np.ndarray:
        return self._params[: self._n]

    @property
    def grad(self) -> np.ndarray:
        return self._grad[: self._n]

    @property
    def train_loss(self) -> np.ndarray:
        return self._train[: self._n]

    @property
    def test_loss(self) -> np.ndarray:
        return self._test[: self._n]

    @property
    def learning_rate(self) -> np.ndarray:
        """Row t: the rate of the step from θ_t (NaN where none was recorded)."""
        return self._rate[: self._n]

    @property
    def steps(self) -> np.ndarray:
        return np.arange(self._n)

    def plateau(self, window: int, tolerance: float, since: int = 0) -> int | None:
        """The first step at which the train loss has settled, counting from step `since`
        (see `settled`); None if it has not yet."""
        t = settled(self.train_loss[since:], window, tolerance)
        return None if t is None else since + t

    def as_columns(self, names: list[str]) -> dict[str, np.ndarray]:
        """Columns for a table or CSV export: step, each θ, each gradient, both losses."""
        cols = {"step": self.steps}
        for i, name in enumerate(names):
            cols[name] = self.params[:, i]
        for i, name in enumerate(names):
            cols[f"grad_{name}"] = self.grad[:, i]
        cols["train_loss"] = self.train_loss
        cols["test_loss"] = self.test_loss
        return cols
