"""The "Many features" page's state, kept per browser session, and how settings apply.

Changing the data, the start or standardisation restarts the run; a new learning rate,
schedule, batch size, shuffle or precision continues from the current parameters (on the run's
timeline, see `PageSession`); switching the way (from scratch / built-ins) or the
comparison never loses the run: the other way is replayed through the same steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linreg import features
from linreg.data import Dataset, crop_yields, split
from linreg.landscape import optimum
from linreg.settings import table
from linreg.settings.features import FeaturesConfig
from linreg.settings.fields import SCHEDULE_FIELDS
from linreg.trainer import initial_params
from linreg.ui.session import PageSession

TABLE = table(FeaturesConfig)
KEY = "features"  # this page's run in st.session_state


@dataclass(frozen=True, eq=False)
class OwnTable:
    """Columns a user picked from their CSV file: features X (n, d) and targets Y (n, k)."""

    name: str
    x: np.ndarray
    y: np.ndarray
    x_names: tuple[str, ...]
    y_names: tuple[str, ...]

    @property
    def key(self) -> tuple:
        return self.name, self.x_names, self.y_names, hash(self.x.tobytes() + self.y.tobytes())


class Run(PageSession):
    """One session's run on Many features: the data (raw and as trained), the two ways in
    lockstep, and the least-squares optimum."""

    KEY = KEY
    TABLE = TABLE
    TIMELINE = ("learning_rate", "batch_size", "shuffle", "dtype", *SCHEDULE_FIELDS)
    RESTARTS = ("standardise",)

    def build(self) -> None:
        config = self.config
        self.raw, self.data_note = raw_data(config, self.own)
        if config.standardise:
            self.data, self.scaler = features.standardise(self.raw)
        else:
            self.data, self.scaler = self.raw, None
        start = initial_params(self.data.n_features, self.data.n_targets, config.init_seed)
        self.lock = features.Lockstep(
            self.data, spec_of(config), start, config.mode, config.compare
        )
        self.best = optimum(self.data)  # least-squares θ in the trained units
        self.batch_plan: features.BatchPlan | None = None  # this epoch's batches, as needed

    @property
    def stepper(self):
        return self.lock.main

    def advance(self, k: int, stop_at_convergence: bool = False) -> None:
        self.lock.step(k, stop_at_convergence)

    def continue_with(self, config: FeaturesConfig, names: list[str]) -> None:
        self.lock.configure(spec_of(config))

    def adjust(self, config: FeaturesConfig, changed: dict[str, str]) -> None:
        if "compare" in changed:
            self.lock.set_compare(config.compare)
        if "mode" in changed:
            self.lock.set_mode(config.mode)
            self.notice = f"Now showing the {_way(config.mode)} run (the same steps, replayed)."

    def restart_note(self, names: list[str]) -> str:
        if "standardise" in names:
            return "Standardisation changed the features, so the run restarted from step 0."
        return "The data or the start changed, so the run restarted from step 0."


def raw_data(config: FeaturesConfig, own: OwnTable | None) -> tuple[Dataset, str]:
    """The data the settings (and an uploaded file) describe, and a note if it fell back."""
    if config.source == "synthetic":
        x, y = features.synthetic(
            config.true_weight(),
            config.true_bias(),
            config.noise,
            config.n_points,
            config.spread,
            config.seed,
        )
        d, k = config.n_features, config.n_targets
        return split(
            x,
            y,
            1.0,
            feature_names=[f"x{i + 1}" for i in range(d)],
            target_names=[f"y{j + 1}" for j in range(k)],
        ), ""
    if config.source == "csv":
        if own is None:
            return crop_yields(15), (
                "Data is set to your CSV, but no file is loaded (a link cannot carry one): "
                "showing the 15 crop rows until you upload one in the sidebar."
            )
        return split(own.x, own.y, 1.0, feature_names=own.x_names, target_names=own.y_names), ""
    return crop_yields(5 if config.source == "crop5" else 15), ""


def spec_of(config: FeaturesConfig):
    return features.train_spec(
        config.learning_rate,
        config.batch_size,
        config.shuffle,
        config.dtype,
        config.init_seed,
        **{name: getattr(config, name) for name in SCHEDULE_FIELDS},
    )


def _way(mode: str) -> str:
    return "from-scratch" if mode == "scratch" else "built-ins"
