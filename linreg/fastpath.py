"""Jump to step t of full-batch gradient descent on MSE without iterating.

The MSE gradient is affine, g(Θ) = HΘ - C with H = 2AᵀA/N and C = 2AᵀY/N. torch's SGD with
momentum μ (dampening 0) keeps a buffer B (zero before the first step):

    B' = μB + g(Θ)
    Θ' = Θ - lr·B'                      (heavy ball)
    Θ' = Θ - lr·(g(Θ) + μB')            (Nesterov)

So the state Z = [Θ; B; I_k] moves by one fixed matrix, Z_t = Mᵗ Z₀, and `matrix_power`
reaches any t by repeated squaring in O(p³ log t). This is float64 arithmetic: it follows
the float64 loop to rounding, not the float32 one (see `scratch` for that).
"""

from __future__ import annotations

import numpy as np

from linreg.data import Dataset
from linreg.landscape import design, to_columns, to_flat


def transition(
    data: Dataset,
    learning_rate: float,
    momentum: float = 0.0,
    nesterov: bool = False,
    bias: bool = True,
) -> np.ndarray:
    """The matrix M of one step, acting on Z = [Θ; B; I_k] of shape (2p + k, k)."""
    a = design(data.x_train, bias)
    n_total = data.y_train.size
    h = 2 * a.T @ a / n_total
    c = 2 * a.T @ data.y_train / n_total
    p, k = h.shape[0], c.shape[1]
    lr, mu = learning_rate, momentum
    gain, carry = (1 + mu, mu * mu) if nesterov else (1.0, mu)
    eye = np.eye(p)
    m = np.zeros((2 * p + k, 2 * p + k))
    m[:p, :p] = eye - lr * gain * h
    m[:p, p : 2 * p] = -lr * carry * eye
    m[:p, 2 * p :] = lr * gain * c
    m[p : 2 * p, :p] = h
    m[p : 2 * p, p : 2 * p] = mu * eye
    m[p : 2 * p, 2 * p :] = -c
    m[2 * p :, 2 * p :] = np.eye(k)
    return m


def params_at(
    data: Dataset,
    learning_rate: float,
    start: np.ndarray,
    steps,
    momentum: float = 0.0,
    nesterov: bool = False,
    bias: bool = True,
) -> np.ndarray:
    """Flat θ after each number of steps in `steps` (shape (len(steps), P))."""
    steps = np.atleast_1d(np.asarray(steps, dtype=np.int64))
    if np.any(steps < 0):
        raise ValueError("steps must be non-negative")
    d, k = data.n_features, data.n_targets
    theta0 = to_columns(np.asarray(start, dtype=np.float64), d, k, bias)
    p = theta0.shape[0]
    z0 = np.vstack([theta0, np.zeros((p, k)), np.eye(k)])
    m = transition(data, learning_rate, momentum, nesterov, bias)
    out = np.empty((len(steps), d * k + (k if bias else 0)))
    with np.errstate(over="ignore", invalid="ignore"):
        for row, t in enumerate(steps):
            out[row] = to_flat((np.linalg.matrix_power(m, int(t)) @ z0)[:p], d, bias)
    return out


def trajectory(
    data: Dataset, learning_rate: float, start: np.ndarray, steps: int, samples: int = 500, **kw
) -> tuple[np.ndarray, np.ndarray]:
    """θ at up to `samples` evenly spaced steps from 0 to `steps`, for drawing a long run."""
    at = np.unique(np.linspace(0, steps, min(samples, steps + 1)).round().astype(np.int64))
    return at, params_at(data, learning_rate, start, at, **kw)
