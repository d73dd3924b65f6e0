"""The penalised fit, one recorded step at a time: polynomial features, a penalty, a
`torch.optim` optimizer and a learning-rate schedule.

It minimises J(θ) = MSE(θ) + P(w) (`linreg.penalties`), θ = [w, b] on standardised
features z (`linreg.polyfeatures`), full batch. One step, at the rate η_s in force:

1. ∇MSE in closed form: r = Zw + b - y, ∂/∂w = 2Zᵀr/n, ∂/∂b = 2Σr/n (the tests check it
   against autograd).
2. The penalty's L2 part λ' = λ(1-α), one of two ways (`ridge_method`):
   * "weight_decay": torch.optim's own `weight_decay=λ'` on a param group that holds only
     the weight; the bias's group has weight decay 0.
   * "gradient": λ'w added to the weight's gradient by hand.
   SGD and Adam both add wd·θ to the gradient, so the two ways are the same update. AdamW
   instead decays θ ← θ(1 - η wd) beside the adaptive step, where Adam's denominator does
   not rescale it: "decoupled" weight decay, which does not minimise MSE + λ'/2‖w‖² (the
   ridge minimum is not its resting point). With "adamw" the L2 part is always its decay.
3. The L1 part λα, one of two ways (`l1_method`):
   * "subgradient": λα sign(w) added to the gradient. A weight whose best value is 0 jumps
     across it by about ηλα every step and never lands on it: it chatters.
   * "proximal": after the optimizer step, soft-threshold w ← sign(w) max(|w| - η_s λα, 0)
     (`Lasso.prox`, which is torch's `F.softshrink(w, η_s λα)`).
     Weights with |∂MSE/∂w| ≤ λα land on exactly 0 and stay there. This is proximal
     gradient descent (ISTA); it needs plain SGD, whose step is η times the gradient.
4. `optimizer.step()`, the soft-threshold if proximal, then one scheduler step.

The history's row t is the state after t steps: θ, ∇MSE, train and test MSE, the penalised
objective J on the train rows, and the learning rate of the step that led there (NaN at
row 0). `penalise_bias=True` puts the bias under the penalty too, for the lesson on why one
should not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from linreg.history import settled
from linreg.penalties import Penalty, make_penalty
from linreg.polyfeatures import PolyFeatures
from linreg.reg_history import RegHistory
from linreg.schedules import Schedule, Scheduler
from linreg.spec import initial_params

OPTIMIZERS = ("sgd", "adam", "adamw")
RIDGE_METHODS = ("weight_decay", "gradient")
L1_METHODS = ("proximal", "subgradient")
DTYPES = {"float32": torch.float32, "float64": torch.float64}
CHUNK = 512  # steps between bookkeeping passes
EXPLODE = 1e4  # a loss this many times the starting scale counts as diverged


@dataclass(frozen=True)
class RegSpec:
    """How to fit: the penalty and how it is applied, the optimizer and the schedule."""

    penalty: str = "none"  # none, ridge, lasso, elastic
    strength: float = 0.01  # λ
    mix: float = 0.5  # α, the elastic net's L1 share
    ridge_method: str = "weight_decay"  # or "gradient"
    l1_method: str = "proximal"  # or "subgradient"
    penalise_bias: bool = False
    optimizer: str = "sgd"  # sgd, adam, adamw
    learning_rate: float = 0.05
    schedule: Schedule = field(default_factory=Schedule)
    total_steps: int = 1000  # the schedule's horizon
    seed: int = 0  # nn.Linear's seeded start
    dtype: str = "float64"

    def __post_init__(self) -> None:
        if self.optimizer not in OPTIMIZERS or self.dtype not in DTYPES:
            raise ValueError(f"unknown optimizer {self.optimizer!r} or dtype {self.dtype!r}")
        if self.ridge_method not in RIDGE_METHODS or self.l1_method not in L1_METHODS:
            raise ValueError("ridge_method or l1_method is unknown")
        proximal = self.l1_method == "proximal" and self.rule.threshold > 0
        if proximal and self.optimizer != "sgd":
            raise ValueError("The proximal (soft-threshold) step is plain SGD's.")

    @property
    def rule(self) -> Penalty:
        """The penalty object for these settings."""
        return self.rule_at(self.strength)

    def rule_at(self, strength: float) -> Penalty:
        """The same kind of penalty at another λ."""
        return make_penalty(self.penalty, strength, self.mix)

    @property
    def decay_in_optimizer(self) -> float:
        """The weight_decay torch.optim applies to the weight's group (0: none there)."""
        by_optimizer = self.ridge_method == "weight_decay" or self.optimizer == "adamw"
        return self.rule.decay if by_optimizer else 0.0


def optimizer_for(spec: RegSpec, weight, bias) -> torch.optim.Optimizer:
    """torch.optim with two param groups: the weight (its weight decay) and the bias
    (none, unless the bias is penalised too)."""
    decay = spec.decay_in_optimizer
    groups = [
        {"params": [weight], "weight_decay": decay},
        {"params": [bias], "weight_decay": decay if spec.penalise_bias else 0.0},
    ]
    kind = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}
    return kind[spec.optimizer](groups, lr=spec.learning_rate, foreach=False)


class PenalisedStepper:
    """Advance, reconfigure and reset a penalised run; every step lands in `history`."""

    def __init__(self, poly: PolyFeatures, spec: RegSpec | None = None, start=None):
        self.poly, self.start = poly, start
        self.reset(spec or RegSpec())

    def reset(self, spec: RegSpec | None = None) -> None:
        """Back to the start (optionally with new settings); the history is cleared."""
        self.spec = spec or self.spec
        d = self.poly.degree
        start = self.start if self.start is not None else initial_params(d, 1, self.spec.seed)
        dtype = DTYPES[self.spec.dtype]
        data = self.poly.data
        self.z, self.y = (torch.tensor(a, dtype=dtype) for a in (data.x_train, data.y_train[:, 0]))
        self.history = RegHistory(d + 1)
        self.events: list[tuple[int, str]] = []
        self.diverged_at: int | None = None
        self.converged_at: int | None = None
        self.message = ""
        self._build(np.asarray(start, dtype=np.float64))
        self._record(self.flat.double().numpy()[None].copy(), np.array([np.nan]))

    def _build(self, theta: np.ndarray) -> None:
        d, spec = self.poly.degree, self.spec
        self.flat = torch.tensor(theta, dtype=DTYPES[spec.dtype])
        # weight and bias are views into one flat tensor, so a step is recorded by one copy
        self.weight = torch.nn.Parameter(self.flat[:d])
        self.bias = torch.nn.Parameter(self.flat[d:])
        self.weight.grad, self.bias.grad = (
            torch.zeros_like(self.weight),
            torch.zeros_like(self.bias),
        )
        self.optimizer = optimizer_for(spec, self.weight, self.bias)
        self.scheduler = Scheduler(spec.schedule, self.optimizer, spec.total_steps)

    def configure(self, spec: RegSpec) -> None:
        """New settings from the current step on: a fresh optimizer and schedule, same θ."""
        if spec != self.spec:
            self.spec = spec
            self._build(self.params)
            self.events.append((self.steps, "settings"))
            self.converged_at = None

    @property
    def params(self) -> np.ndarray:
        return self.history.params[-1].copy()

    @property
    def steps(self) -> int:
        return len(self.history) - 1

    # ---- stepping -------------------------------------------------------------------
    def step(self, k: int = 1, stop_at_convergence: bool = False, tolerance: float = 1e-9) -> int:
        """Take up to k steps; returns how many were taken and kept."""
        taken = 0
        while taken < k and self.diverged_at is None:
            rows, used = self._run(min(k - taken, CHUNK))
            kept = self._keep(rows, used)
            taken += kept
            if stop_at_convergence and self._converged(tolerance):
                break
        return taken

    def _run(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """k optimizer steps; the k new θ rows and the rate each step used."""
        spec, rule, w, b = self.spec, self.spec.rule, self.weight, self.bias
        n = len(self.y)
        decay_by_hand = rule.decay - spec.decay_in_optimizer
        l1 = rule.threshold
        proximal = spec.l1_method == "proximal" and l1 > 0
        rows = torch.empty(k, self.flat.numel(), dtype=self.flat.dtype)
        used = np.empty(k)
        for i in range(k):
            with torch.no_grad():
                r = torch.addmv(b, self.z, w).sub_(self.y)
                torch.mv(self.z.T, r, out=w.grad).mul_(2 / n)
                torch.sum(r, 0, keepdim=True, out=b.grad).mul_(2 / n)
                for p in (w, b) if spec.penalise_bias else (w,):
                    if decay_by_hand:
                        p.grad.add_(p, alpha=decay_by_hand)
                    if l1 and not proximal:
                        p.grad.add_(p.sign(), alpha=l1)
            used[i] = self.scheduler.rate
            self.optimizer.step()
            if proximal:
                with torch.no_grad():
                    for p in (w, b) if spec.penalise_bias else (w,):
                        # torch's softshrink is Lasso.prox: soft-threshold by η_s λα
                        p.copy_(torch.nn.functional.softshrink(p, float(used[i]) * l1))
            self.scheduler.step()
            rows[i] = self.flat
        return rows.double().numpy(), used

    def _keep(self, rows: np.ndarray, used: np.ndarray) -> int:
        """Record the rows up to a divergence; returns how many were kept."""
        train = self.losses(rows, "train")
        scale = max(self.history.train_loss[0], float(np.mean(self.poly.data.y_train**2)), 1e-8)
        limit = EXPLODE * scale
        bad = ~np.isfinite(train) | ~np.isfinite(rows).all(1) | (train > limit)
        good = int(np.argmax(bad)) if bad.any() else len(rows)
        self._record(rows[:good], used[:good])
        if good < len(rows):
            self.diverged_at = self.steps + 1
            self.message = (
                f"Diverged at step {self.diverged_at}: the rate {used[good]:.3g} is too large "
                "for these features (plain gradient descent needs it below 2/λmax)."
            )
            self._build(self.params)  # back to the last good θ, the optimizer afresh
        return good

    def _converged(self, tolerance: float) -> bool:
        since = self.events[-1][0] if self.events else 0
        t = settled(self.history.objective[since:], 50, tolerance)
        if t is not None:
            self.converged_at = since + t
        return t is not None

    # ---- evaluation -----------------------------------------------------------------
    def losses(self, rows: np.ndarray, which: str = "train") -> np.ndarray:
        """MSE at each θ row on the train or test rows (float64)."""
        data, d = self.poly.data, self.poly.degree
        z, y = (data.x_train, data.y_train) if which == "train" else (data.x_test, data.y_test)
        if len(y) == 0:
            return np.full(len(rows), np.nan)
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run's rows
            return (((rows[:, :d] @ z.T + rows[:, d:]) - y[:, 0]) ** 2).mean(1)

    def objective(self, rows: np.ndarray) -> np.ndarray:
        """J = MSE + P at each θ row (the bias under P only if penalised)."""
        d = self.poly.degree
        under = rows if self.spec.penalise_bias else rows[:, :d]
        return self.losses(rows) + self.spec.rule.value(under)

    def _record(self, rows: np.ndarray, used: np.ndarray) -> None:
        d, data = self.poly.degree, self.poly.data
        z, y = data.x_train, data.y_train[:, 0]
        r = rows[:, :d] @ z.T + rows[:, d:] - y
        grad = np.hstack([2 * r @ z / len(y), 2 * r.mean(1, keepdims=True)])
        self.history.append(
            params=rows,
            grad=grad,
            train_loss=(r**2).mean(1),
            test_loss=self.losses(rows, "test"),
            objective=self.objective(rows),
            learning_rate=used,
        )

    @property
    def status(self) -> str:
        if self.diverged_at is not None:
            return "diverged"
        if self.converged_at is not None:
            return "converged"
        return "running" if self.steps else "ready"


def exact_zeros(theta: np.ndarray, degree: int) -> np.ndarray:
    """Which weights are exactly 0 (what a proximal step produces and a subgradient never)."""
    return np.asarray(theta)[..., :degree] == 0.0


__all__ = ["RegSpec", "PenalisedStepper", "RegHistory", "optimizer_for", "exact_zeros"]
