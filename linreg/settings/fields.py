"""The settings several pages share, each written once: label, URL key, range and help.

A page's settings class calls these with its own default (and, where a page needs it, its
own upper bound); the label, the URL key, the lower bound and the help are the same on
every page, so they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from linreg.settings.table import DATA, RUN, TRAINING, VIEW, setting

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
