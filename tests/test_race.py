"""The race engine and its figures: racers in lockstep are separate runs, the leaderboard
ranks and dates them right, and the figures draw the arrays they are given.

Oracles: separate `Stepper` runs; Adam written out in NumPy float64 (torch's form):
m ← β₁m + (1-β₁)g, v ← β₂v + (1-β₂)g², θ ← θ - η·(m/(1-β₁ᵗ)) / (√(v/(1-β₂ᵗ)) + ε).
"""

from __future__ import annotations

import numpy as np
import pytest

from linreg.data import split, synthetic_line
from linreg.figures.race import (
    COLOURS,
    SYMBOLS,
    race_backdrop,
    race_contour,
    race_losses,
)
from linreg.figures.race_replay import race_replay
from linreg.figures.sweep import sweep_figure
from linreg.landscape import optimum
from linreg.race import Race
from linreg.settings import OPTIMIZERS
from linreg.trainer import Stepper, TrainSpec

START = np.array([-1.5, 2.0])


@pytest.fixture(scope="module")
def data():
    x, y = synthetic_line(0.8, 0.2, 0.1, 60, 0.0, 2.0, seed=3)
    return split(x, y, 1.0)


def specs(**rates) -> dict[str, TrainSpec]:
    return {
        n: TrainSpec(loss="mse", dtype="float64", optimizer=n, learning_rate=r)
        for n, r in rates.items()
    }


def adam_numpy(data, lr: float, steps: int, b1=0.9, b2=0.999, eps=1e-8) -> np.ndarray:
    x, y = data.x_train.ravel(), data.y_train.ravel()
    theta, m, v, rows = START.copy(), np.zeros(2), np.zeros(2), [START.copy()]
    for t in range(1, steps + 1):
        r = theta[0] * x + theta[1] - y
        g = np.array([np.mean(2 * r * x), np.mean(2 * r)])
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        theta = theta - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        rows.append(theta.copy())
    return np.array(rows)


def test_racers_are_separate_runs_whatever_the_chunking(data):
    rates = dict(sgd=0.1, momentum=0.05, nesterov=0.05, adam=0.1, rmsprop=0.01, adagrad=0.5)
    race = Race(data, specs(**rates), START)
    for k in (1, 7, 30, 600):  # crosses the stepper's 512-step chunks
        race.step(k)
    assert race.steps == 638
    for name, spec in race.specs.items():
        alone = Stepper(data, spec, START)
        alone.step(638)
        np.testing.assert_array_equal(race.steppers[name].history.params, alone.history.params)
        np.testing.assert_allclose(
            race.steppers[name].history.train_loss, alone.history.train_loss, rtol=1e-12
        )
    np.testing.assert_allclose(
        race.steppers["adam"].history.params, adam_numpy(data, 0.1, 638), rtol=0, atol=1e-10
    )


def test_a_diverging_racer_stops_and_the_others_go_on(data):
    race = Race(data, specs(sgd=3.0, adam=0.1), START)  # 3 is far above 2/λmax here
    race.step(200)
    sgd, adam = race.steppers["sgd"], race.steppers["adam"]
    assert sgd.diverged_at is not None and sgd.steps < 200 and adam.steps == 200
    board = race.standings(200, optimum(data, "mse"), 1e-6)
    assert [r.name for r in board] == ["adam", "sgd"]  # diverged last, whatever its loss
    assert board[1].diverged_at == sgd.diverged_at and board[1].step == sgd.steps
    early = race.standings(sgd.diverged_at - 1, optimum(data, "mse"), 1e-6)
    assert all(r.diverged_at is None for r in early)  # not yet, at an earlier step


def test_standings_rank_by_loss_and_measure_the_distance(data):
    race = Race(data, specs(sgd=0.1, adagrad=0.5, rmsprop=0.01), START)
    race.step(40)
    best = optimum(data, "mse")
    board = race.standings(40, best, 1e-6)
    losses = [r.loss for r in board]
    assert losses == sorted(losses)
    for r in board:
        h = race.steppers[r.name].history
        x, y = data.x_train.ravel(), data.y_train.ravel()
        w, b = h.params[40]
        assert r.loss == pytest.approx(np.mean((w * x + b - y) ** 2), rel=1e-12)
        assert r.distance == pytest.approx(np.hypot(w - best[0], b - best[1]), rel=1e-12)


def test_finished_when_everyone_settled_and_reset(data):
    race = Race(data, specs(sgd=0.3, momentum=0.1), START)
    assert not race.finished(1e-6)
    race.step(3000)
    assert race.finished(1e-6)
    for name in race.steppers:
        t = race.converged_at(name, 1e-6)
        assert t is not None and t < 3000
    race.reset()
    assert race.steps == 0 and all(len(s.history) == 1 for s in race.steppers.values())


def test_palette_is_distinct_and_every_view_draws_the_given_arrays(data):
    assert len(set(COLOURS.values())) == len(OPTIMIZERS) == len(set(SYMBOLS.values()))
    race = Race(data, specs(sgd=0.1, adam=0.1), START)
    race.step(25)
    w, b = np.linspace(-2, 2, 21), np.linspace(-1, 3, 21)
    z = np.add.outer(b, w) ** 2 + 1
    back = race_backdrop(w, b, z, "MSE")
    paths = race.paths(25)
    labels = {"sgd": "SGD", "adam": "Adam"}
    spec = race_contour(w, b, back, paths, labels, START, None, [0.8, 0.2], "MSE")
    drawn = {t.get("name"): t for t in spec["data"]}
    for name, label in labels.items():
        np.testing.assert_array_equal(drawn[label]["x"], paths[name][:, 0])
        assert drawn[f"{label} now"]["x"] == [paths[name][-1, 0]]
        assert drawn[label]["line"]["color"] == COLOURS[name]
    losses = {n: s.history.train_loss for n, s in race.steppers.items()}
    curves = race_losses(losses, labels, 25, True, {"sgd": None, "adam": None})
    assert curves["layout"]["yaxis"]["type"] == "log"
    replay = race_replay(w, b, z, paths, losses, labels)
    assert replay["frames"][-1]["name"] == "25"


def test_sweep_figure_puts_diverged_rates_at_the_top_and_the_critical_line():
    rates = np.geomspace(1e-3, 10, 9)
    final = np.array([1.0, 0.5, 0.1, 0.01, 0.01, np.nan, np.nan, np.nan, np.nan])
    diverged = np.array([-1, -1, -1, -1, -1, 5, 3, 2, 1])
    converged = np.array([-1, -1, 400, 120, 60, -1, -1, -1, -1])
    spec = sweep_figure(rates, final, diverged, converged, 0.46, "SGD", 500)
    line, crosses, done, stuck = spec["data"]
    np.testing.assert_array_equal(line["x"], rates[:5])
    np.testing.assert_array_equal(crosses["x"], rates[5:])
    top = 10 ** spec["layout"]["yaxis"]["range"][1]
    assert np.all(np.asarray(crosses["y"]) <= top) and np.all(np.asarray(crosses["y"]) > 1.0)
    np.testing.assert_array_equal(done["y"], [400, 120, 60])
    np.testing.assert_array_equal(stuck["y"], [500, 500])
    assert spec["layout"]["shapes"][0]["x0"] == 0.46
