"""The "Many features" page's code of both ways runs as shown and prints the page's numbers.

Each program is run as a separate Python process and its printed step, train MSE and
parameters are compared with an engine run of the same settings (the from-scratch or
built-ins stepper, itself checked against NumPy in test_features.py), and for a float64
run with shuffled batches with NumPy gradient descent over the tutorial's own DataLoader
batches (test_features' oracles). The page test checks that the code on show is that
program, for the step on show, and that what it prints is what the page's metric says.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import numpy as np
import pytest
from cases import CROP
from pagetest import Page
from test_features import numpy_descent, tutorial_batches

from linreg import features
from linreg.data import crop_yields, split
from linreg.features_code import program
from linreg.settings.features import FeaturesConfig
from linreg.trainer import initial_params

PRINTED = re.compile(r"^(step|train MSE|weight in raw units|bias in raw units|weight|bias) (.+)$")


def run_program(code: str) -> dict:
    """Run the program in a fresh interpreter; its printed numbers by name."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    out = {}
    for line in done.stdout.splitlines():
        name, value = PRINTED.match(line).groups()
        out[name] = ast.literal_eval(value)
    return out


def raw_data(c: FeaturesConfig):
    """The page's rows for these settings (crop tables or synthetic, in the raw units)."""
    if c.source == "synthetic":
        x, y = features.synthetic(
            c.true_weight(), c.true_bias(), c.noise, c.n_points, c.spread, c.seed
        )
        return split(x, y, 1.0)
    return crop_yields(5 if c.source == "crop5" else 15)


def engine(c: FeaturesConfig, mode: str, steps: int):
    """The engine's run of these settings: (history, scaler or None)."""
    raw = raw_data(c)
    data, scaler = features.standardise(raw) if c.standardise else (raw, None)
    start = initial_params(data.n_features, data.n_targets, c.init_seed)
    spec = features.train_spec(c.learning_rate, c.batch_size, c.shuffle, c.dtype, c.init_seed)
    stepper = features.stepper(mode, data, spec, start)
    assert stepper.step(steps) == steps
    return stepper.history, scaler


DEFAULT = FeaturesConfig()
CASES = [
    # the case: the tutorial's 15 rows, batches of 5, 100 epochs = 300 steps
    ("builtins", DEFAULT, 300),
    ("scratch", DEFAULT, 300),
    ("scratch", DEFAULT.replace(source="crop5", batch_size=0, dtype="float64"), 100),
    ("builtins", DEFAULT.replace(source="crop5", batch_size=2, shuffle=False), 7),
    (
        "builtins",
        DEFAULT.replace(standardise=True, learning_rate=0.5, batch_size=4, dtype="float64"),
        61,
    ),
    ("scratch", DEFAULT.replace(standardise=True, learning_rate=0.1, init_seed=7), 40),
    (
        "scratch",
        DEFAULT.replace(source="synthetic", standardise=True, batch_size=7, learning_rate=0.05),
        37,
    ),
    (
        "builtins",
        DEFAULT.replace(
            source="synthetic",
            n_features=4,
            n_targets=3,
            n_points=30,
            spread=100.0,
            batch_size=0,
            learning_rate=1e-5,
            dtype="float64",
        ),
        50,
    ),
    ("builtins", DEFAULT, 0),
]


@pytest.mark.parametrize(("mode", "config", "steps"), CASES)
def test_the_program_prints_the_engines_numbers(mode, config, steps):
    """The same steps bit for bit: the same parameters exactly. The printed loss is the
    program's own float32 (or float64) sum; a float32 MSE of residuals ~2 on targets ~100
    carries ~1e-6 relative rounding, so both it and the page's are checked against the
    float64 MSE at those parameters, to 1e-5 (float32) or 1e-12 (float64)."""
    raw = raw_data(config)
    printed = run_program(program(mode, config, raw, steps))
    history, scaler = engine(config, mode, steps)
    k, d = raw.n_targets, raw.n_features
    theta = history.params[steps]
    assert printed["step"] == steps
    np.testing.assert_array_equal(printed["weight"], theta[: k * d].reshape(k, d))
    np.testing.assert_array_equal(printed["bias"], theta[k * d :])
    trained = features.standardise(raw)[0] if scaler is not None else raw
    w, b = theta[: k * d].reshape(k, d), theta[k * d :]
    exact = np.mean((trained.x_train @ w.T + b - trained.y_train) ** 2)
    rtol = 1e-5 if config.dtype == "float32" else 1e-12
    np.testing.assert_allclose(printed["train MSE"], exact, rtol=rtol)
    np.testing.assert_allclose(history.train_loss[steps], exact, rtol=rtol)
    if scaler is not None:
        raw_theta = scaler.to_original(theta, k)
        np.testing.assert_allclose(
            printed["weight in raw units"], raw_theta[: k * d].reshape(k, d), rtol=1e-6
        )
        np.testing.assert_allclose(printed["bias in raw units"], raw_theta[k * d :], rtol=1e-6)
        # the same model: its predictions on the raw rows give the printed loss
        w, b = np.array(printed["weight in raw units"]), np.array(printed["bias in raw units"])
        np.testing.assert_allclose(
            np.mean((raw.x_train @ w.T + b - raw.y_train) ** 2), printed["train MSE"], rtol=1e-5
        )
    else:
        assert "weight in raw units" not in printed


def test_float64_program_is_numpy_descent_over_the_tutorials_batches():
    c = DEFAULT.replace(dtype="float64", learning_rate=2e-5)
    steps = 3 * 40 + 2  # 40 epochs of 3 batches, and two batches of the next
    printed = run_program(program("builtins", c, raw_data(c), steps))
    batches = [b for epoch in tutorial_batches(15, 5, c.init_seed, 41) for b in epoch][:steps]
    x, y = np.tile(CROP[:, :3], (3, 1)), np.tile(CROP[:, 3:], (3, 1))
    oracle = numpy_descent(x, y, initial_params(3, 2, c.init_seed), c.learning_rate, batches)[-1]
    np.testing.assert_allclose(printed["weight"], oracle[:6].reshape(2, 3), rtol=1e-10)
    np.testing.assert_allclose(printed["bias"], oracle[6:], rtol=1e-10)
    w, b = oracle[:6].reshape(2, 3), oracle[6:]
    np.testing.assert_allclose(printed["train MSE"], np.mean((x @ w.T + b - y) ** 2), rtol=1e-10)


def test_a_users_column_names_stay_inside_strings():
    table = split(CROP[:, :3], CROP[:, 3:], 1.0, feature_names=["a\nimport os", "b", "c"])
    code = program("scratch", DEFAULT.replace(source="csv"), table, 3)
    assert "\nimport os" not in code
    assert run_program(code)["step"] == 3


driver = Page("pages/2_Many_features.py", prefix="features", state="features")


def test_the_page_shows_the_program_for_the_step_on_show():
    at = driver.open(step="300")
    run = driver.run_of(at)
    shown = {c.value.strip() for c in at.code}
    for mode in features.MODES:
        assert program(mode, run.config, run.raw, 300).strip() in shown
    code = program(run.config.mode, run.config, run.raw, 300)
    printed = run_program(code)
    metric = {m.label: m.value for m in at.metric}["Train MSE"]
    assert f"{printed['train MSE']:.4g}" == metric  # the page shows 4 significant digits
    assert printed["train MSE"] == pytest.approx(run.stepper.history.train_loss[300], rel=1e-6)
