"""A race: several optimizers on the same data from the same start, stepped in lockstep.

Each racer is an ordinary `Stepper` (nn.Linear + torch.optim) with its own `TrainSpec`, so
a racer's path is exactly the path a separate run with that spec takes. A step of the race
is one step of every racer still running; a racer that diverges stops there (its history
ends), the others go on.

A racer has *converged* at the first step t where its loss has settled (`history.settled`:
over a window of W = 50 steps the best loss improved by less than the tolerance, relative,
and the loss is not growing). Its distance to the minimum is ‖θ_t − θ*‖ with θ* the
minimum of the chosen loss (`landscape.optimum`).

The leaderboard ranks by the loss *as shown*, to LOSS_DIGITS significant digits: racers
that show the same loss are tied, share a rank ("=1") and are listed by the step at which
they converged (not yet converged after). Near a common minimum every racer's loss agrees
to many digits, and a rank decided by the 12th digit would be noise. Tied ranks are
competition ranks (1, =2, =2, 4); racers that diverged come last, the one that lasted
longest first.

`valley_rates` picks the rates of the racers whose step is rate × gradient (SGD, momentum,
Nesterov) from the data's own edge (`landscape.edge_factor`): with x far from 0 (unscaled)
λmax is large, the rates that suit x in [0, 2] diverge within a few steps, and a rate safe
for the steep side of the valley crawls along its floor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import groupby

import numpy as np

from linreg.data import Dataset
from linreg.landscape import critical_learning_rate, edge_factor
from linreg.trainer import WINDOW, Stepper, TrainSpec

# The share of its own edge each racer runs at in `valley_rates`: SGD as fast as it safely
# can (it zig-zags across the valley), momentum and Nesterov at half of theirs.
VALLEY_SHARE = {"sgd": 0.9, "momentum": 0.5, "nesterov": 0.5}
LOSS_DIGITS = 6  # significant digits of the leaderboard's loss; equal digits tie


def shown_loss(loss: float) -> str:
    """The loss as the leaderboard writes it."""
    return f"{loss:.{LOSS_DIGITS}g}"


@dataclass(frozen=True)
class Standing:
    """One racer's line on the leaderboard, at the step on show."""

    name: str
    step: int  # the step shown for this racer (its last one if it stopped earlier)
    loss: float
    distance: float  # to the minimum of the loss
    converged_at: int | None
    diverged_at: int | None
    rank: int = 0  # competition rank: tied racers share the rank of the first of them
    tied: bool = False  # another racer has the same rank

    @property
    def place(self) -> str:
        """The rank as the board writes it: "=2" when tied."""
        return f"={self.rank}" if self.tied else str(self.rank)


class Race:
    """Steppers racing in lockstep; `steppers` maps each optimizer to its run."""

    def __init__(self, data: Dataset, specs: dict[str, TrainSpec], start) -> None:
        self.data = data
        self.start = np.asarray(start, dtype=np.float64)
        self.specs = dict(specs)
        self.steppers = {name: Stepper(data, spec, self.start) for name, spec in specs.items()}
        self.steps = 0

    def reset(self) -> None:
        """Everyone back to the start."""
        for stepper in self.steppers.values():
            stepper.reset()
        self.steps = 0

    def step(self, k: int = 1) -> int:
        """k steps of every racer that has not diverged; returns k (the race's clock moves
        on even if every racer has stopped, so the caller decides when to stop)."""
        for stepper in self.steppers.values():
            stepper.step(k)
        self.steps += k
        return k

    def converged_at(self, name: str, tolerance: float) -> int | None:
        """The step at which a racer's loss settled, if it has."""
        return self.steppers[name].history.plateau(WINDOW, tolerance)

    def finished(self, tolerance: float) -> bool:
        """Whether every racer has diverged or converged."""
        return all(
            s.diverged_at is not None or self.converged_at(n, tolerance) is not None
            for n, s in self.steppers.items()
        )

    def paths(self, step: int) -> dict[str, np.ndarray]:
        """Each racer's (weight, bias) rows from the start to `step` (or its last)."""
        return {n: s.history.params[: step + 1] for n, s in self.steppers.items()}

    def standings(self, step: int, minimum, tolerance: float) -> list[Standing]:
        """The leaderboard at `step`: the lowest loss shown first, ties by the step of
        convergence, diverged racers last (see the module's docstring)."""
        minimum = np.asarray(minimum, dtype=np.float64)
        rows = []
        for name, s in self.steppers.items():
            t = min(step, s.steps)
            h = s.history
            converged = self.converged_at(name, tolerance)
            rows.append(
                Standing(
                    name,
                    t,
                    float(h.train_loss[t]),
                    float(np.linalg.norm(h.params[t] - minimum)),
                    converged if converged is not None and converged <= step else None,
                    s.diverged_at if s.diverged_at is not None and s.diverged_at <= step else None,
                )
            )
        return ranked(rows)


def ranked(rows: list[Standing]) -> list[Standing]:
    """The standings in order, each with its rank (see the module's docstring)."""

    def group(r: Standing) -> tuple:  # equal groups tie
        if r.diverged_at is not None:
            return (1, -r.diverged_at)
        return (0, float(shown_loss(r.loss)))

    def order(r: Standing) -> tuple:
        converged = r.converged_at if r.converged_at is not None else float("inf")
        return (*group(r), converged, r.loss, r.distance)

    out: list[Standing] = []
    for _, members in groupby(sorted(rows, key=order), key=group):
        members = list(members)
        rank = len(out) + 1
        out += [replace(r, rank=rank, tied=len(members) > 1) for r in members]
    return out


def valley_rates(data: Dataset, momentum: float, nesterov: float) -> dict[str, float]:
    """The `{name}_lr` settings for SGD, momentum (μ = `momentum`) and Nesterov (μ =
    `nesterov`) on this data: their VALLEY_SHARE of each one's edge on MSE, rounded down to
    two significant digits. The adaptive racers keep theirs: their step is about the rate
    whatever the size of the gradient."""
    critical = critical_learning_rate(data)
    mu = {"sgd": 0.0, "momentum": momentum, "nesterov": nesterov}
    return {
        f"{name}_lr": _round_down(share * critical * edge_factor(name, mu[name]))
        for name, share in VALLEY_SHARE.items()
    }


def _round_down(x: float, digits: int = 2) -> float:
    unit = 10.0 ** (math.floor(math.log10(x)) - digits + 1)
    return float(f"{math.floor(x / unit) * unit:.{digits}g}")
