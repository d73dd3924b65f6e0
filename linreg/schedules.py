"""Learning-rate schedules, through `torch.optim.lr_scheduler`, one scheduler step per
optimizer step.

With η the base learning rate, s the number of optimizer steps already taken (the step
about to be taken uses η_s) and T the schedule's horizon (`total_steps`), torch's documented
formulas are:

    constant      η_s = η                                       (ConstantLR, factor 1)
    StepLR        η_s = η · γ^⌊s / step_size⌋
    ExponentialLR η_s = η · decay^s
    Cosine        η_s = η_min + (η - η_min)(1 + cos(π s / T)) / 2        (CosineAnnealingLR)
    OneCycleLR    warm up from η/div_factor to η over the first pct_start·T steps, then
                  anneal to η/(div_factor·final_div_factor) at step T - 1; both halves
                  are cosine: a + (b - a)(1 - cos(π p)) / 2 for p from 0 to 1

Past its horizon (T for the cosine, T - 1 for one cycle) the rate is held where it ended:
torch's cosine would climb back up and OneCycleLR refuses to step on, but a lecture may run
longer than planned. `Scheduler` does that holding; `rates` gives the same numbers from the
formulas, without an optimizer (the tests check one against the other).

OneCycleLR is built with `cycle_momentum=False`: by default it would also cycle SGD's
momentum (0.85 to 0.95), silently turning plain SGD into heavy ball.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from torch.optim import lr_scheduler

from linreg.errors import SettingsError
from linreg.settings.table import SCHEDULE_LABELS, SCHEDULES

KINDS, LABELS = SCHEDULES, SCHEDULE_LABELS  # named in the settings table (no torch there)


@dataclass(frozen=True)
class Schedule:
    """Which schedule and its settings (names as torch's, where torch has one)."""

    kind: str = "constant"
    step_size: int = 100  # StepLR: steps between drops
    gamma: float = 0.5  # StepLR: the factor at each drop
    decay: float = 0.995  # ExponentialLR: the factor per step (torch's gamma)
    eta_min: float = 0.0  # CosineAnnealingLR: the rate it ends at
    pct_start: float = 0.3  # OneCycleLR: the share of the steps spent warming up
    div_factor: float = 25.0  # OneCycleLR: starts at learning_rate / div_factor
    final_div_factor: float = 1e4  # OneCycleLR: ends at the start rate / final_div_factor

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise SettingsError(f"Unknown schedule {self.kind!r}: one of {', '.join(KINDS)}.")
        if self.step_size < 1 or not 0 < self.gamma <= 1 or not 0 < self.decay <= 1:
            raise SettingsError("StepLR needs step_size ≥ 1; γ and the decay lie in (0, 1].")
        if self.eta_min < 0 or not 0 < self.pct_start < 1:
            raise SettingsError("η_min must be ≥ 0 and the warm-up share in (0, 1).")
        if self.div_factor < 1 or self.final_div_factor < 1:
            raise SettingsError("OneCycleLR's division factors must be at least 1.")


def horizon(schedule: Schedule, total_steps: int) -> int | None:
    """The last scheduler step that changes the rate (None: the schedule never ends)."""
    if schedule.kind == "cosine":
        return total_steps
    if schedule.kind == "onecycle":
        if schedule.pct_start * total_steps < 2:
            raise SettingsError(
                "OneCycleLR needs at least 2 warm-up steps: more steps or a larger warm-up share."
            )
        return total_steps - 1
    return None


def make_scheduler(schedule: Schedule, optimizer, total_steps: int):
    """The torch.optim.lr_scheduler for `schedule` on `optimizer`, whose lr is the base rate
    (OneCycleLR's peak). Build it after the optimizer; step it after each optimizer step."""
    base = optimizer.param_groups[0]["lr"]
    kind, total_steps = schedule.kind, int(total_steps)
    if kind == "constant":
        return lr_scheduler.ConstantLR(optimizer, factor=1.0, total_iters=0)
    if kind == "step":
        return lr_scheduler.StepLR(optimizer, step_size=schedule.step_size, gamma=schedule.gamma)
    if kind == "exponential":
        return lr_scheduler.ExponentialLR(optimizer, gamma=schedule.decay)
    if kind == "cosine":
        return lr_scheduler.CosineAnnealingLR(
            optimizer, T_max=total_steps, eta_min=schedule.eta_min
        )
    horizon(schedule, total_steps)  # checks the warm-up is long enough
    return lr_scheduler.OneCycleLR(
        optimizer,
        max_lr=base,
        total_steps=total_steps,
        pct_start=float(schedule.pct_start),
        div_factor=schedule.div_factor,
        final_div_factor=schedule.final_div_factor,
        cycle_momentum=False,
    )


class Scheduler:
    """A torch scheduler stepped once per optimizer step and held at its horizon."""

    def __init__(self, schedule: Schedule, optimizer, total_steps: int):
        self.schedule, self.optimizer = schedule, optimizer
        self.torch = make_scheduler(schedule, optimizer, total_steps)
        self.horizon = horizon(schedule, total_steps)

    @property
    def rate(self) -> float:
        """The learning rate the next optimizer step will use."""
        return float(self.optimizer.param_groups[0]["lr"])

    def step(self) -> None:
        if self.horizon is None or self.torch.last_epoch < self.horizon:
            self.torch.step()


def rates(schedule: Schedule, base_lr: float, steps: int, total_steps: int | None = None):
    """The rate each of `steps` optimizer steps uses (entry s: the step taken after s
    steps), from the formulas above; `total_steps` (default `steps`) is the horizon T."""
    total = int(total_steps or steps)
    end = horizon(schedule, total)
    s = np.arange(steps, dtype=np.float64)
    if end is not None:
        s = np.minimum(s, end)
    kind, lr = schedule.kind, float(base_lr)
    if kind == "constant":
        return np.full(steps, lr)
    if kind == "step":
        return lr * schedule.gamma ** np.floor(s / schedule.step_size)
    if kind == "exponential":
        return lr * schedule.decay**s
    if kind == "cosine":
        return schedule.eta_min + (lr - schedule.eta_min) * (1 + np.cos(np.pi * s / total)) / 2
    start = lr / schedule.div_factor
    low = start / schedule.final_div_factor
    warm_end = schedule.pct_start * total - 1
    up = _cosine_between(start, lr, s / warm_end)
    down = _cosine_between(lr, low, (s - warm_end) / (total - 1 - warm_end))
    return np.where(s <= warm_end, up, down)


def _cosine_between(a: float, b: float, p):
    """From a (p = 0) to b (p = 1) along half a cosine wave."""
    return b + (a - b) * (np.cos(np.pi * p) + 1) / 2


def code(schedule: Schedule, total_steps: int) -> str:
    """The scheduler's line of Python, as the page's code view prints it."""
    s, name = schedule, "torch.optim.lr_scheduler."
    args = {
        "constant": "ConstantLR(optimizer, factor=1.0, total_iters=0)",
        "step": f"StepLR(optimizer, step_size={s.step_size}, gamma={s.gamma:g})",
        "exponential": f"ExponentialLR(optimizer, gamma={s.decay:g})",
        "cosine": f"CosineAnnealingLR(optimizer, T_max={total_steps}, eta_min={s.eta_min:g})",
        "onecycle": f"OneCycleLR(optimizer, max_lr=lr, total_steps={total_steps}, "
        f"pct_start={s.pct_start:g}, div_factor={s.div_factor:g}, "
        f"final_div_factor={s.final_div_factor:g}, cycle_momentum=False)",
    }[s.kind]
    return f"scheduler = {name}{args}"


__all__ = ["KINDS", "LABELS", "Schedule", "Scheduler", "code", "horizon", "make_scheduler", "rates"]
