"""Many features: two ways to take the same steps, the batches they take them on, and
standardisation.

A model with d features and k targets predicts Ŷ = X Wᵀ + b; its MSE is
L = Σ (Ŷ - Y)² / (n k). Seed 001 trains it twice:

1. *From scratch*: `preds = x @ w.t() + b`, `loss = sum(diff²) / numel`, `loss.backward()`,
   then by hand under `torch.no_grad()`: `w -= w.grad * lr`, `w.grad.zero_()` (same for b).
2. *Built-ins*: `TensorDataset` + `DataLoader(batch_size, shuffle)`, `nn.Linear(d, k)`,
   `F.mse_loss` and `optim.SGD(lr)`.

`Lockstep` runs one of them and, if asked, the other alongside on the very same batches
(the loaders share a seed), so max |Δθ| per step shows they agree up to rounding.

Standardising replaces each feature x_j by z_j = (x_j - μ_j)/σ_j (train rows). A model
(V, c) on z is the model W = V / σ (column-wise), b = c - V (μ/σ) on x: same predictions.
The MSE Hessian 2AᵀA/(n k) of A = [Z, 1] then has eigenvalues of order 1, so its critical
learning rate 2/λmax is of order 1 and its condition number λmax/λmin small; on raw crop data
(features near 70-100) λmax is about 10⁴ and λmin far smaller, hence lr 1e-5 and a crawl.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch

from linreg.data import Dataset, synthetic_linear
from linreg.landscape import hessian_eigenvalues
from linreg.spec import TrainSpec, batch_loader, epochs
from linreg.trainer import Stepper

MODES = ("scratch", "builtins")


# ---- standardising ---------------------------------------------------------------------
@dataclass(frozen=True)
class Scaler:
    """Per-feature mean and standard deviation of the train rows (σ = 1 for a constant)."""

    mean: np.ndarray
    std: np.ndarray

    def to_original(self, theta: np.ndarray, k: int) -> np.ndarray:
        """Flat θ = [V.ravel(), c] on standardised features -> [W.ravel(), b] on raw ones.
        Works on one row or on many (..., P)."""
        theta = np.asarray(theta, dtype=np.float64)
        d = len(self.mean)
        v = theta[..., : k * d].reshape(*theta.shape[:-1], k, d)
        w = v / self.std
        b = theta[..., k * d :] - (v * (self.mean / self.std)).sum(-1)
        return np.concatenate([w.reshape(*theta.shape[:-1], k * d), b], axis=-1)

    def from_original(self, theta: np.ndarray, k: int) -> np.ndarray:
        """The inverse of `to_original`."""
        theta = np.asarray(theta, dtype=np.float64)
        d = len(self.mean)
        w = theta[..., : k * d].reshape(*theta.shape[:-1], k, d)
        c = theta[..., k * d :] + (w * self.mean).sum(-1)
        return np.concatenate([(w * self.std).reshape(*theta.shape[:-1], k * d), c], axis=-1)


def standardise(data: Dataset) -> tuple[Dataset, Scaler]:
    """The data with every feature at mean 0 and standard deviation 1 on the train rows."""
    mean = data.x_train.mean(axis=0)
    std = data.x_train.std(axis=0)
    std = np.where(std > 1e-12 * np.maximum(np.abs(mean), 1.0), std, 1.0)
    scaler = Scaler(mean, std)
    return (
        replace(data, x_train=(data.x_train - mean) / std, x_test=(data.x_test - mean) / std),
        scaler,
    )


@dataclass(frozen=True)
class Conditioning:
    """The MSE Hessian's spectrum and what it means for plain gradient descent."""

    eigenvalues: np.ndarray  # ascending

    @property
    def critical_rate(self) -> float:
        return 2.0 / self.eigenvalues[-1]

    @property
    def singular(self) -> bool:
        """A flat direction (λmin ≈ 0): dependent features, or fewer rows than parameters."""
        return bool(self.eigenvalues[0] <= 1e-10 * self.eigenvalues[-1])

    @property
    def condition_number(self) -> float:
        return float("inf") if self.singular else float(self.eigenvalues[-1] / self.eigenvalues[0])

    def slowest_steps(self, learning_rate: float) -> float:
        """About how many steps the slowest direction needs to shrink its error e-fold
        (1/(η λmin)); inf when it does not shrink."""
        return float("inf") if self.singular else 1.0 / (learning_rate * self.eigenvalues[0])


def conditioning(data: Dataset) -> Conditioning:
    return Conditioning(hessian_eigenvalues(data))


# ---- the two ways -----------------------------------------------------------------------
class ScratchStepper(Stepper):
    """Seed 001's first half: autograd for the gradient, the update written by hand. The
    batches, the bookkeeping and the history are the Stepper's, so both ways record alike."""

    def _run(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        w, b = self.model.weight, self.model.bias
        group, scheduler = self.optimizer.param_groups[0], self.scheduler
        rows = torch.empty(k, self.flat.numel(), dtype=self.flat.dtype)
        rates = np.empty(k)
        for i in range(k):
            lr = group["lr"]  # the schedule's rate for this step (set by its scheduler)
            x, y = self._next_batch()
            preds = x @ w.t() + b
            diff = preds - y
            loss = torch.sum(diff * diff) / diff.numel()
            loss.backward()
            with torch.no_grad():
                w -= w.grad * lr
                b -= b.grad * lr
                w.grad.zero_()
                b.grad.zero_()
            scheduler.step()
            rates[i] = scheduler.rate
            rows[i] = self.flat
        return rows.double().numpy(), rates


def train_spec(
    learning_rate: float, batch_size: int, shuffle: bool, dtype: str, seed: int, **schedule
):
    """Plain SGD on MSE with autograd, as both halves of seed 001 train; `schedule`: the
    learning-rate schedule's fields (TrainSpec's names), constant if none."""
    return TrainSpec(
        loss="mse",
        optimizer="sgd",
        learning_rate=learning_rate,
        batch_size=batch_size,
        shuffle=shuffle,
        dtype=dtype,
        seed=seed,
        gradient="autograd",
        **schedule,
    )


def stepper(mode: str, data: Dataset, spec: TrainSpec, start) -> Stepper:
    """A stepper that trains the chosen way."""
    return (ScratchStepper if mode == "scratch" else Stepper)(data, spec, start)


class Lockstep:
    """One way on show (`main`), and optionally the other (`twin`) taking the same steps."""

    def __init__(self, data: Dataset, spec: TrainSpec, start, mode: str, compare: bool):
        self.data, self.start, self.mode = data, np.asarray(start, dtype=np.float64), mode
        self.main = stepper(mode, data, spec, self.start)
        self.twin: Stepper | None = None
        if compare:
            self.set_compare(True)

    @property
    def other(self) -> str:
        return MODES[1 - MODES.index(self.mode)]

    def step(self, k: int, stop_at_convergence: bool = False, tolerance: float = 1e-6) -> int:
        taken = self.main.step(k, stop_at_convergence, tolerance)
        if self.twin is not None and taken:
            self.twin.step(self.main.steps - self.twin.steps)
        return taken

    def configure(self, spec: TrainSpec) -> None:
        """New training settings from the current step on, for both ways."""
        self.main.configure(spec)
        if self.twin is not None:
            self.twin.configure(spec)

    def _replay(self, mode: str) -> Stepper:
        """The `mode` way, rebuilt and taken through the same steps and settings changes."""
        other = stepper(mode, self.data, self.main.segments[0].spec, self.start)
        for segment in self.main.segments[1:]:
            other.step(segment.start - other.steps)
            other.configure(segment.spec)
        other.step(self.main.steps - other.steps)
        return other

    def set_compare(self, on: bool) -> None:
        if on and self.twin is None:
            self.twin = self._replay(self.other)
        elif not on:
            self.twin = None

    def set_mode(self, mode: str) -> None:
        """Put the other way on show; its history is the twin's, replayed if need be."""
        if mode == self.mode:
            return
        keep = self.twin is not None
        twin = self.twin if keep else self._replay(self.other)
        self.main, self.twin, self.mode = twin, (self.main if keep else None), mode

    def delta(self) -> np.ndarray:
        """max |θ_main - θ_twin| after every step both have taken (empty without a twin)."""
        if self.twin is None:
            return np.zeros(0)
        m = min(len(self.main.history), len(self.twin.history))
        a, b = self.main.history.params[:m], self.twin.history.params[:m]
        return np.abs(a - b).max(axis=1)


# ---- batches and per-target numbers ------------------------------------------------------
def batch_plan(n_rows: int, spec: TrainSpec, n_epochs: int) -> list[list[np.ndarray]]:
    """The row indices of every batch in the first `n_epochs` epochs, exactly as the
    steppers draw them (the same seeded DataLoader, over the row numbers)."""
    rows = torch.arange(n_rows, dtype=torch.float64)[:, None]
    loader = batch_loader(rows, rows, spec)
    if loader is None:
        return [[np.arange(n_rows)] for _ in range(n_epochs)]
    it = iter(epochs(loader))
    per = batches_per_epoch(n_rows, spec.batch_size)
    return [[next(it)[0][:, 0].long().numpy() for _ in range(per)] for _ in range(n_epochs)]


class BatchPlan:
    """`batch_plan`, drawn epoch by epoch as far as asked and kept: a long run with small
    batches asks for a late epoch, and each epoch's shuffle depends on all before it."""

    def __init__(self, n_rows: int, spec: TrainSpec):
        self.n_rows, self.spec = n_rows, spec
        rows = torch.arange(n_rows, dtype=torch.float64)[:, None]
        loader = batch_loader(rows, rows, spec)
        self._it = None if loader is None else iter(epochs(loader))
        self._per = batches_per_epoch(n_rows, spec.batch_size)
        self.epochs: list[list[np.ndarray]] = []

    def epoch(self, e: int) -> list[np.ndarray]:
        """The batches of epoch e (0-based)."""
        if self._it is None:
            return [np.arange(self.n_rows)]
        while len(self.epochs) <= e:
            self.epochs.append([next(self._it)[0][:, 0].long().numpy() for _ in range(self._per)])
        return self.epochs[e]


def batches_per_epoch(n_rows: int, batch_size: int) -> int:
    if batch_size <= 0 or batch_size >= n_rows:
        return 1
    return -(-n_rows // batch_size)


def batch_of_step(step: int, n_rows: int, batch_size: int) -> tuple[int, int]:
    """(epoch, batch) used by step `step` (step t moves θ from row t-1 to row t); 0-based."""
    per = batches_per_epoch(n_rows, batch_size)
    t = max(step - 1, 0)
    return t // per, t % per


def target_losses(data: Dataset, thetas: np.ndarray, which: str = "train") -> np.ndarray:
    """MSE of each target at each θ row: shape (M, k). Their mean is the overall MSE."""
    x = data.x_train if which == "train" else data.x_test
    y = data.y_train if which == "train" else data.y_test
    d, k = data.n_features, data.n_targets
    thetas = np.atleast_2d(thetas)
    w = thetas[:, : k * d].reshape(-1, k, d)
    pred = np.einsum("nd,mkd->mnk", x, w) + thetas[:, None, k * d :]
    return ((pred - y) ** 2).mean(axis=1)


def predictions(data: Dataset, theta: np.ndarray) -> np.ndarray:
    """Ŷ = X Wᵀ + b on the train rows, shape (n, k)."""
    d, k = data.n_features, data.n_targets
    w = np.asarray(theta[: k * d]).reshape(k, d)
    return data.x_train @ w.T + theta[k * d :]


def synthetic(weight, bias, noise: float, n_points: int, spread: float, seed: int):
    """Rows x = z·s (z standard normal, s_j = spread^(j/(d-1)) from 1 up to `spread`) and
    targets Y = X Wᵀ + b + noise: the truth (W, b) holds in the features' own units."""
    weight = np.atleast_2d(np.asarray(weight, dtype=np.float64))
    d = weight.shape[1]
    scales = spread ** (np.arange(d) / max(d - 1, 1))
    z, y = synthetic_linear(weight * scales, bias, noise, n_points, seed)
    return z * scales, y
