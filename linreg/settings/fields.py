"""The settings several pages share, each written once: label, URL key, range and help.

A page's settings class calls these with its own default (and, where a page needs it, its
own upper bound); the label, the URL key, the lower bound and the help are the same on
every page, so they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from linreg.settings.table import DATA, RUN, TRAINING, VIEW, setting
from linreg.settings.table import SCHEDULE_LABELS as LABELS
from linreg.settings.table import SCHEDULES as KINDS

LEARNING_RATE_LOW = 1e-7  # the smallest rate any page offers (the raw crop data needs ~1e-5)


def seed(default: int = 42, **extra: Any) -> Any:
    return setting(default, "Seed", "seed", DATA, low=0, high=999_999, **extra)


def learning_rate(default: float, high: float = 10.0, help: str = "") -> Any:
    return setting(
        default,
        "Learning rate",
        "lr",
        TRAINING,
        low=LEARNING_RATE_LOW,
        high=high,
        log=True,
        help=help,
    )


def dtype(default: str = "float32", help: str = "", group: str = TRAINING) -> Any:
    choices = (default, "float64" if default == "float32" else "float32")
    return setting(default, "Precision", "dtype", group, choices=choices, help=help)


def batch_size(default: int, high: int, help: str, box: bool = False) -> Any:
    return setting(default, "Batch size", "bs", TRAINING, low=0, high=high, help=help, box=box)


def shuffle() -> Any:
    return setting(True, "Shuffle batches", "shuf", TRAINING)


def steps_per_click(url: str = "k", box: bool = False) -> Any:
    return setting(10, "Steps per click", url, RUN, low=1, high=1000, box=box)


def speed(default: int, high: int = 500, what: str = "steps") -> Any:
    return setting(
        default,
        "Steps per update",
        "speed",
        RUN,
        low=1,
        high=high,
        help=f"How many {what} a live run takes between two redraws.",
    )


def max_steps(default: int = 2000, high: int = 100_000, box: bool = False) -> Any:
    return setting(default, "Max steps", "max", RUN, low=10, high=high, box=box)


def stop_at_convergence() -> Any:
    return setting(True, "Stop at convergence", "stop", RUN)


def tolerance() -> Any:
    return setting(1e-6, "Convergence tolerance", "tol", RUN, low=1e-12, high=1e-2, log=True)


def log_loss(default: bool) -> Any:
    return setting(default, "Log-scale loss", "log", VIEW)


def presenter(help: str = "Large type and thick lines for a projector.") -> Any:
    return setting(False, "Presenter mode", "present", VIEW, help=help)


# ---- learning-rate schedules (linreg.schedules; names as torch.optim.lr_scheduler's) ----
# The bounds keep every combination valid: OneCycleLR's warm-up (pct_start · T) is at least
# 0.05 · 40 = 2 steps, so no rule between fields is needed and any link reads safely.
SCHEDULE_HELP = (
    "How the learning rate changes step by step (torch.optim.lr_scheduler). A change of "
    "any training setting starts the schedule again from that step."
)


def schedule() -> Any:
    return setting(
        "constant",
        "Learning-rate schedule",
        "sched",
        TRAINING,
        choices=KINDS,
        labels=tuple(LABELS.items()),
        help=SCHEDULE_HELP,
    )


def step_size() -> Any:
    return setting(100, "StepLR: steps between drops", "ss", TRAINING, low=1, high=10_000)


def gamma() -> Any:
    return setting(0.5, "StepLR: factor γ at each drop", "sg", TRAINING, low=0.01, high=1.0)


def decay() -> Any:
    return setting(
        0.995, "ExponentialLR: factor per step", "sd", TRAINING, low=0.9, high=1.0, step=0.0005
    )


def eta_min() -> Any:
    return setting(0.0, "Cosine: final rate η_min", "emin", TRAINING, low=0.0, high=1.0)


def pct_start() -> Any:
    return setting(0.3, "OneCycle: warm-up share", "warm", TRAINING, low=0.05, high=0.9, step=0.05)


def div_factor() -> Any:
    return setting(
        25.0, "OneCycle: starts at lr ÷", "div", TRAINING, low=1.0, high=1000.0, log=True
    )


def final_div_factor() -> Any:
    return setting(1e4, "OneCycle: ends at start ÷", "fdiv", TRAINING, low=1.0, high=1e6, log=True)


def schedule_steps(default: int = 1000) -> Any:
    return setting(
        default,
        "Schedule length T (steps)",
        "T",
        TRAINING,
        low=40,
        high=100_000,
        box=True,
        help="Cosine and OneCycle end after T steps (counted from the last change) and then "
        "hold their last rate.",
    )


SCHEDULE_FIELDS = (
    "schedule",
    "step_size",
    "gamma",
    "decay",
    "eta_min",
    "pct_start",
    "div_factor",
    "final_div_factor",
    "schedule_steps",
)
# The settings each schedule reads (the sidebar shows only these).
SCHEDULE_SETTINGS = {
    "constant": (),
    "step": ("step_size", "gamma"),
    "exponential": ("decay",),
    "cosine": ("eta_min", "schedule_steps"),
    "onecycle": ("pct_start", "div_factor", "final_div_factor", "schedule_steps"),
}


def schedule_order(kind: str) -> tuple[str, ...]:
    """The schedules' settings, those `kind` reads first."""
    own = SCHEDULE_SETTINGS[kind]
    return own + tuple(n for n in SCHEDULE_FIELDS[1:] if n not in own)
