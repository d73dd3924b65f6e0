"""Exact minima of the penalised objective, and its 2-D slices, in float64 NumPy.

On standardised features Z (n rows) with A = [Z, 1], G = 2AᵀA/n and c = 2Aᵀy/n, the
objective J(θ) = MSE(θ) + P(w) has the gradient Gθ - c + ∇P. I′ is the identity on the
weights with a 0 for the bias (a 1 there too if the bias is penalised).

* No penalty: least squares (the minimum-norm one when A has fewer rows than columns).
* Ridge, P = λ/2‖w‖²: Gθ - c + λI′θ = 0, so θ = (AᵀA + (nλ/2) I′)⁻¹ Aᵀy, the textbook
  (XᵀX + λ′I′)⁻¹Xᵀy with λ′ = nλ/2 (our MSE divides by n and our penalty has the ½).
* Lasso and elastic net, P = λ(α‖w‖₁ + (1-α)/2‖w‖²): no closed form. Accelerated proximal
  gradient (FISTA) finds the signs; then, with the zero weights fixed at 0 and the others'
  signs s known, the optimality conditions are linear,
      (G + λ(1-α)I′)_AA θ_A = c_A - λα s_A       (A: the nonzero weights and the bias),
  and a solve gives the minimum to rounding. It is kept only if it passes the conditions
  (signs as assumed; |(Gθ - c)_j| ≤ λα for every zero weight); else FISTA goes on.

A slice through θ₀ along entries i and j holds every other entry at θ₀. Its MSE is a
quadratic in (θ_i, θ_j); its unpenalised minimum solves a 2 × 2 system.
"""

from __future__ import annotations

import numpy as np

from linreg.data import Dataset
from linreg.penalties import Penalty

ITERATIONS = 50_000  # FISTA's budget
POLISH_EVERY = 50


def statistics(data: Dataset) -> tuple[np.ndarray, np.ndarray, float]:
    """G = 2AᵀA/n, c = 2Aᵀy/n and mean(y²): all the MSE needs (MSE = θᵀGθ/2 - cᵀθ + ȳ²)."""
    a = np.hstack([data.x_train, np.ones((len(data.x_train), 1))])
    y, n = data.y_train[:, 0], len(data.y_train)
    return 2 * a.T @ a / n, 2 * a.T @ y / n, float(np.mean(y * y))


def penalised(n_params: int, penalise_bias: bool = False) -> np.ndarray:
    """The diagonal of I′: 1 for each weight, and for the bias only if penalised."""
    mask = np.ones(n_params)
    mask[-1] = 1.0 if penalise_bias else 0.0
    return mask


def ridge_solution(data: Dataset, strength: float, penalise_bias: bool = False) -> np.ndarray:
    """θ minimising MSE + λ/2‖w‖² exactly (the bias free unless penalise_bias)."""
    g, c, _ = statistics(data)
    h = g + strength * np.diag(penalised(len(c), penalise_bias))
    return np.linalg.lstsq(h, c, rcond=None)[0]


def mse(data: Dataset, thetas, which: str = "train") -> np.ndarray:
    """The MSE at each θ row, shape (M,)."""
    x, y = (data.x_train, data.y_train) if which == "train" else (data.x_test, data.y_test)
    thetas = np.atleast_2d(thetas)
    d = x.shape[1]
    if len(y) == 0:
        return np.full(len(thetas), np.nan)
    return ((thetas[:, :d] @ x.T + thetas[:, d:] - y[:, 0]) ** 2).mean(1)


def objective(data: Dataset, thetas, rule: Penalty, penalise_bias: bool = False) -> np.ndarray:
    """J = MSE + P on the train rows at each θ row."""
    thetas = np.atleast_2d(thetas)
    under = thetas if penalise_bias else thetas[:, :-1]
    return mse(data, thetas) + rule.value(under)


def penalised_optimum(
    data: Dataset, rule: Penalty, penalise_bias: bool = False, start=None
) -> np.ndarray:
    """The θ that minimises J (see the module docstring for how); FISTA starts from `start`
    (a nearby minimum, say) or else from the ridge solution."""
    if rule.threshold == 0:
        return ridge_solution(data, rule.decay, penalise_bias)
    g, c, _ = statistics(data)
    mask = penalised(len(c), penalise_bias)
    h = g + rule.decay * np.diag(mask)
    step = 1.0 / np.linalg.eigvalsh(h)[-1]
    cut = step * rule.threshold * mask
    if start is None:
        start = ridge_solution(data, rule.decay, penalise_bias)
    theta = previous = np.asarray(start, dtype=np.float64)
    momentum = 1.0
    for k in range(ITERATIONS):
        # FISTA: a proximal step from a point extrapolated along the last move; the
        # extrapolation restarts when the step turns back against it (O'Donoghue & Candès)
        new_momentum = (1 + np.sqrt(1 + 4 * momentum * momentum)) / 2
        look = theta + (momentum - 1) / new_momentum * (theta - previous)
        moved = look - step * (h @ look - c)
        new = np.sign(moved) * np.maximum(np.abs(moved) - cut, 0.0)
        if (look - new) @ (new - theta) > 0:
            new_momentum = 1.0
        previous, theta, momentum = theta, new, new_momentum
        if k % POLISH_EVERY == POLISH_EVERY - 1:
            exact = _polish(h, c, theta, rule.threshold, mask)
            if exact is not None:
                return exact
    return theta


def _polish(h, c, theta, l1: float, mask) -> np.ndarray | None:
    """The exact minimum for the support and signs of θ, if they are the right ones."""
    active = (theta != 0) | (mask == 0)
    signs = np.sign(theta) * mask
    exact = np.zeros_like(theta)
    sub = np.ix_(active, active)
    try:
        exact[active] = np.linalg.solve(h[sub], c[active] - l1 * signs[active])
    except np.linalg.LinAlgError:
        return None
    grad = h @ exact - c  # the smooth part's gradient
    signs_hold = np.all(np.sign(exact[active]) * signs[active] >= 0)
    zeros_hold = np.all(np.abs(grad[~active]) <= l1 * (1 + 1e-9))
    return exact if signs_hold and zeros_hold else None


# ---- slices ----------------------------------------------------------------------------
def slice_grid(
    data: Dataset,
    rule: Penalty,
    centre,
    i: int,
    j: int,
    s_values,
    t_values,
    penalise_bias: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """(J, MSE) on the plane through `centre` along entries i (s, columns) and j (t, rows):
    each of shape (len(t_values), len(s_values))."""
    centre = np.asarray(centre, dtype=np.float64)
    s, t = np.meshgrid(np.asarray(s_values, float), np.asarray(t_values, float))
    thetas = np.repeat(centre[None], s.size, axis=0)
    thetas[:, i], thetas[:, j] = s.ravel(), t.ravel()
    g, c, yy = statistics(data)
    loss = 0.5 * np.einsum("mp,pq,mq->m", thetas, g, thetas) - thetas @ c + yy
    total = loss + rule.value(thetas if penalise_bias else thetas[:, :-1])
    return total.reshape(s.shape), loss.reshape(s.shape)


def slice_minimum(data: Dataset, centre, i: int, j: int) -> np.ndarray:
    """(θ_i, θ_j) minimising the MSE with every other entry held at `centre`."""
    centre = np.asarray(centre, dtype=np.float64)
    g, c, _ = statistics(data)
    pair = [i, j]
    rest = np.setdiff1d(np.arange(len(c)), pair)
    rhs = c[pair] - g[np.ix_(pair, rest)] @ centre[rest]
    return np.linalg.lstsq(g[np.ix_(pair, pair)], rhs, rcond=None)[0]


def outline_level(rule: Penalty, point, i: int, j: int, n_weights: int) -> float:
    """The penalty's level through `point` = (θ_i, θ_j) when both entries are weights (the
    outline drawn in the slice); 0 if either is the bias."""
    if i >= n_weights or j >= n_weights:
        return 0.0
    return float(rule.value(np.asarray(point, dtype=np.float64)))
