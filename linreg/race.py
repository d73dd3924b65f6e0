"""A race: several optimizers on the same data from the same start, stepped in lockstep.

Each racer is an ordinary `Stepper` (nn.Linear + torch.optim) with its own `TrainSpec`, so
a racer's path is exactly the path a separate run with that spec takes. A step of the race
is one step of every racer still running; a racer that diverges stops there (its history
ends), the others go on.

A racer has *converged* at the first step t where its loss has settled (`history.settled`:
over a window of W = 50 steps the best loss improved by less than the tolerance, relative,
and the loss is not growing). Its distance to the minimum is ‖θ_t − θ*‖ with θ* the
minimum of the chosen loss (`landscape.optimum`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linreg.data import Dataset
from linreg.trainer import WINDOW, Stepper, TrainSpec


@dataclass(frozen=True)
class Standing:
    """One racer's line on the leaderboard, at the step on show."""

    name: str
    step: int  # the step shown for this racer (its last one if it stopped earlier)
    loss: float
    distance: float  # to the minimum of the loss
    converged_at: int | None
    diverged_at: int | None


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
        """The leaderboard at `step`: the lowest loss first, diverged racers last."""
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
        return sorted(rows, key=lambda r: (r.diverged_at is not None, r.loss))
