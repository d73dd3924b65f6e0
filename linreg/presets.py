"""Lesson presets: named settings for a page, each with what to notice.

A preset is only the settings that differ from its page's defaults; opening its link
applies exactly those on top of the defaults. Most lessons open the live page ("Fit a
line", whose defaults are seed 000); a preset names another page and its settings class
when it needs that page.
"""

from __future__ import annotations

from dataclasses import dataclass

from linreg.settings import Config, Settings, table

FIT_PAGE = "pages/1_Fit_a_line.py"


@dataclass(frozen=True)
class Preset:
    """One lesson: a title, what to notice, and the settings it changes."""

    key: str
    title: str
    notice: str
    changes: dict
    page: str = FIT_PAGE
    settings: type[Settings] = Config

    @property
    def config(self) -> Settings:
        return table(self.settings).defaults.replace(**self.changes)

    @property
    def query(self) -> dict[str, str]:
        """The link's query parameters (settings that differ from the defaults)."""
        return table(self.settings).to_query(self.config)


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
        "Unscaled features",
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
        "adam",
        "Adam vs SGD",
        "Adam scales each parameter's step by its own gradient history: it heads for the "
        "minimum at an even pace, then hovers near it. Switch the optimizer to SGD to compare.",
        {"loss": "mse", "optimizer": "adam", "learning_rate": 0.05, "noise": 0.1},
    ),
]
BY_KEY = {p.key: p for p in PRESETS}
