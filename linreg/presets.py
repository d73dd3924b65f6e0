"""Lesson presets: named settings for a page, each with what to notice.

A preset is only the settings that differ from its page's defaults; opening its link
applies exactly those on top of the defaults. Most lessons open the live page ("Fit a
line", whose defaults are seed 000); a preset names another page and its settings class
when it needs that page.
"""

from __future__ import annotations

from dataclasses import dataclass

from linreg.settings import Config, Settings, table
from linreg.settings.features import FeaturesConfig
from linreg.settings.race import RaceConfig
from linreg.settings.scratch import ScratchConfig

FIT_PAGE = "pages/1_Fit_a_line.py"
FEATURES_PAGE = "pages/2_Many_features.py"
SCRATCH_PAGE = "pages/3_From_scratch.py"
RACE_PAGE = "pages/4_Optimizers.py"


@dataclass(frozen=True)
class Preset:
    """One lesson: a title, what to notice, and the settings it changes."""

    key: str
    title: str
    notice: str
    changes: dict
    page: str = FIT_PAGE
    settings: type[Settings] = Config
    step: int = 0  # the step the lesson opens at (the run is replayed to it)

    @property
    def config(self) -> Settings:
        return table(self.settings).defaults.replace(**self.changes)

    @property
    def query(self) -> dict[str, str]:
        """The link's query parameters (settings that differ from the defaults)."""
        return table(self.settings).to_query(self.config)

    @property
    def link(self) -> dict[str, str]:
        """The query parameters that open the lesson: its key, its settings, its step."""
        step = {"step": str(self.step)} if self.step else {}
        return {"lesson": self.key, **self.query, **step}


# The race's narrow valley: x far from 0, and only the racers a lesson compares.
_VALLEY = dict(x_min=5.0, x_max=10.0, momentum=False, nesterov=False, rmsprop=False)

PRESETS = [
    Preset(
        "seed000",
        "Seed 000 as written",
        "L1 loss and SGD at 0.01 fit y = 0.8x + 0.2; the loss stops falling near step 400 "
        "and the test loss follows the train loss down.",
        {},
    ),
    Preset(
        "too-large",
        "Learning rate too large",
        "Above 2/λmax each step overshoots the valley further than the last: the path "
        "zig-zags outwards and the run diverges within a few steps.",
        {"loss": "mse", "learning_rate": 0.7, "noise": 0.1},
    ),
    Preset(
        "too-small",
        "Learning rate too small",
        "Every step goes the right way, but so little that after 2,000 steps the line has "
        "barely moved.",
        {"loss": "mse", "learning_rate": 0.0003, "noise": 0.1},
    ),
    Preset(
        "outliers",
        "Outliers: MSE vs MAE vs Huber",
        "Ten percent of the points sit 4 above the line. MSE's minimum (the red ×) is pulled "
        "up towards them; switch the loss to MAE or Huber and the minimum returns to the "
        "truth (the star).",
        {
            "loss": "mse",
            "learning_rate": 0.1,
            "noise": 0.1,
            "outlier_fraction": 0.1,
            "outlier_size": 4.0,
        },
    ),
    Preset(
        "unscaled",
        "Unscaled x: a zig-zag, cured by momentum",
        "x runs from 5 to 10, far from 0, so the loss is a long, narrow, tilted valley "
        "(λmax/λmin ≈ 2,000). SGD just under 2/λmax zig-zags across it and crawls along it. "
        "Switch the optimizer to SGD + momentum with a learning rate of 0.005: it crosses "
        "smoothly and reaches the minimum in far fewer steps.",
        {
            "loss": "mse",
            "learning_rate": 0.018,
            "noise": 0.2,
            "x_min": 5.0,
            "x_max": 10.0,
            "max_steps": 5000,
        },
    ),
    Preset(
        "unscaled-features",
        "Unscaled features, cured by standardising",
        "Raw crop features sit near 70-100, so the loss curves about 2 million times more "
        "steeply one way than another (λmax/λmin): at the tutorial's lr 1e-5 the loss is "
        "still near 100 after 200 full-batch steps and needs thousands more. Turn on "
        "Standardise features, press Use ½ × critical rate (lr 0.5) and take 30 steps: the "
        "loss is then 0.485, next to the least-squares 0.483.",
        {"batch_size": 0},
        FEATURES_PAGE,
        FeaturesConfig,
        step=200,
    ),
    Preset(
        "mini-batch",
        "Mini-batch noise",
        "With batches of 4 points each step sees a different slice of the data: the path "
        "jitters around the full-batch direction and never quite settles.",
        {"loss": "mse", "learning_rate": 0.1, "noise": 0.3, "batch_size": 4},
    ),
    Preset(
        "momentum",
        "Momentum",
        "Momentum keeps part of the last step: the path swings past the minimum and spirals "
        "in, faster along the valley than plain SGD.",
        {"loss": "mse", "optimizer": "momentum", "learning_rate": 0.05, "noise": 0.1},
    ),
    Preset(
        "float32-stalls",
        "float32 stalls (seed 002)",
        "Seed 002 in float32 freezes at w = [10.0429, 19.9661] after 250,972 epochs: the "
        "gradient is not zero, but lr·gradient is at most half the gap between neighbouring "
        "float32 numbers, so every update rounds away. float64 goes on to "
        "[10.00000008, 19.99999994].",
        {"dtype": "float32", "long_run": True, "way": "autograd"},
        SCRATCH_PAGE,
        ScratchConfig,
    ),
    Preset(
        "adam-vs-sgd",
        "Adam vs SGD",
        "With x from 5 to 10 the loss is a long, narrow valley. SGD's rate is capped by the "
        "steep side (2/λmax ≈ 0.017; it runs at 0.015), so it crawls along the flat floor "
        "and is still far from the minimum after 2,000 steps; Adam scales each coordinate by "
        "its own gradient history and settles by step ≈ 500.",
        {**_VALLEY, "adagrad": False, "sgd_lr": 0.015, "adam_lr": 1.0, "sweep_optimizer": "adam"},
        RACE_PAGE,
        RaceConfig,
    ),
    Preset(
        "heavy-ball",
        "Momentum rolls along the valley floor",
        "Same narrow valley: SGD at its fastest stable rate against momentum (μ = 0.9) at a "
        "fifth of it. Momentum's velocity builds up along the flat floor, so it ends up about "
        "nine times nearer the minimum after 2,000 steps.",
        {
            **_VALLEY,
            "adam": False,
            "adagrad": False,
            "momentum": True,
            "sgd_lr": 0.015,
            "momentum_lr": 0.003,
        },
        RACE_PAGE,
        RaceConfig,
    ),
]
BY_KEY = {p.key: p for p in PRESETS}
