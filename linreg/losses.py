"""The three losses, each one object holding its value, its derivative, its label, its
torch.nn form and what the analysis needs of it (micrograd's habit: the rule next to its
derivative).

With residual r = prediction - target over N = n·k numbers:

    MSE    L = 1/N Σ r²                                  dL/dr = 2r / N
    MAE    L = 1/N Σ |r|                                 dL/dr = sign(r) / N
    Huber  L = 1/N Σ ½r² if |r| < δ else δ(|r| - ½δ)     dL/dr = clip(r, -δ, δ) / N

`value` uses torch.nn.functional's own losses. `psi` is dL/dr·N, the hand-derived part that
the closed-form gradient, the analysis and the from-scratch code use; the tests check it
against autograd through `value`. `irls_weight` is the weight iteratively re-weighted least
squares gives a residual when it looks for the loss's minimum (None: least squares itself).

`get(name, huber_delta)` gives the object; the module-level functions taking a name are
kept for the callers that think in names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from linreg.settings import LOSS_LABELS, LOSSES

__all__ = [
    "LOSSES",
    "LOSS_LABELS",
    "Loss",
    "get",
    "module",
    "value",
    "psi",
    "residual_gradient",
    "elementwise",
    "np_psi",
]


@dataclass(frozen=True)
class Loss:
    """A loss: the base holds what all three share; each subclass its own rule."""

    delta: float = 1.0  # Huber's δ (unused by the others)
    name = ""
    irls_weight = None

    @property
    def label(self) -> str:
        return LOSS_LABELS[self.name]

    def value(self, prediction, target, reduction: str = "mean") -> torch.Tensor:
        raise NotImplementedError

    def psi(self, residual: torch.Tensor) -> torch.Tensor:
        """N · dL/dr (torch)."""
        raise NotImplementedError

    def residual_gradient(self, residual: torch.Tensor) -> torch.Tensor:
        """dL/dr of the mean loss, rounded as torch's backward rounds it (norm · ψ-part)."""
        return self.psi(residual) * (1.0 / residual.numel())

    def elementwise(self, residual: np.ndarray) -> np.ndarray:
        """Per-element loss of a NumPy residual array (float64 analysis)."""
        raise NotImplementedError

    def np_psi(self, residual: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def code(self) -> str:
        """The torch.nn loss as the seeds write it."""
        raise NotImplementedError

    def module(self) -> torch.nn.Module:
        return eval(self.code(), {"nn": torch.nn})  # noqa: S307 (our own constant text)


class MSE(Loss):
    name = "mse"

    def value(self, prediction, target, reduction="mean"):
        return F.mse_loss(prediction, target, reduction=reduction)

    def psi(self, residual):
        return 2 * residual

    def residual_gradient(self, residual):
        return residual * (2.0 / residual.numel())  # torch's order: (2/N)·r

    def elementwise(self, residual):
        return residual**2

    def np_psi(self, residual):
        return 2 * residual

    def code(self):
        return "nn.MSELoss()"


class MAE(Loss):
    name = "mae"

    @staticmethod
    def irls_weight(r):
        return 1.0 / np.maximum(np.abs(r), 1e-9)

    def value(self, prediction, target, reduction="mean"):
        return F.l1_loss(prediction, target, reduction=reduction)

    def psi(self, residual):
        return torch.sign(residual)

    def elementwise(self, residual):
        return np.abs(residual)

    def np_psi(self, residual):
        return np.sign(residual)

    def code(self):
        return "nn.L1Loss()"


class Huber(Loss):
    name = "huber"

    def irls_weight(self, r):
        return np.minimum(1.0, self.delta / np.maximum(np.abs(r), 1e-300))

    def value(self, prediction, target, reduction="mean"):
        return F.huber_loss(prediction, target, reduction=reduction, delta=self.delta)

    def psi(self, residual):
        return residual.clamp(-self.delta, self.delta)

    def elementwise(self, residual):
        a, d = np.abs(residual), self.delta
        return np.where(a < d, 0.5 * residual**2, d * (a - 0.5 * d))

    def np_psi(self, residual):
        return np.clip(residual, -self.delta, self.delta)

    def code(self):
        return f"nn.HuberLoss(delta={self.delta!r})"


KINDS = {cls.name: cls for cls in (MSE, MAE, Huber)}


def get(loss: str | Loss, huber_delta: float = 1.0) -> Loss:
    """The loss object for a name (and Huber's δ); a Loss is returned as it is."""
    if isinstance(loss, Loss):
        return loss
    if loss not in KINDS:
        raise ValueError(f"unknown loss {loss!r}")
    return KINDS[loss](huber_delta)


# ---- by name --------------------------------------------------------------------------
def module(loss: str, huber_delta: float = 1.0) -> torch.nn.Module:
    """The torch.nn loss object, as the seeds write it (`nn.L1Loss()` and friends)."""
    return get(loss, huber_delta).module()


def value(loss, prediction, target, huber_delta: float = 1.0, reduction: str = "mean"):
    """The loss through torch.nn.functional (reduction 'none' for per-element values)."""
    return get(loss, huber_delta).value(prediction, target, reduction)


def psi(loss, residual: torch.Tensor, huber_delta: float = 1.0) -> torch.Tensor:
    """N · dL/dr for residual = prediction - target (torch)."""
    return get(loss, huber_delta).psi(residual)


def residual_gradient(loss, residual: torch.Tensor, huber_delta: float = 1.0) -> torch.Tensor:
    """dL/dr for each element of a mean-reduced loss, in the order torch's backward computes
    it (norm · r with norm = 2/N or 1/N), so float32 runs round exactly as autograd does."""
    return get(loss, huber_delta).residual_gradient(residual)


def elementwise(loss, residual: np.ndarray, huber_delta: float = 1.0) -> np.ndarray:
    """Per-element loss of a NumPy residual array (float64 analysis)."""
    return get(loss, huber_delta).elementwise(residual)


def np_psi(loss, residual: np.ndarray, huber_delta: float = 1.0) -> np.ndarray:
    """N · dL/dr for a NumPy residual array."""
    return get(loss, huber_delta).np_psi(residual)
