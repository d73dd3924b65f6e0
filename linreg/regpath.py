"""Many penalised fits at once: the regularisation path (one run per λ) and the validation
curves (final train and test loss against λ and against the degree).

As in `lr_sweep`, the R runs' parameters live in one (R, P) tensor Θ = [W, b], and one
forward pass gives every residual and gradient:

    R = W Zᵀ + b - y  (R × n),    ∇W = 2 R Z / n,    ∇b = 2 Σ R / n.

torch.optim's updates (SGD, Adam, AdamW) act entry by entry, so one optimizer on Θ takes all
R runs' steps at once, with the same numbers as R separate `PenalisedStepper`s. A param
group's weight_decay is one number for every row, so whatever differs between the runs is
applied by hand, one tensor op across all of them, exactly as torch.optim would:

* the L2 part: λᵣ(1-α)·w added to the gradient (what SGD's and Adam's weight_decay add),
  or for AdamW its decoupled decay w ← w·(1 - η λᵣ(1-α)) just before the step;
* the L1 part: λᵣα·sign(w) added to the gradient, or after the step the soft-threshold by
  η λᵣ α;
* the degree: a run of degree d < D uses the degree-D features with a mask holding the
  weights of x^(d+1), … at exactly 0 (a zero start and a zero gradient). Standardising
  is column by column, so the columns it uses are the very ones a degree-d fit sees.

All runs share the learning rate and its schedule (one scheduler on the one optimizer).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from linreg.data import Dataset
from linreg.optima import mse, objective, penalised_optimum
from linreg.polyfeatures import MAX_DEGREE, PolyFeatures, polynomial
from linreg.regularised import DTYPES, RegSpec
from linreg.schedules import Scheduler
from linreg.spec import initial_params


@dataclass(frozen=True)
class PathResult:
    """Per run (one per λ, or per degree): where it ended and its losses there."""

    strengths: np.ndarray  # (R,) λ of each run
    degrees: np.ndarray  # (R,) degree of each run
    params: np.ndarray  # (R, D + 1) θ at the end on degree-D features (0 beyond its degree)
    train_loss: np.ndarray  # (R,) MSE on the train rows (NaN if the run diverged)
    test_loss: np.ndarray  # (R,)
    objective: np.ndarray  # (R,) MSE + penalty on the train rows
    last_move: np.ndarray  # (R,) max |Δθ| of the last step: far from 0 means not settled


def log_strengths(low: float = 1e-4, high: float = 10.0, count: int = 50) -> np.ndarray:
    """λ values evenly spaced on a log axis."""
    return np.logspace(np.log10(low), np.log10(high), count)


def batched_fits(
    poly: PolyFeatures,
    spec: RegSpec,
    strengths,
    degrees,
    steps: int,
    starts,
    progress: Callable[[float], None] | None = None,
) -> PathResult:
    """Run one fit per row of (strengths, degrees, starts) for `steps` steps, all at once."""
    dtype, d = DTYPES[spec.dtype], poly.degree
    strengths = np.asarray(strengths, dtype=np.float64)
    degrees = np.asarray(degrees)
    z = torch.tensor(poly.data.x_train, dtype=dtype)
    y = torch.tensor(poly.data.y_train[:, 0], dtype=dtype)
    n = len(y)
    keep = np.ones((len(strengths), d + 1))
    keep[:, :d] = np.arange(1, d + 1) <= degrees[:, None]
    under = keep.copy()
    under[:, d] = 1.0 if spec.penalise_bias else 0.0
    unit = spec.rule_at(1.0)  # decay and threshold are linear in λ
    l2 = torch.tensor(strengths[:, None] * unit.decay * under, dtype=dtype)
    l1 = torch.tensor(strengths[:, None] * unit.threshold * under, dtype=dtype)
    mask = torch.tensor(keep, dtype=dtype)
    theta = torch.tensor(np.asarray(starts, dtype=np.float64) * keep, dtype=dtype)
    grad = theta.grad = torch.zeros_like(theta)
    kind = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.Adam}
    opt = kind[spec.optimizer]([theta], lr=spec.learning_rate, foreach=False)
    scheduler = Scheduler(spec.schedule, opt, spec.total_steps)
    proximal = spec.l1_method == "proximal" and unit.threshold > 0
    decoupled = spec.optimizer == "adamw"
    before = theta.clone()
    for t in range(steps):
        with torch.no_grad():
            r = torch.addmm(theta[:, d:], theta[:, :d], z.T).sub_(y)
            torch.mm(r, z, out=grad[:, :d])
            torch.sum(r, 1, out=grad[:, d])
            grad.mul_(2 / n).mul_(mask)
            if not decoupled:
                grad.addcmul_(l2, theta)
            if unit.threshold > 0 and not proximal:
                grad.addcmul_(l1, theta.sign())
            rate = scheduler.rate
            if t == steps - 1:
                before.copy_(theta)
            if decoupled:  # AdamW = Adam after this decay (torch.optim.AdamW's own order)
                theta.mul_(1 - rate * l2)
        opt.step()
        with torch.no_grad():
            if proximal:
                theta.copy_(theta.sign() * (theta.abs() - rate * l1).clamp_(min=0))
        scheduler.step()
        if progress and t % 50 == 0:
            progress(t / steps)
    if progress:
        progress(1.0)
    return _result(poly, spec, strengths, degrees, theta, before)


def _result(poly, spec, strengths, degrees, theta, before) -> PathResult:
    params = theta.double().numpy().copy()
    moved = np.abs(params - before.double().numpy()).max(1)
    bad = ~np.isfinite(params).all(1)
    params[bad] = np.nan
    j = np.array(
        [
            objective(poly.data, p, spec.rule_at(lam), spec.penalise_bias)[0]
            for p, lam in zip(params, strengths, strict=True)
        ]
    )
    return PathResult(
        strengths, degrees, params, mse(poly.data, params), mse(poly.data, params, "test"), j, moved
    )


def regularisation_path(
    poly: PolyFeatures,
    spec: RegSpec,
    strengths,
    steps: int = 1000,
    start=None,
    progress: Callable[[float], None] | None = None,
) -> PathResult:
    """One run per λ (the penalty, optimizer and schedule of `spec`), all from one start."""
    strengths = np.asarray(strengths, dtype=np.float64)
    if start is None:
        start = initial_params(poly.degree, 1, spec.seed)
    starts = np.tile(np.asarray(start, dtype=np.float64), (len(strengths), 1))
    degrees = np.full(len(strengths), poly.degree)
    return batched_fits(poly, spec, strengths, degrees, steps, starts, progress)


def degree_curve(
    data: Dataset,
    spec: RegSpec,
    degrees=tuple(range(1, MAX_DEGREE + 1)),
    steps: int = 1000,
    progress: Callable[[float], None] | None = None,
) -> PathResult:
    """One run per degree at the λ of `spec`, each from nn.Linear's own start for its
    degree (so each equals a separate run on `polynomial(data, degree)`)."""
    degrees = np.asarray(degrees)
    poly = polynomial(data, int(degrees.max()))
    starts = np.zeros((len(degrees), poly.degree + 1))
    for row, degree in enumerate(degrees):
        start = initial_params(int(degree), 1, spec.seed)
        starts[row, :degree], starts[row, -1] = start[:-1], start[-1]
    strengths = np.full(len(degrees), spec.strength)
    return batched_fits(poly, spec, strengths, degrees, steps, starts, progress)


def exact_path(poly: PolyFeatures, spec: RegSpec, strengths) -> np.ndarray:
    """The exact minimum at each λ, (R, D + 1): what the runs head for. From the largest λ
    down, each warm-starts the next."""
    strengths = np.asarray(strengths, dtype=np.float64)
    out = np.empty((len(strengths), poly.degree + 1))
    previous = None
    for r in np.argsort(strengths)[::-1]:
        rule = spec.rule_at(strengths[r])
        previous = out[r] = penalised_optimum(poly.data, rule, spec.penalise_bias, previous)
    return out
