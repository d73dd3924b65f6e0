"""What the 1-D views show at one step: plain arrays computed from a run, no plotting.

The (weight, bias) box is fixed by the data and the loss, not by the path: it frames the
start, the truth and the minimum, so that a diverging run leaves the box instead of
stretching the axes to 1e30.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linreg.data import Dataset
from linreg.history import History
from linreg.landscape import gradient_at, optimum
from linreg.surfaces import surface

GRID = 61  # surface resolution per axis
FIELD = 13  # gradient-field arrows per axis
MAX_PATH = 1500  # path points drawn (older points are thinned)


@dataclass(frozen=True)
class Landscape:
    """The loss over the (weight, bias) box, and its landmarks."""

    weights: np.ndarray  # (GRID,)
    biases: np.ndarray  # (GRID,)
    loss: np.ndarray  # (GRID, GRID), rows = biases
    minimum: np.ndarray  # (2,) argmin of the chosen loss
    minimum_loss: float
    truth: np.ndarray | None  # (2,) the generating weight and bias, if known
    start: np.ndarray  # (2,)
    minima: dict  # loss name -> (2,) minimum of each loss, to compare them


def box(points: list[np.ndarray], pad: float = 0.35, least: float = 0.5) -> tuple:
    """A (w_lo, w_hi, b_lo, b_hi) box around the points, padded, at least `least` wide."""
    pts = np.array([p for p in points if p is not None and np.all(np.isfinite(p))])
    lo, hi = pts.min(0), pts.max(0)
    centre, half = (lo + hi) / 2, np.maximum((hi - lo) / 2 * (1 + pad), least / 2)
    half = half + 0.15 * half.max()  # keep both axes in proportion
    return centre[0] - half[0], centre[0] + half[0], centre[1] - half[1], centre[1] + half[1]


def landscape(
    data: Dataset, loss: str, huber_delta: float, start, truth=None, preview=None
) -> Landscape:
    """Surface and landmarks for the chosen loss over a box framing start, truth and minimum,
    and the points of a `preview` path that stay within three times that box."""
    start = np.asarray(start, dtype=np.float64)
    minimum = optimum(data, loss, huber_delta)
    minima = {name: optimum(data, name, huber_delta) for name in ("mse", "mae", "huber")}
    points = [start, *minima.values(), None if truth is None else np.asarray(truth)]
    w0, w1, b0, b1 = box(points)
    if preview is not None and len(preview):
        centre = np.array([(w0 + w1) / 2, (b0 + b1) / 2])
        half = np.array([(w1 - w0), (b1 - b0)]) * 1.5
        near = np.all(np.abs(np.asarray(preview) - centre) <= half, axis=1)
        w0, w1, b0, b1 = box(points + list(np.asarray(preview)[near]), pad=0.15)
    weights, biases = np.linspace(w0, w1, GRID), np.linspace(b0, b1, GRID)
    z = surface(data, weights, biases, loss, huber_delta)
    min_loss = float(surface(data, minimum[:1], minimum[1:], loss, huber_delta)[0, 0])
    return Landscape(
        weights,
        biases,
        z,
        minimum,
        min_loss,
        None if truth is None else np.asarray(truth, dtype=np.float64),
        start,
        minima,
    )


def gradient_field(data: Dataset, land: Landscape, loss: str, huber_delta: float):
    """Unit arrows of -∇L on a coarse grid: (w, b, dw, db) arrays, lengths in box units."""
    w = np.linspace(land.weights[0], land.weights[-1], FIELD + 2)[1:-1]
    b = np.linspace(land.biases[0], land.biases[-1], FIELD + 2)[1:-1]
    ww, bb = np.meshgrid(w, b)
    grad = gradient_at(data, np.stack([ww.ravel(), bb.ravel()], 1), loss, huber_delta)
    span = np.array([np.ptp(land.weights), np.ptp(land.biases)])
    d = -grad / span  # in box fractions, so arrows look right on screen
    norm = np.linalg.norm(d, axis=1, keepdims=True)
    d = np.where(norm > 0, d / np.where(norm > 0, norm, 1), 0) * 0.45 / (FIELD + 1) * span
    return ww.ravel(), bb.ravel(), d[:, 0], d[:, 1]


def thin(n: int, keep: int = MAX_PATH) -> np.ndarray:
    """Indices 0..n-1 thinned to about `keep`, always keeping the last ones exactly."""
    if n <= keep:
        return np.arange(n)
    head = np.linspace(0, n - keep // 2, keep // 2, endpoint=False).astype(int)
    return np.unique(np.concatenate([head, np.arange(n - keep // 2, n)]))


@dataclass(frozen=True)
class Frame:
    """The state at step t of a run."""

    step: int
    params: np.ndarray  # (2,)
    grad: np.ndarray  # (2,) full-batch gradient at params
    taken: np.ndarray | None  # (2,) a step actually taken: the next one, else the last one
    taken_from: int  # the step that one started from (t, or t - 1)
    train_loss: float
    test_loss: float
    path: np.ndarray  # (m, 2) params up to t, thinned
    path_loss: np.ndarray  # (m,)


def frame(history: History, step: int) -> Frame:
    """The state after `step` steps (clipped to the history)."""
    step = int(np.clip(step, 0, len(history) - 1))
    idx = thin(step + 1)
    params = history.params
    taken_from = step if step + 1 < len(history) else step - 1
    taken = params[taken_from + 1] - params[taken_from] if taken_from >= 0 else None
    return Frame(
        step,
        params[step],
        history.grad[step],
        taken,
        max(taken_from, 0),
        float(history.train_loss[step]),
        float(history.test_loss[step]),
        params[idx],
        history.train_loss[idx],
    )
