"""Many runs at once: the same data, start and optimizer at R learning rates, batched.

All R parameter vectors live in one (R, P) tensor and one forward pass gives every loss and
gradient. The update is still torch.optim's. Every optimizer here (without weight decay)
moves θ by lr·u, where u depends only on the gradients seen so far (SGD: g; momentum: its
buffer; Adam: m̂/(√v̂ + ε); RMSprop and Adagrad alike). So one optimizer at lr = 1 walks a
"direction" tensor D fed each run's own gradient, and run r sits at θ = start + lr_r·D.

`notice` says what a finished sweep shows, from its own numbers: which rates diverged, where
the loss is lowest, and whether 2/λmax is the edge (exactly so only for plain full-batch SGD
on MSE; momentum and Nesterov move it by `landscape.edge_factor`; the adaptive optimizers do
not follow it at all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import torch

from linreg import losses
from linreg.data import Dataset
from linreg.history import settled
from linreg.landscape import edge_factor
from linreg.race import shown_loss
from linreg.settings import LOSS_LABELS, OPTIMIZER_LABELS
from linreg.trainer import DTYPES, EXPLODE, WINDOW, TrainSpec, batch_loader, epochs, make_optimizer


@dataclass(frozen=True)
class SweepResult:
    """Per learning rate: final θ and loss, and the step of divergence / convergence (-1: none)."""

    learning_rates: np.ndarray
    loss: np.ndarray  # (steps + 1, R) train loss, NaN after divergence
    params: np.ndarray  # (R, P) θ at the end, NaN for runs that diverged
    diverged_at: np.ndarray  # (R,)
    converged_at: np.ndarray  # (R,)

    @property
    def final_loss(self) -> np.ndarray:
        return self.loss[-1]


def lr_sweep(
    data: Dataset,
    spec: TrainSpec,
    learning_rates,
    steps: int,
    start,
    tolerance: float = 1e-6,
    progress: Callable[[float], None] | None = None,
) -> SweepResult:
    """Train one run per learning rate for `steps` steps, all at once."""
    rates = np.asarray(learning_rates, dtype=np.float64)
    dtype = DTYPES[spec.dtype]
    x = torch.tensor(data.x_train, dtype=dtype)
    y = torch.tensor(data.y_train, dtype=dtype)
    k, d = y.shape[1], x.shape[1]
    theta = torch.tensor(np.tile(np.asarray(start, dtype=np.float64), (len(rates), 1)), dtype=dtype)
    direction = torch.zeros_like(theta)
    opt = make_optimizer(replace(spec, learning_rate=1.0), [direction])
    grad = direction.grad = torch.zeros_like(theta)
    scale = torch.tensor(rates, dtype=dtype)[:, None]
    origin = theta.clone()
    loader = batch_loader(x, y, spec)
    batches = None if loader is None else epochs(loader)
    loss = np.empty((steps + 1, len(rates)))
    for t in range(steps + 1):
        xb, yb = (x, y) if batches is None or t == steps else next(batches)
        with torch.no_grad():
            pred = torch.einsum("nd,rkd->rnk", xb, theta[:, : k * d].reshape(-1, k, d))
            if spec.bias:
                pred = pred + theta[:, None, k * d :]
            if batches is None or t == steps:
                full = pred
            else:
                full = torch.einsum("nd,rkd->rnk", x, theta[:, : k * d].reshape(-1, k, d))
                full = full + theta[:, None, k * d :] if spec.bias else full
            loss[t] = (
                losses.value(spec.loss, full, y.expand_as(full), spec.huber_delta, reduction="none")
                .mean(dim=(1, 2))
                .double()
                .numpy()
            )
            if t == steps:
                break
            g = losses.psi(spec.loss, pred - yb, spec.huber_delta) / yb.numel()
            gw = torch.einsum("rnk,nd->rkd", g, xb).reshape(len(rates), -1)
            grad.copy_(torch.cat([gw, g.sum(1)], 1) if spec.bias else gw)
        opt.step()
        with torch.no_grad():
            torch.addcmul(origin, scale, direction, out=theta)
        if progress and t % 50 == 0:
            progress(t / steps)
    limit = EXPLODE * max(loss[0].max(), float(np.mean(data.y_train**2)), 1e-8)
    bad = ~np.isfinite(loss) | (loss > limit)
    diverged = np.where(bad.any(0), bad.argmax(0), -1)
    for r in np.flatnonzero(diverged >= 0):
        loss[diverged[r] :, r] = np.nan
    final = theta.double().numpy().copy()
    final[diverged >= 0] = np.nan
    return SweepResult(rates, loss, final, diverged, _converged(loss, tolerance))


def _converged(loss: np.ndarray, tolerance: float) -> np.ndarray:
    """First step of each column at which the loss settled (history.settled), -1 if never;
    steps after a divergence count as infinite loss."""
    finite = np.nan_to_num(loss, nan=np.inf)
    steps = [settled(column, WINDOW, tolerance) for column in finite.T]
    return np.array([-1 if t is None else t for t in steps])


def notice(result: SweepResult, spec: TrainSpec, critical: float) -> str:
    """'What to notice' for this sweep of `spec`'s optimizer; `critical` is the data's 2/λmax."""
    name, rates = OPTIMIZER_LABELS[spec.optimizer], result.learning_rates
    steps, diverged = result.loss.shape[0] - 1, result.diverged_at >= 0
    text = ["What to notice:"]
    final = result.final_loss
    if (~diverged).any():  # the lowest loss as shown: many rates reach it to every digit
        lowest = shown_loss(np.nanmin(final))
        there = rates[~diverged & np.array([shown_loss(f) == lowest for f in final])]
        span = (
            f"η = {there[0]:.3g}" if len(there) == 1 else f"η = {there[0]:.3g} to {there[-1]:.3g}"
        )
        text.append(
            f"after {steps} steps, {span} ({len(there)} of the {len(rates)} rates) end at the "
            f"lowest loss, {lowest}."
        )
        settled_at = np.where(~diverged & (result.converged_at >= 0), result.converged_at, np.inf)
        if np.isfinite(settled_at).any():
            fastest = int(np.argmin(settled_at))
            text.append(
                f"The fastest to settle is η = {rates[fastest]:.3g}, at step "
                f"{int(settled_at[fastest])}."
            )
    if diverged.any():
        first = rates[diverged].min()
        above = "up" if diverged[rates >= first].all() else "and some above"
        text.append(
            f"{name} diverged at {int(diverged.sum())} of the {len(rates)} rates: "
            f"η = {first:.3g} {above} (the red crosses)."
        )
    else:
        text.append("No rate diverged in this range, so there are no red crosses.")
    text.append(_edge(spec, critical, bool(diverged.any()), float(rates.max())))
    return " ".join(text)


def _edge(spec: TrainSpec, critical: float, diverged: bool, largest: float) -> str:
    """Whether 2/λmax is where this optimizer diverges, and if not, what is."""
    name, factor = OPTIMIZER_LABELS[spec.optimizer], edge_factor(spec.optimizer, spec.momentum)
    if factor is None:
        return (
            f"{name} divides each step by a running size of the gradient, so where it fails "
            "has nothing to do with 2/λmax: the dashed line is only a landmark here."
        )
    if spec.loss != "mse" or spec.batch_size > 0:
        what = LOSS_LABELS[spec.loss] if spec.loss != "mse" else "mini-batches"
        return f"2/λmax is the edge for full-batch MSE; with {what} it is only a landmark."
    edge = critical * factor
    if spec.optimizer == "sgd":
        text = f"For SGD on MSE the dashed 2/λmax = {critical:.3g} is exactly its edge."
    else:
        text = (
            f"For {name} on MSE the edge is {factor:.3g} × 2/λmax = {edge:.3g} "
            f"(μ = {spec.momentum:g}), not the dashed 2/λmax."
        )
    if not diverged and largest < edge:
        text += f" Raise the largest rate past {edge:.3g} to see it diverge."
    return text
