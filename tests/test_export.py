"""Exports: the CSV parses back to the history, and the generated PyTorch script, run as a
separate program, lands where the engine does."""

import csv
import io
import re
import subprocess
import sys

import numpy as np
import pytest

from linreg import experiment
from linreg.export import history_csv, pytorch_script, safe_cell
from linreg.landscape import param_names
from linreg.settings import DEFAULTS

CASES = {
    "seed000": dict(),
    "momentum-minibatch-float64": dict(
        loss="mse",
        optimizer="momentum",
        learning_rate=0.05,
        batch_size=8,
        noise=0.2,
        dtype="float64",
    ),
    "adam-huber-shuffled": dict(
        loss="huber",
        huber_delta=0.3,
        optimizer="adam",
        learning_rate=0.05,
        split="shuffled",
        outlier_fraction=0.1,
        noise=0.1,
        dtype="float64",
    ),
    "rmsprop-stochastic": dict(
        loss="mae", optimizer="rmsprop", learning_rate=0.01, batch_size=1, shuffle=False, seed=7
    ),
}


def engine_run(config, steps, own=None):
    stepper = experiment.new_stepper(config, own=own)
    stepper.step(steps)
    return stepper


def run_script(tmp_path, text: str) -> dict[str, float]:
    path = tmp_path / "linreg_run.py"
    path.write_text(text)
    done = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=tmp_path,
    )
    return {k: float(v) for k, v in (line.split() for line in done.stdout.splitlines())}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_script_lands_where_the_engine_does(tmp_path, name):
    config = DEFAULTS.replace(**CASES[name])
    stepper = engine_run(config, 60)
    got = run_script(tmp_path, pytorch_script(config, stepper.history.params[0], 60))
    tol = 1e-9 if config.dtype == "float64" else 2e-5
    assert got["steps"] == 60
    assert got["weight"] == pytest.approx(stepper.params[0], abs=tol)
    assert got["bias"] == pytest.approx(stepper.params[1], abs=tol)
    assert got["train_loss"] == pytest.approx(stepper.history.train_loss[-1], rel=1e-4, abs=tol)


def test_user_names_are_data_not_code(tmp_path):
    """Column and file names that look like code, quotes or formulas stay inert strings."""
    nasty = "x'); import os; os.system('echo pwned') #\n\"=cmd|'/C calc'!A0"
    own = experiment.OwnData(
        nasty + ".csv",
        np.linspace(0, 1, 20),
        np.linspace(1, 3, 20),
        nasty,
        '=HYPERLINK("http://x")',
    )
    config = DEFAULTS.replace(loss="mse", learning_rate=0.1, dtype="float64")
    stepper = engine_run(config, 30, own)
    text = pytorch_script(config, stepper.history.params[0], 30, own)
    compile(text, "linreg_run.py", "exec")  # still valid Python
    got = run_script(tmp_path, text)
    assert "pwned" not in "".join(map(str, got))
    assert got["weight"] == pytest.approx(stepper.params[0], abs=1e-9)


def test_the_csv_parses_back_to_the_history():
    config = DEFAULTS.replace(loss="mse", learning_rate=0.1, dtype="float64")
    stepper = engine_run(config, 25)
    names = param_names(stepper.data)
    rows = list(csv.reader(io.StringIO(history_csv(stepper.history, names))))
    assert rows[0] == [
        "step",
        "weight",
        "bias",
        "grad_weight",
        "grad_bias",
        "train_loss",
        "test_loss",
    ]
    table = np.array(rows[1:], dtype=float)
    h = stepper.history
    assert table.shape == (26, 7)
    np.testing.assert_array_equal(table[:, 0], np.arange(26))
    np.testing.assert_array_equal(table[:, 1:3], h.params)
    np.testing.assert_array_equal(table[:, 3:5], h.grad)
    np.testing.assert_array_equal(table[:, 5], h.train_loss)
    np.testing.assert_array_equal(table[:, 6], h.test_loss)


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "plain"])
def test_formula_like_cells_are_made_safe(text):
    cell = safe_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.endswith(text)


def test_the_animated_page_is_self_contained_and_holds_the_frames():
    from linreg.ui import exports, live

    run = live.Run(DEFAULTS)
    run.stepper.step(40)
    html = exports.animated_html(run)
    assert '<script src="http' not in html  # plotly.js is inline: it plays offline
    frames = html[html.index("Plotly.addFrames(") :]
    names = re.findall(r'"name":"(\d+)"', frames)
    assert [int(n) for n in names] == list(range(41))  # one frame per recorded step
