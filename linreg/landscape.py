"""The loss as a function of the parameters: optimum, surface, gradient and curvature.

Everything here is float64 NumPy on the train set. Parameters are flat vectors
θ = [W.ravel(), b] (W of shape (k, d), row-major), as in the stepper's history. Target j
depends only on row j of W and on b[j], so each target is its own problem with the design
matrix A = [X, 1] and its own column Θ[:, j] = [W[j], b[j]].

MSE is quadratic: L(θ) = (θᵀAᵀAθ - 2θᵀAᵀy + yᵀy)/N, so its surface needs only the
sufficient statistics AᵀA, Aᵀy and yᵀy, whatever n is. Its Hessian is H = 2AᵀA/N, and plain
gradient descent converges only when the learning rate is below 2/λmax(H).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from linreg import losses
from linreg.data import Dataset
from linreg.losses import elementwise, np_psi


def design(x: np.ndarray, bias: bool = True) -> np.ndarray:
    """A = [X, 1] (or X alone without a bias)."""
    return np.hstack([x, np.ones((len(x), 1))]) if bias else x


def to_columns(theta: np.ndarray, d: int, k: int, bias: bool = True) -> np.ndarray:
    """Flat θ (..., P) -> Θ (..., d+1, k): one column of [W[j], b[j]] per target."""
    theta = np.asarray(theta, dtype=np.float64)
    w = theta[..., : k * d].reshape(*theta.shape[:-1], k, d)
    parts = [np.swapaxes(w, -1, -2)]
    if bias:
        parts.append(theta[..., None, k * d :])
    return np.concatenate(parts, axis=-2)


def to_flat(columns: np.ndarray, d: int, bias: bool = True) -> np.ndarray:
    """Θ (..., d+1, k) -> flat θ (..., P)."""
    w = np.swapaxes(columns[..., :d, :], -1, -2)
    parts = [w.reshape(*w.shape[:-2], -1)]
    if bias:
        parts.append(columns[..., d, :])
    return np.concatenate(parts, axis=-1)


def param_names(data: Dataset, bias: bool = True) -> list[str]:
    """Readable names for each entry of θ: 'weight' and 'bias' for a 1-D model."""
    d, k = data.n_features, data.n_targets
    if d == 1 and k == 1:
        return ["weight", "bias"][: 2 if bias else 1]
    names = [f"w[{t},{f}]" for t in data.target_names for f in data.feature_names]
    return names + ([f"b[{t}]" for t in data.target_names] if bias else [])


# ---- values and gradients at given points ---------------------------------------------
def residuals(data: Dataset, thetas: np.ndarray, bias: bool = True, which: str = "train"):
    """Residuals prediction - y for each θ row: shape (M, n, k)."""
    x = data.x_train if which == "train" else data.x_test
    y = data.y_train if which == "train" else data.y_test
    cols = to_columns(np.atleast_2d(thetas), data.n_features, data.n_targets, bias)
    return np.einsum("na,mak->mnk", design(x, bias), cols) - y


def loss_at(
    data: Dataset,
    thetas,
    loss: str,
    huber_delta: float = 1.0,
    bias: bool = True,
    which: str = "train",
) -> np.ndarray:
    """The loss at each θ row, shape (M,)."""
    r = residuals(data, thetas, bias, which)
    return elementwise(loss, r, huber_delta).mean(axis=(1, 2))


def gradient_at(
    data: Dataset, thetas, loss: str, huber_delta: float = 1.0, bias: bool = True
) -> np.ndarray:
    """The full-batch gradient of the train loss at each θ row, shape (M, P)."""
    r = residuals(data, thetas, bias)
    g = np_psi(loss, r, huber_delta) / r[0].size
    cols = np.einsum("na,mnk->mak", design(data.x_train, bias), g)
    return to_flat(cols, data.n_features, bias)


# ---- curvature ------------------------------------------------------------------------
def hessian(data: Dataset, bias: bool = True) -> np.ndarray:
    """MSE Hessian for one target's parameters: 2AᵀA/N (the same block for every target)."""
    a = design(data.x_train, bias)
    return 2 * a.T @ a / data.y_train.size


def hessian_eigenvalues(data: Dataset, bias: bool = True) -> np.ndarray:
    """Eigenvalues of the MSE Hessian, ascending."""
    return np.linalg.eigvalsh(hessian(data, bias))


def critical_learning_rate(data: Dataset, bias: bool = True) -> float:
    """2/λmax: plain full-batch gradient descent on MSE diverges above this learning rate."""
    return 2.0 / hessian_eigenvalues(data, bias)[-1]


def edge_factor(optimizer: str, momentum: float = 0.0) -> float | None:
    """Where full-batch descent on MSE starts to diverge, as a multiple of 2/λmax; None for
    the adaptive optimizers (Adam, RMSprop, Adagrad), whose step is not rate × gradient.

    Along an eigenvector of eigenvalue λ, with a = ηλ and torch's update rules, the error e
    follows e' = (1 - a)e for plain SGD, e' = (1 + μ - a)e - μe₋ for heavy-ball momentum and
    e' = (1 + μ)(1 - a)e - μ(1 - a)e₋ for Nesterov. A root of z² - c₁z + c₀ leaves the unit
    circle through -1 when 1 + c₁ + c₀ = 0, so they diverge above a = 2, a = 2(1 + μ) and
    a = 2(1 + μ)/(1 + 2μ): at μ = 0.9, 1.9 and 0.68 times SGD's 2/λmax.
    """
    if optimizer == "sgd":
        return 1.0
    if optimizer == "momentum":
        return 1.0 + momentum
    if optimizer == "nesterov":
        return (1.0 + momentum) / (1.0 + 2.0 * momentum)
    return None


# ---- optimum --------------------------------------------------------------------------
def optimum(
    data: Dataset, loss: str = "mse", huber_delta: float = 1.0, bias: bool = True
) -> np.ndarray:
    """The θ that minimises the train loss: least squares for MSE, iterated re-weighting for
    Huber, and the best data-interpolating vertex for MAE (its minimum is a vertex)."""
    a = design(data.x_train, bias)
    cols = [_optimum_1(a, y, loss, huber_delta) for y in data.y_train.T]
    return to_flat(np.stack(cols, axis=1), data.n_features, bias)


def _optimum_1(a: np.ndarray, y: np.ndarray, loss: str, delta: float) -> np.ndarray:
    theta = np.linalg.lstsq(a, y, rcond=None)[0]
    rule = losses.get(loss, delta)
    if rule.irls_weight is None:  # least squares is the minimum
        return theta
    if rule.name == "huber":
        return _irls(a, y, theta, rule.irls_weight)
    theta = _irls(a, y, theta, rule.irls_weight, iterations=300)
    return _l1_vertex(a, y, theta)  # the L1 minimum is a vertex


def _irls(a, y, theta, weights, iterations: int = 500) -> np.ndarray:
    """Iteratively re-weighted least squares until θ stops moving."""
    for _ in range(iterations):
        w = np.sqrt(weights(y - a @ theta))
        new = np.linalg.lstsq(a * w[:, None], y * w, rcond=None)[0]
        if np.max(np.abs(new - theta)) <= 1e-14 * (1 + np.max(np.abs(theta))):
            return new
        theta = new
    return theta


def _l1_vertex(a, y, theta) -> np.ndarray:
    """Polish an approximate L1 optimum: an L1 line fit passes through P data points, so
    try the P-subsets of the points nearest to it and keep the best exact fit."""
    n, p = a.shape
    best, best_loss = theta, np.abs(y - a @ theta).sum()
    if p > 6 or n < p:
        return best
    near = np.argsort(np.abs(y - a @ theta))[: min(n, p + 6)]
    for subset in combinations(near, p):
        idx = list(subset)
        if abs(np.linalg.det(a[idx])) < 1e-12:
            continue
        cand = np.linalg.solve(a[idx], y[idx])
        cand_loss = np.abs(y - a @ cand).sum()
        if cand_loss < best_loss - 1e-15 * (1 + best_loss):
            best, best_loss = cand, cand_loss
    return best
