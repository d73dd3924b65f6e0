"""Gradient descent on MSE written out by hand, for teaching, beside the built-in engine.

Three ways to take the same steps (seed 002, and seed 001's first half):

1. `numpy_gd`: NumPy with the hand-derived gradient ∂MSE/∂W = -2/N · (Y - XWᵀ - b)ᵀ X,
   ∂MSE/∂b = -2/N · Σ (Y - XWᵀ - b).
2. `autograd_gd`: torch tensors with requires_grad, `loss.backward()` and a manual update
   under `torch.no_grad()`, then `grad.zero_()`.
3. The built-in way is `trainer.Stepper` with nn.Linear, MSELoss and optim.SGD.

Each returns the flat θ = [W.ravel(), b] after every step, row 0 being the start.
"""

from __future__ import annotations

import numpy as np
import torch

from linreg.data import Dataset


def _split(theta: np.ndarray, d: int, k: int, bias: bool):
    theta = np.asarray(theta, dtype=np.float64)
    w = theta[: k * d].reshape(k, d)
    b = theta[k * d :] if bias else np.zeros(k)
    return w, b


def numpy_gradient(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: np.ndarray):
    """The hand-derived MSE gradient (seed 002's equation 12, with a bias)."""
    error = y - (x @ w.T + b)  # (n, k)
    n_total = y.size
    return -2 * error.T @ x / n_total, -2 * error.sum(axis=0) / n_total


def numpy_gd(
    data: Dataset, start, learning_rate: float, steps: int, bias: bool = True, dtype=np.float64
) -> np.ndarray:
    """Seed 002's NumPy loop, generalised to k targets and a bias."""
    d, k = data.n_features, data.n_targets
    x, y = data.x_train.astype(dtype), data.y_train.astype(dtype)
    w, b = (a.astype(dtype) for a in _split(start, d, k, bias))
    lr = dtype(learning_rate)
    out = np.empty((steps + 1, k * d + (k if bias else 0)))
    for t in range(steps + 1):
        out[t] = np.concatenate([w.ravel(), b] if bias else [w.ravel()])
        if t == steps:
            break
        grad_w, grad_b = numpy_gradient(x, y, w, b)
        w = w - lr * grad_w
        if bias:
            b = b - lr * grad_b
    return out


def autograd_gd(
    data: Dataset, start, learning_rate: float, steps: int, bias: bool = True, dtype=torch.float64
) -> np.ndarray:
    """Seed 001/002's torch loop: autograd for the gradient, a manual update."""
    d, k = data.n_features, data.n_targets
    x = torch.tensor(data.x_train, dtype=dtype)
    y = torch.tensor(data.y_train, dtype=dtype)
    w0, b0 = _split(start, d, k, bias)
    w = torch.tensor(w0, dtype=dtype, requires_grad=True)
    b = torch.tensor(b0, dtype=dtype, requires_grad=bias)
    out = np.empty((steps + 1, k * d + (k if bias else 0)))
    for t in range(steps + 1):
        parts = [w.detach().ravel(), b.detach()] if bias else [w.detach().ravel()]
        out[t] = torch.cat(parts).double().numpy()
        if t == steps:
            break
        preds = x @ w.t() + b
        diff = preds - y
        loss = torch.sum(diff * diff) / diff.numel()  # seed 001's mse()
        loss.backward()
        with torch.no_grad():
            w -= w.grad * learning_rate
            w.grad.zero_()
            if bias:
                b -= b.grad * learning_rate
                b.grad.zero_()
    return out
