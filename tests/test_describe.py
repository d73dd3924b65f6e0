"""The charts' text alternatives (linreg.figures.describe) say the engine's own numbers."""

from __future__ import annotations

import math

import numpy as np

from linreg import experiment, scene
from linreg.figures import describe
from linreg.settings.fit import Config


def test_fit_views_says_the_step_and_parameters_the_engine_recorded():
    config = Config()
    stepper = experiment.new_stepper(config)
    stepper.step(40)
    fr = scene.frame(stepper.history, 25)  # a step scrubbed back to, not the newest
    n_train, n_test = len(stepper.data.x_train), len(stepper.data.x_test)
    text = describe.fit_views(fr.step, *fr.params, fr.train_loss, fr.test_loss, n_train, n_test)
    weight, bias = stepper.history.params[25]
    assert "step 25" in text and "step 40" not in text
    assert f"weight {weight:.4g}" in text and f"bias {bias:.4g}" in text
    assert f"train loss {stepper.history.train_loss[25]:.4g}" in text
    assert f"{n_train} train points" in text
    assert n_train + n_test == config.n_points


def test_fit_views_without_test_points_says_none():
    text = describe.fit_views(3, 0.5, -1.0, 0.25, math.nan, 10, 0)
    assert "10 train points." in text and "test" not in text.replace("at step 3", "")


def test_numbers_that_are_not_finite_are_said_in_words():
    assert describe.number(math.nan) == "not a number"
    assert describe.number(-math.inf) == "minus infinity"
    assert describe.number(1 / 3) == "0.3333"


def test_race_and_scratch_name_every_racer_and_weight():
    text = describe.race_views(7, {"SGD": 0.5, "Adam": np.float64(0.125)})
    assert "step 7" in text and "SGD 0.5" in text and "Adam 0.125" in text
    text = describe.scratch_views(4, (10.0, 19.5), 0.0625)
    assert "epoch 4" in text and "w1 = 10" in text and "w2 = 19.5" in text
