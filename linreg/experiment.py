"""From a page's settings to a run: the dataset, the start, the stepper, and a live tick."""

from __future__ import annotations

import numpy as np

from linreg.data import Dataset, split, synthetic_line
from linreg.settings import DATA, START, TRAINING, Config
from linreg.trainer import Stepper, TrainSpec, initial_params


def dataset(config: Config) -> Dataset:
    """The synthetic 1-D data the settings describe, split into train and test."""
    x, y = synthetic_line(
        config.true_weight,
        config.true_bias,
        config.noise,
        config.n_points,
        config.x_min,
        config.x_max,
        config.outlier_fraction,
        config.outlier_size,
        config.seed,
    )
    return split(x, y, config.train_fraction, config.split, config.seed)


def start(config: Config) -> np.ndarray:
    """The starting (weight, bias): given, or nn.Linear's own random init from the seed."""
    if config.init == "random":
        return initial_params(1, 1, config.seed)
    return np.array([config.init_weight, config.init_bias])


def new_stepper(config: Config, data: Dataset | None = None) -> Stepper:
    """A fresh run for these settings."""
    return Stepper(
        data if data is not None else dataset(config), TrainSpec.from_config(config), start(config)
    )


def restarts(old: Config, new: Config) -> bool:
    """Whether going from old to new settings needs a fresh run (data or start changed)."""
    return any(group in (DATA, START) for group in new.changed(old).values())


def retrains(old: Config, new: Config) -> list[str]:
    """The training settings that differ (the run continues with them)."""
    return [name for name, group in new.changed(old).items() if group == TRAINING]


def advance(stepper: Stepper, config: Config) -> str:
    """One live tick: up to `speed` steps. Returns why the run should stop, or ''."""
    room = config.max_steps - stepper.steps
    if room <= 0:
        return f"Reached the maximum of {config.max_steps} steps."
    stepper.step(
        min(config.speed, room),
        stop_at_convergence=config.stop_at_convergence,
        tolerance=config.tolerance,
    )
    if stepper.diverged_at is not None:
        return stepper.message
    if config.stop_at_convergence and stepper.converged_at is not None:
        return stepper.message
    if stepper.steps >= config.max_steps:
        return f"Reached the maximum of {config.max_steps} steps."
    return ""
