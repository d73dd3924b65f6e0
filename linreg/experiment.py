"""From Fit a line's settings to a run: the dataset, the start and the stepper.

(What a change of settings means, restart or continue, is decided in one place for every
page: `linreg.ui.session.PageSession`.)"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linreg.data import Dataset, split, synthetic_line
from linreg.settings import Config
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
