"""The three losses, as torch.nn computes them, and their derivative in the residual.

With residual r = prediction - target over N = n·k numbers:

    MSE    L = 1/N Σ r²                                  dL/dr = 2r / N
    MAE    L = 1/N Σ |r|                                 dL/dr = sign(r) / N
    Huber  L = 1/N Σ ½r² if |r| < δ else δ(|r| - ½δ)     dL/dr = clip(r, -δ, δ) / N

`value` uses torch.nn.functional's own losses. `psi` is dL/dr·N, the hand-derived part that
the closed-form gradient, the analysis and the from-scratch code use; the tests check it
against autograd through `value`.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from linreg.settings import LOSS_LABELS, LOSSES

__all__ = [
    "LOSSES",
    "LOSS_LABELS",
    "module",
    "value",
    "psi",
    "residual_gradient",
    "elementwise",
    "np_psi",
]


def module(loss: str, huber_delta: float = 1.0) -> torch.nn.Module:
    """The torch.nn loss object, as the seeds write it (`nn.L1Loss()` and friends)."""
    if loss == "mse":
        return torch.nn.MSELoss()
    if loss == "mae":
        return torch.nn.L1Loss()
    if loss == "huber":
        return torch.nn.HuberLoss(delta=huber_delta)
    raise ValueError(f"unknown loss {loss!r}")


def value(
    loss: str,
    prediction: torch.Tensor,
    target: torch.Tensor,
    huber_delta: float = 1.0,
    reduction: str = "mean",
) -> torch.Tensor:
    """The loss through torch.nn.functional (reduction 'none' for per-element values)."""
    if loss == "mse":
        return F.mse_loss(prediction, target, reduction=reduction)
    if loss == "mae":
        return F.l1_loss(prediction, target, reduction=reduction)
    if loss == "huber":
        return F.huber_loss(prediction, target, reduction=reduction, delta=huber_delta)
    raise ValueError(f"unknown loss {loss!r}")


def psi(loss: str, residual: torch.Tensor, huber_delta: float = 1.0) -> torch.Tensor:
    """N · dL/dr for residual = prediction - target (torch)."""
    if loss == "mse":
        return 2 * residual
    if loss == "mae":
        return torch.sign(residual)
    if loss == "huber":
        return residual.clamp(-huber_delta, huber_delta)
    raise ValueError(f"unknown loss {loss!r}")


def residual_gradient(loss: str, residual: torch.Tensor, huber_delta: float = 1.0) -> torch.Tensor:
    """dL/dr for each element of a mean-reduced loss, in the order torch's backward computes
    it (norm · r with norm = 2/N or 1/N), so float32 runs round exactly as autograd does."""
    n = residual.numel()
    if loss == "mse":
        return residual * (2.0 / n)
    if loss == "mae":
        return torch.sign(residual) * (1.0 / n)
    if loss == "huber":
        return residual.clamp(-huber_delta, huber_delta) * (1.0 / n)
    raise ValueError(f"unknown loss {loss!r}")


def elementwise(loss: str, residual: np.ndarray, huber_delta: float = 1.0) -> np.ndarray:
    """Per-element loss of a NumPy residual array (float64 analysis)."""
    if loss == "mse":
        return residual**2
    a = np.abs(residual)
    if loss == "mae":
        return a
    if loss == "huber":
        return np.where(a < huber_delta, 0.5 * residual**2, huber_delta * (a - 0.5 * huber_delta))
    raise ValueError(f"unknown loss {loss!r}")


def np_psi(loss: str, residual: np.ndarray, huber_delta: float = 1.0) -> np.ndarray:
    """N · dL/dr for a NumPy residual array."""
    if loss == "mse":
        return 2 * residual
    if loss == "mae":
        return np.sign(residual)
    if loss == "huber":
        return np.clip(residual, -huber_delta, huber_delta)
    raise ValueError(f"unknown loss {loss!r}")
