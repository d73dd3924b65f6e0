"""Loss over a 2-D grid of two parameters, vectorised and exact.

The grid moves parameter i by s and parameter j by t from a base θ. The residual is then
r = r₀ + s·u + t·v, with u, v the design columns that i and j multiply.

* MSE is quadratic, so L(s, t) = L₀ + s gᵢ + t gⱼ + ½(s² Hᵢᵢ + 2st Hᵢⱼ + t² Hⱼⱼ): the cost
  does not grow with n.
* MAE and Huber along t are sums of a convex kink function of (r₀ + s u) + t v. When v is
  constant (t moves a bias) the kinks sit at sorted points, and prefix sums of r and r²
  give every t at once in O((n + G) log n). MAE with any v is a weighted version of the
  same. Anything else falls back to chunked direct evaluation.
"""

from __future__ import annotations

import numpy as np

from linreg.data import Dataset
from linreg.landscape import design, elementwise, residuals


def _target_and_column(index: int, d: int, k: int, bias: bool) -> tuple[int, int]:
    """Which target parameter `index` belongs to, and which design column it multiplies."""
    if index < k * d:
        return index // d, index % d
    if not bias or index >= k * d + k:
        raise IndexError(f"parameter index {index} out of range")
    return index - k * d, d


def loss_grid(
    data: Dataset,
    base: np.ndarray,
    i: int,
    j: int,
    s_values,
    t_values,
    loss: str,
    huber_delta: float = 1.0,
    bias: bool = True,
) -> np.ndarray:
    """Train loss at base + s·e_i + t·e_j for every (t, s): shape (len(t), len(s))."""
    s_values = np.asarray(s_values, dtype=np.float64) - base[i]
    t_values = np.asarray(t_values, dtype=np.float64) - base[j]
    d, k = data.n_features, data.n_targets
    a = design(data.x_train, bias)
    r0 = residuals(data, base, bias)[0]  # (n, k)
    ti, ci = _target_and_column(i, d, k, bias)
    tj, cj = _target_and_column(j, d, k, bias)
    size = r0.size
    if loss == "mse":
        # The sufficient statistics, as plain sums: einsum keeps these dot products off the
        # BLAS thread pool, which on a busy 2-core machine costs more than the arithmetic.
        u, v = a[:, ci], a[:, cj]
        dot = lambda p, q: float(np.einsum("i,i->", p, q))  # noqa: E731
        gi = 2 * dot(u, r0[:, ti]) / size
        gj = 2 * dot(v, r0[:, tj]) / size
        hij = 2 * dot(u, v) / size if ti == tj else 0.0
        s, t = s_values[None, :], t_values[:, None]
        return (
            float(np.einsum("ij,ij->", r0, r0)) / size
            + s * gi
            + t * gj
            + (s * s * dot(u, u) + t * t * dot(v, v)) / size
            + s * t * hij
        )
    per = elementwise(loss, r0, huber_delta).sum(axis=0)  # loss sum of each target
    if ti != tj:  # two separate targets: the loss splits into f(s) + g(t)
        fi = _line(r0[:, ti], a[:, ci], s_values, loss, huber_delta) - per[ti]
        fj = _line(r0[:, tj], a[:, cj], t_values, loss, huber_delta) - per[tj]
        return (per.sum() + fi[None, :] + fj[:, None]) / size
    rest = per.sum() - per[ti]
    out = np.empty((len(t_values), len(s_values)))
    for col, s in enumerate(s_values):
        out[:, col] = _line(r0[:, ti] + s * a[:, ci], a[:, cj], t_values, loss, huber_delta)
    return (out + rest) / size


def surface(data: Dataset, weights, biases, loss: str, huber_delta: float = 1.0) -> np.ndarray:
    """The (weight, bias) loss surface of a 1-D model: shape (len(biases), len(weights))."""
    return loss_grid(data, np.zeros(2), 0, 1, weights, biases, loss, huber_delta)


def _line(z: np.ndarray, v: np.ndarray, t: np.ndarray, loss: str, delta: float) -> np.ndarray:
    """Σᵢ ℓ(zᵢ + t·vᵢ) for every t."""
    if np.all(v == v[0]) and v[0] != 0:
        return _sorted_sums(-z / v[0], np.full(1, abs(v[0])), t, loss, delta)
    if loss == "mae":
        keep = v != 0
        const = np.abs(z[~keep]).sum()
        order = np.argsort(-z[keep] / v[keep])
        points, weights = (-z[keep] / v[keep])[order], np.abs(v[keep])[order]
        return const + _weighted_abs(points, weights, t)
    out = np.empty(len(t))
    step = max(1, 2_000_000 // max(len(z), 1))
    for s in range(0, len(t), step):
        out[s : s + step] = elementwise(loss, z[None, :] + t[s : s + step, None] * v, delta).sum(1)
    return out


def _weighted_abs(points: np.ndarray, weights: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Σ wᵢ |t - pᵢ| for sorted points, every t at once."""
    cw = np.concatenate([[0.0], np.cumsum(weights)])
    cwp = np.concatenate([[0.0], np.cumsum(weights * points)])
    m = np.searchsorted(points, t)
    below = t * cw[m] - cwp[m]
    above = (cwp[-1] - cwp[m]) - t * (cw[-1] - cw[m])
    return below + above


def _sorted_sums(
    points: np.ndarray, scale: np.ndarray, t: np.ndarray, loss: str, delta: float
) -> np.ndarray:
    """Σ ℓ(c·(t - pᵢ)) with one scale c, for every t, from prefix sums over sorted points."""
    c = float(scale[0])
    p = np.sort(points)
    s0 = np.arange(len(p) + 1, dtype=np.float64)
    s1 = np.concatenate([[0.0], np.cumsum(p)])
    if loss == "mae":
        return c * _weighted_abs(p, np.ones_like(p), t)
    # Huber with residual c(t - p): quadratic where |t - p| < δ/c, linear outside.
    h = delta / c
    lo = np.searchsorted(p, t - h, side="right")  # p <= t - h: residual >= δ
    hi = np.searchsorted(p, t + h, side="left")  # p >= t + h: residual <= -δ
    s2 = np.concatenate([[0.0], np.cumsum(p * p)])
    n_lo, sum_lo = s0[lo], s1[lo]
    n_hi, sum_hi = s0[-1] - s0[hi], s1[-1] - s1[hi]
    n_mid, sum_mid, sq_mid = s0[hi] - s0[lo], s1[hi] - s1[lo], s2[hi] - s2[lo]
    linear = delta * c * ((t * n_lo - sum_lo) + (sum_hi - t * n_hi))
    linear -= 0.5 * delta**2 * (n_lo + n_hi)
    quad = 0.5 * c * c * (t * t * n_mid - 2 * t * sum_mid + sq_mid)
    return linear + quad
