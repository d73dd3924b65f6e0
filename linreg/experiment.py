"""From a page's settings to a run: the dataset, the start, the stepper, and a live tick."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linreg.data import Dataset, split, synthetic_line
from linreg.settings import DATA, START, TRAINING, Config
from linreg.trainer import Stepper, TrainSpec, initial_params


@dataclass(frozen=True, eq=False)
class OwnData:
    """1-D data a user brought: two columns of their CSV file."""

    name: str
    x: np.ndarray
    y: np.ndarray
    x_label: str
    y_label: str

    @property
    def key(self) -> tuple:
        """What identifies this data (file, columns, values)."""
        return self.name, self.x_label, self.y_label, hash(self.x.tobytes() + self.y.tobytes())


def dataset(config: Config, own: OwnData | None = None) -> Dataset:
    """The user's own data if given, else the synthetic 1-D data the settings describe;
    split into train and test by the settings either way."""
    if own is not None:
        return split(
            own.x,
            own.y,
            config.train_fraction,
            config.split,
            config.seed,
            [own.x_label],
            [own.y_label],
        )
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


def new_stepper(config: Config, data: Dataset | None = None, own: OwnData | None = None) -> Stepper:
    """A fresh run for these settings, on `data` (or the data the settings and `own` give)."""
    data = data if data is not None else dataset(config, own)
    return Stepper(data, TrainSpec.from_config(config), start(config))


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
