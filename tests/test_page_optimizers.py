"""AppTest of the Optimizers page: every control does what it says, and what the page draws
is what separate runs give.

Oracles: each racer's path is checked against a separate `Stepper` run with the same spec
(exactly: the race is those steppers in lockstep) and, for SGD and heavy-ball momentum,
against a NumPy float64 loop of the update rule written out here:

    r = w·x + b - y,   g = (mean(2r·x), mean(2r)),   SGD: θ ← θ - η·g,
    momentum: v ← μ·v + g, θ ← θ - η·v   (torch's form, v₀ = g₀)

The sweep's final losses are checked against separate Stepper runs at each stable rate, and
its critical line against 2/λmax of H = 2AᵀA/N computed here with NumPy.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from pagetest import Page, click, rerun
from streamlit.testing.v1 import AppTest

from linreg.data import line_x
from linreg.presets import BY_KEY
from linreg.settings import OPTIMIZER_LABELS, OPTIMIZERS
from linreg.settings.race import RACE, RaceConfig
from linreg.trainer import Stepper, TrainSpec
from linreg.ui import race_state as state

PAGE = "pages/4_Optimizers.py"


# ---- oracles ---------------------------------------------------------------------------------
def points(c: RaceConfig) -> tuple[np.ndarray, np.ndarray]:
    """The race's data, written out: n evenly spaced x, y = w·x + b + σ·N(0, 1)."""
    x = line_x(c.n_points, c.x_min, c.x_max)
    y = (
        c.true_weight * x
        + c.true_bias
        + c.noise * np.random.default_rng(c.seed).standard_normal(c.n_points)
    )
    return x, y


def numpy_path(c: RaceConfig, steps: int, lr: float, mu: float = 0.0) -> np.ndarray:
    """SGD (mu = 0) or torch-style heavy-ball momentum on MSE, in float64."""
    x, y = points(c)
    theta, v = np.array([c.init_weight, c.init_bias]), None
    rows = [theta.copy()]
    for _ in range(steps):
        r = theta[0] * x + theta[1] - y
        g = np.array([np.mean(2 * r * x), np.mean(2 * r)])
        v = g if v is None or mu == 0 else mu * v + g
        theta = theta - lr * v
        rows.append(theta.copy())
    return np.array(rows)


def separate(c: RaceConfig, name: str, steps: int, **overrides) -> Stepper:
    """A separate engine run of one racer: same data, same start, same spec."""
    spec = TrainSpec(
        loss=c.loss,
        huber_delta=c.huber_delta,
        dtype=c.dtype,
        seed=c.seed,
        **{**c.racer_spec(name), **overrides},
    )
    stepper = Stepper(state.dataset(c), spec, np.array([c.init_weight, c.init_bias]))
    stepper.step(steps)
    return stepper


# ---- driving the page ------------------------------------------------------------------------
driver = Page(PAGE, prefix="race", state="race")
open_page, set_setting, run_of = driver.open, driver.set_setting, driver.run_of


def board(at: AppTest):
    return at.dataframe[0].value


def traces(at: AppTest, chart: str) -> dict[str, dict]:
    """The drawn spec's traces by name."""
    return {t.get("name"): t for t in run_of(at).drawn_specs[chart]["data"]}


@pytest.fixture(scope="module")
def page() -> AppTest:
    return open_page()


# ---- tests -----------------------------------------------------------------------------------
def test_opens_with_six_racers_at_step_zero(page):
    run = run_of(page)
    assert run.race.steps == 0 and list(run.race.steppers) == list(OPTIMIZERS)
    shown = board(page)
    assert len(shown) == 6
    x, y = points(run.config)
    start_loss = np.mean((run.config.init_weight * x + run.config.init_bias - y) ** 2)
    np.testing.assert_allclose(shown["Loss now"], start_loss, rtol=1e-12)
    assert not page.warning


def test_step_and_step_k_move_every_racer_like_separate_runs():
    at = open_page()
    click(at, "race.btn.step")
    click(at, "race.btn.stepk")
    c, race = run_of(at).config, run_of(at).race
    k = 1 + c.steps_per_click
    assert race.steps == k
    drawn = traces(at, "race.chart.contour")
    labels = state.labels(c)
    for name in OPTIMIZERS:
        alone = separate(c, name, k).history
        mine = race.steppers[name].history
        np.testing.assert_array_equal(mine.params, alone.params)
        np.testing.assert_allclose(mine.train_loss, alone.train_loss, rtol=1e-12, atol=0)
        path = drawn[labels[name]]  # what the contour plots is that path
        np.testing.assert_array_equal(np.c_[path["x"], path["y"]], alone.params)
    np.testing.assert_allclose(
        race.steppers["sgd"].history.params, numpy_path(c, k, c.sgd_lr), rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        race.steppers["momentum"].history.params,
        numpy_path(c, k, c.momentum_lr, c.momentum_mu),
        rtol=0,
        atol=1e-12,
    )


def test_loss_curves_plot_each_racers_losses_and_log_toggle():
    at = open_page()
    click(at, "race.btn.stepk")
    run = run_of(at)
    drawn = traces(at, "race.chart.loss")
    for name, label in state.labels(run.config).items():
        np.testing.assert_array_equal(drawn[label]["y"], run.race.steppers[name].history.train_loss)
    assert run.drawn_specs["race.chart.loss"]["layout"]["yaxis"]["type"] == "log"
    set_setting(at, "log_loss", False)
    assert "type" not in run_of(at).drawn_specs["race.chart.loss"]["layout"]["yaxis"]
    assert run_of(at).race.steps == 10  # a view setting keeps the race


def test_run_pause_and_a_live_tick():
    at = open_page()
    click(at, "race.btn.run")
    run = run_of(at)
    assert run.running and at.button(key="race.btn.run").label == "⏸ Pause"
    assert run.race.steps == run.config.speed  # the run's first update came with the click
    run.tick()  # AppTest fires no browser ticks: the tick is a plain function
    assert run.race.steps == 2 * run.config.speed
    click(at, "race.btn.run")
    assert not run_of(at).running and at.button(key="race.btn.run").label == "▶ Run"


def test_run_stops_when_everyone_has_converged_or_diverged():
    at = open_page(sgd_lr="2", max="5000")  # SGD above 2/λmax diverges
    run = run_of(at)
    click(at, "race.btn.run")
    for _ in range(2000):
        run.tick()
        if not run.running:
            break
    assert not run.running and "Every racer" in run.stop_reason
    assert run.race.steppers["sgd"].diverged_at is not None
    rerun(at)
    shown = board(at)
    sgd = shown[shown["Optimizer"].str.startswith("SGD (")].iloc[0]
    assert sgd["Diverged at"] == str(run.race.steppers["sgd"].diverged_at)
    assert shown.index[-1] == 6 and shown.iloc[-1]["Optimizer"] == sgd["Optimizer"]  # last
    assert (shown["Converged at"] != "—").sum() == 5
    assert f"SGD at step {sgd['Diverged at']}" in at.error[0].value


def test_reset_and_timeline():
    at = open_page()
    click(at, "race.btn.stepk")
    set_setting(at, "timeline", 4)
    c, race = run_of(at).config, run_of(at).race
    shown = board(at)
    for name, label in state.labels(c).items():
        row = shown[shown["Optimizer"] == label].iloc[0]
        assert row["Loss now"] == pytest.approx(separate(c, name, 4).history.train_loss[4])
    click(at, "race.btn.reset")
    assert run_of(at).race.steps == 0 and "Reset" in at.info[0].value
    assert race is not run_of(at).race


@pytest.mark.parametrize(
    ("name", "value", "spec_field", "racer"),
    [
        ("adam_lr", 0.3, "learning_rate", "adam"),
        ("momentum_mu", 0.5, "momentum", "momentum"),
        ("nesterov_mu", 0.7, "momentum", "nesterov"),
        ("adam_beta1", 0.8, "beta1", "adam"),
        ("adam_beta2", 0.99, "beta2", "adam"),
        ("rmsprop_alpha", 0.9, "alpha", "rmsprop"),
        ("sgd_lr", 0.2, "learning_rate", "sgd"),
    ],
)
def test_a_racers_setting_restarts_the_race_with_it(name, value, spec_field, racer):
    at = open_page()
    click(at, "race.btn.stepk")
    set_setting(at, name, value)
    run = run_of(at)
    assert run.race.steps == 0 and "restarted from step 0" in at.info[0].value
    assert getattr(run.race.specs[racer], spec_field) == value
    click(at, "race.btn.stepk")
    np.testing.assert_array_equal(
        run.race.steppers[racer].history.params,
        separate(run.config, racer, 10).history.params,
    )


def test_switching_racers_off_and_the_last_one_cannot_go():
    at = open_page()
    for name in OPTIMIZERS[1:]:
        set_setting(at, name, False)
    assert list(run_of(at).race.steppers) == ["sgd"] and len(board(at)) == 1
    assert at.get_by_key("race.adam_lr").disabled
    set_setting(at, "sgd", False)
    assert at.get_by_key("race.sgd").value is True  # sprang back
    assert any("At least one optimizer" in w.value for w in at.warning)


@pytest.mark.parametrize(
    ("name", "value"),
    [("true_weight", 2.0), ("true_bias", -1.0), ("noise", 0.5), ("n_points", 40), ("seed", 7)],
)
def test_data_settings_restart_on_the_new_points(name, value):
    at = open_page()
    set_setting(at, name, value)
    run = run_of(at)
    assert getattr(run.config, name) == value and run.race.steps == 0
    x, y = points(run.config)
    np.testing.assert_allclose(run.race.data.x_train.ravel(), x, rtol=1e-15)
    np.testing.assert_allclose(run.race.data.y_train.ravel(), y, rtol=1e-15)


def test_unscaled_button_loss_start_and_run_settings():
    at = open_page()
    click(at, "race.unscaled")
    c = run_of(at).config
    assert (c.x_min, c.x_max) == (5.0, 10.0)
    assert run_of(at).race.data.x_train.min() == 5.0
    set_setting(at, "loss", "huber")
    set_setting(at, "huber_delta", 0.5)
    set_setting(at, "init_weight", 1.0)
    set_setting(at, "init_bias", -1.0)
    spec = run_of(at).race.specs["adam"]
    assert (spec.loss, spec.huber_delta) == ("huber", 0.5)
    np.testing.assert_array_equal(run_of(at).race.start, [1.0, -1.0])
    set_setting(at, "steps_per_click", 3)
    assert at.button(key="race.btn.stepk").label == "Step ×3"
    for name, value in [("speed", 7), ("max_steps", 500), ("tolerance", 1e-4)]:
        set_setting(at, name, value)
        assert getattr(run_of(at).config, name) == value
    set_setting(at, "dtype", "float32")
    assert run_of(at).race.specs["sgd"].dtype == "float32"
    set_setting(at, "x_min", 10.0)  # not below 'x to': refused, with a note, and sprung back
    assert at.get_by_key("race.x_min").value == 5.0
    assert any("'x from'" in w.value for w in at.warning)


def test_replay_holds_every_racers_recorded_path():
    at = open_page()
    click(at, "race.btn.stepk")
    at.toggle(key="race.show_replay").set_value(True)
    rerun(at)
    run = run_of(at)
    spec = run.drawn_specs["race.chart.replay"]
    last = spec["frames"][-1]
    assert last["name"] == "10"
    paths = [t for t in last["data"] if t["mode"] == "lines"]
    assert len(paths) == 6
    for name, trace in zip(run.race.steppers, paths, strict=True):
        alone = separate(run.config, name, 10).history.params
        np.testing.assert_array_equal(np.c_[trace["x"], trace["y"]], alone)


def test_sweep_plots_what_separate_runs_give():
    at = open_page()
    for name, value in [("sweep_rates", 12), ("sweep_steps", 300), ("sweep_lr_max", 1.0)]:
        set_setting(at, name, value)
    click(at, "race.sweep.run")
    run = run_of(at)
    c, res = run.config, run.sweep
    drawn = run.drawn_specs["race.chart.sweep"]
    line = drawn["data"][0]
    crosses = drawn["data"][1]
    rates = np.geomspace(c.sweep_lr_min, c.sweep_lr_max, 12)
    np.testing.assert_allclose(res.learning_rates, rates)
    stable, gone = [], []
    for rate in rates:
        alone = separate(c, "sgd", 300, learning_rate=float(rate))
        (gone if alone.diverged_at is not None else stable).append((rate, alone))
    assert gone and stable  # the range straddles the critical rate
    np.testing.assert_allclose(line["x"], [r for r, _ in stable])
    np.testing.assert_allclose(line["y"], [s.history.train_loss[-1] for _, s in stable], rtol=1e-9)
    np.testing.assert_allclose(crosses["x"], [r for r, _ in gone])
    x, _ = points(c)
    a = np.c_[x, np.ones_like(x)]
    critical = 2 / np.linalg.eigvalsh(2 * a.T @ a / len(x)).max()
    assert drawn["layout"]["shapes"][0]["x0"] == pytest.approx(critical, rel=1e-9)
    assert all(rate > critical for rate, _ in gone)
    assert all(rate < critical for rate, _ in stable)
    set_setting(at, "sweep_optimizer", "adam")
    assert any("changed since this sweep" in i.value for i in at.info)


def test_link_sets_the_settings_and_the_step_and_the_share_box_round_trips():
    at = open_page(opt="x", adam_lr="0.2", sgd="false", x0="5", x1="10", step="12", w="abc")
    run = run_of(at)
    assert run.config.adam_lr == 0.2 and not run.config.sgd
    assert (run.config.x_min, run.config.x_max) == (5.0, 10.0)
    assert run.race.steps == 12 and "sgd" not in run.race.steppers
    notes = " ".join(w.value for w in at.warning)
    assert "'opt'" in notes and "True weight" in notes
    set_setting(at, "timeline", 7)
    link = at.code[0].value
    query = dict(parse_qsl(urlsplit(link).query))
    assert query["step"] == "7" and query["adam_lr"] == "0.2"
    again = open_page(**query)
    assert run_of(again).config == run.config and run_of(again).race.steps == 7
    assert not again.warning


def test_bad_step_in_a_link_is_noted():
    at = open_page(step="lots")
    assert run_of(at).race.steps == 0
    assert any("not a step number" in w.value for w in at.warning)


def test_settings_table_round_trips_every_field():
    changed = RaceConfig(adam_lr=0.02, nesterov=False, rmsprop_alpha=0.95, sweep_optimizer="adam")
    config, notes = RACE.from_query(RACE.to_query(changed))
    assert config == changed and not notes
    assert len(set(RACE.by_url)) == len(RACE.specs)  # URL keys are unique
    assert {OPTIMIZER_LABELS[n] for n in changed.racers} == {
        "SGD",
        "SGD + momentum",
        "Adam",
        "RMSprop",
        "Adagrad",
    }


def least_squares(c: RaceConfig) -> np.ndarray:
    x, y = points(c)
    return np.linalg.lstsq(np.c_[x, np.ones_like(x)], y, rcond=None)[0]


def critical_rate(c: RaceConfig) -> float:
    x, _ = points(c)
    a = np.c_[x, np.ones_like(x)]
    return 2 / np.linalg.eigvalsh(2 * a.T @ a / len(x)).max()


def test_adam_vs_sgd_lesson_shows_what_it_says():
    lesson = BY_KEY["adam-vs-sgd"]
    at = open_page(**lesson.link)
    run = run_of(at)
    assert run.config == lesson.config and list(run.race.steppers) == ["sgd", "adam"]
    assert lesson.title in at.info[0].value
    c = run.config
    assert 0.8 * critical_rate(c) < c.sgd_lr < critical_rate(c)  # SGD at its fastest stable
    run.race.step(2000)
    best = least_squares(c)
    gap = {n: np.linalg.norm(s.params - best) for n, s in run.race.steppers.items()}
    assert gap["adam"] < 1e-3 and gap["sgd"] > 0.1
    assert run.race.converged_at("adam", c.tolerance) < 600
    assert run.race.converged_at("sgd", c.tolerance) is None


def test_heavy_ball_lesson_and_an_unknown_lesson():
    lesson = BY_KEY["heavy-ball"]
    run = run_of(open_page(**lesson.link))
    run.race.step(2000)
    best = least_squares(run.config)
    gap = {n: np.linalg.norm(s.params - best) for n, s in run.race.steppers.items()}
    assert 5 * gap["momentum"] < gap["sgd"]
    at = open_page(lesson="nope")
    assert any("not a lesson" in w.value for w in at.warning)


def test_another_pages_lesson_is_not_taken_here():
    at = open_page(**BY_KEY["too-large"].link)
    assert run_of(at).lesson is None
    assert any("not a lesson of this page" in w.value for w in at.warning)
