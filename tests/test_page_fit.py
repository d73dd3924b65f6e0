"""AppTest of the "Fit a line" page: every control does what it says, and the numbers the page
shows are the engine's, checked against a NumPy run of the same update rule.

The oracle is seed 000 written out by hand: x = arange(0, 2, 0.02), y = 0.8x + 0.2, the first
80 points to train on, plain gradient descent from (-0.4936, 0.3721) with

    r = w·x + b - y,   g = (mean(ψ(r)·x), mean(ψ(r))),   θ ← θ - η·g

where ψ(r) = sign(r) for L1, 2r for MSE. The page trains in float32, so it agrees with this
float64 loop to about 1e-6. Charts are a custom component AppTest cannot see into; they are
not checked here.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pagetest
import pytest
import torch
from pagetest import Page, click, rerun
from streamlit.testing.v1 import AppTest

import linreg
from linreg.presets import BY_KEY, PRESETS
from linreg.settings import DATA, DEFAULTS, SPECS, START, TRAINING, kind
from linreg.trainer import EXPLODE, Stepper, TrainSpec
from linreg.ui import live

PAGE = "pages/1_Fit_a_line.py"
LABELS = ["Step", "Weight", "Bias", "Train loss", "Test loss", "‖∇L‖", "To minimum"]

# ---- the NumPy oracle ----------------------------------------------------------------------
X = np.arange(0, 2, 0.02)
Y = 0.8 * X + 0.2
N_TRAIN = 80
START_PARAMS = np.array([-0.4936, 0.3721])
PSI = {"mae": np.sign, "mse": lambda r: 2 * r}
ELEMENT = {"mae": np.abs, "mse": np.square}


def gradient(theta, loss="mae", x=X[:N_TRAIN], y=Y[:N_TRAIN]) -> np.ndarray:
    psi = PSI[loss](theta[0] * x + theta[1] - y)
    return np.array([np.mean(psi * x), np.mean(psi)])


def loss_at(theta, loss="mae", x=X[:N_TRAIN], y=Y[:N_TRAIN]) -> float:
    return float(np.mean(ELEMENT[loss](theta[0] * x + theta[1] - y)))


def descend(steps, lr=0.01, loss="mae", start=START_PARAMS, x=X[:N_TRAIN], y=Y[:N_TRAIN]):
    """Rows 0..steps of plain gradient descent."""
    rows = [np.asarray(start, dtype=np.float64)]
    for _ in range(steps):
        rows.append(rows[-1] - lr * gradient(rows[-1], loss, x, y))
    return np.array(rows)


# ---- driving the page ----------------------------------------------------------------------
driver = Page(PAGE, prefix="setting", state="fit")
open_page, set_setting, run_of = driver.open, driver.set_setting, driver.run_of


def url(**settings) -> dict[str, str]:
    """Link parameters for settings given by name."""
    return {SPECS[name].url: str(value) for name, value in settings.items()}


def shown(at: AppTest) -> dict[str, str]:
    values = pagetest.shown(at)
    assert list(values) == LABELS
    return values


def matches(text: str, value: float, slack: float = 2e-6) -> bool:
    """Whether a shown number is `value` rounded to the digits shown ("0.8535", "1.3e4")."""
    mantissa, _, exponent = text.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    half_unit = 0.5 * 10.0 ** (int(exponent or 0) - decimals)
    return abs(float(text) - value) <= half_unit * (1 + 1e-9) + slack * max(1.0, abs(value))


def assert_shows(at: AppTest, step: int, params, loss: float | None = None) -> None:
    """The metrics show this step, weight and bias (to 4 decimals) and train loss."""
    values = shown(at)
    assert values["Step"] == str(step)
    for label, value in zip(("Weight", "Bias"), params, strict=True):
        assert len(values[label].partition(".")[2]) == 4, values[label]
        assert matches(values[label], value), (label, values[label], value)
    if loss is not None:
        assert matches(values["Train loss"], loss), (values["Train loss"], loss)


def assert_shows_engine(at: AppTest, row: int | None = None) -> None:
    """The metrics are the engine's history row, rounded to the digits shown."""
    h = run_of(at).stepper.history
    row = len(h) - 1 if row is None else row
    values = shown(at)
    assert values["Step"] == str(row)
    for label, value in [
        ("Weight", h.params[row][0]),
        ("Bias", h.params[row][1]),
        ("Train loss", h.train_loss[row]),
        ("Test loss", h.test_loss[row]),
        ("‖∇L‖", float(np.linalg.norm(h.grad[row]))),
    ]:
        if np.isfinite(value):
            assert matches(values[label], value, slack=0), (label, values[label], value)
        else:
            assert values[label] == "—"


def assert_finite(at: AppTest) -> None:
    for label, value in shown(at).items():
        assert value == "—" or math.isfinite(float(value)), (label, value)


# ---- loading, Step, Step ×k, Reset ---------------------------------------------------------
def test_page_loads_with_seed000s_defaults():
    at = open_page()
    run = run_of(at)
    assert run.config == DEFAULTS
    tutorial = linreg.seed000()
    for ours, theirs in [
        (run.stepper.data.x_train, tutorial.x_train),
        (run.stepper.data.y_train, tutorial.y_train),
        (run.stepper.data.x_test, tutorial.x_test),
        (run.stepper.data.y_test, tutorial.y_test),
    ]:
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-6)
    values = shown(at)
    assert (values["Step"], values["Weight"], values["Bias"]) == ("0", "-0.4936", "0.3721")
    assert matches(values["Train loss"], loss_at(START_PARAMS))
    assert matches(values["Test loss"], loss_at(START_PARAMS, x=X[N_TRAIN:], y=Y[N_TRAIN:]))
    assert matches(values["‖∇L‖"], np.linalg.norm(gradient(START_PARAMS)))
    buttons = {b.key: b for b in at.button}
    assert not any(buttons[k].disabled for k in ("btn.step", "btn.stepk", "btn.run", "btn.reset"))
    assert buttons["btn.stepk"].label == "Step ×10"


def test_step_takes_exactly_one_optimizer_step():
    at = open_page()
    click(at, "btn.step")
    expected = descend(1)[1]
    assert run_of(at).stepper.steps == 1
    np.testing.assert_allclose(run_of(at).stepper.params, expected, rtol=0, atol=1e-6)
    assert_shows(at, 1, expected, loss_at(expected))
    assert_shows_engine(at)
    click(at, "btn.step")
    assert_shows(at, 2, descend(2)[2], loss_at(descend(2)[2]))


def test_step_k_takes_steps_per_click_steps():
    at = open_page()
    click(at, "btn.stepk")  # default k = 10
    rows = descend(10)
    assert run_of(at).stepper.steps == 10
    np.testing.assert_allclose(run_of(at).stepper.history.params, rows, rtol=0, atol=1e-6)
    assert_shows(at, 10, rows[10], loss_at(rows[10]))
    assert_shows_engine(at)
    # a separate engine run from the README gives the same numbers
    spec = TrainSpec(loss="mae", optimizer="sgd", learning_rate=0.01)
    other = Stepper(linreg.seed000(), spec, start=START_PARAMS)
    other.step(10)
    np.testing.assert_allclose(run_of(at).stepper.params, other.params, rtol=0, atol=1e-6)

    set_setting(at, "steps_per_click", 3)
    assert at.button(key="btn.stepk").label == "Step ×3"
    assert run_of(at).stepper.steps == 10  # changing k takes no step
    click(at, "btn.stepk")
    assert_shows(at, 13, descend(13)[13])


def test_page_prints_seed000s_logged_losses():
    """Tutorial: 0.2716 train loss before epoch 100's step, 0.6603 test loss after it."""
    at = open_page(**url(steps_per_click=100))
    click(at, "btn.stepk")
    assert float(shown(at)["Train loss"]) == pytest.approx(0.2715910077095032, abs=2e-3)
    click(at, "btn.step")
    assert float(shown(at)["Test loss"]) == pytest.approx(0.6603046655654907, abs=2e-3)


def test_reset_returns_to_the_start():
    at = open_page()
    click(at, "btn.stepk")
    click(at, "btn.step")
    assert run_of(at).stepper.steps == 11
    click(at, "btn.reset")
    run = run_of(at)
    assert run.stepper.steps == 0 and len(run.stepper.history) == 1
    assert "Reset to step 0" in run.notice
    assert (shown(at)["Step"], shown(at)["Weight"], shown(at)["Bias"]) == ("0", "-0.4936", "0.3721")
    assert "timeline" not in [s.key for s in at.slider]  # nothing to scrub yet
    click(at, "btn.step")  # and the run starts afresh, same numbers as the first time
    assert_shows(at, 1, descend(1)[1], loss_at(descend(1)[1]))


# ---- settings changes: data restarts, training continues ---------------------------------
def _noisy(weight, bias, noise, n, seed, x_min=0.0, x_max=2.0):
    x = x_min + (x_max - x_min) * np.arange(n) / n
    return x, weight * x + bias + noise * np.random.default_rng(seed).standard_normal(n)


RESTARTS = [
    ("true_weight", 1.5, {}, _noisy(1.5, 0.2, 0.0, 100, 42)),
    ("noise", 0.5, {}, _noisy(0.8, 0.2, 0.5, 100, 42)),
    ("seed", 7, {"noise": 0.5}, _noisy(0.8, 0.2, 0.5, 100, 7)),
    ("n_points", 50, {}, _noisy(0.8, 0.2, 0.0, 50, 42)),
    ("x_max", 4.0, {}, _noisy(0.8, 0.2, 0.0, 100, 42, x_max=4.0)),
]


@pytest.mark.parametrize(("name", "value", "query", "xy"), RESTARTS, ids=[r[0] for r in RESTARTS])
def test_changing_the_data_restarts(name, value, query, xy):
    at = open_page(**url(**query))
    click(at, "btn.stepk")
    set_setting(at, name, value)
    run = run_of(at)
    assert getattr(run.config, name) == value
    assert run.stepper.steps == 0
    assert "restarted" in run.notice
    assert any("restarted" in i.value for i in at.info)
    x, y = xy
    n_train = int(0.8 * len(x))
    np.testing.assert_allclose(run.stepper.data.x_train.ravel(), x[:n_train], atol=1e-12)
    np.testing.assert_allclose(run.stepper.data.y_train.ravel(), y[:n_train], atol=1e-12)
    assert_shows(at, 0, START_PARAMS, loss_at(START_PARAMS, x=x[:n_train], y=y[:n_train]))
    click(at, "btn.step")  # the new run steps on the new data
    one = descend(1, x=x[:n_train], y=y[:n_train])[1]
    assert_shows(at, 1, one, loss_at(one, x=x[:n_train], y=y[:n_train]))


def test_changing_the_start_restarts_from_it():
    at = open_page()
    click(at, "btn.stepk")
    set_setting(at, "init_weight", 1.0)
    assert run_of(at).stepper.steps == 0 and "restarted" in run_of(at).notice
    assert_shows(at, 0, [1.0, 0.3721])
    click(at, "btn.step")
    assert_shows(at, 1, descend(1, start=[1.0, 0.3721])[1])


def test_random_start_is_nn_linears_seeded_init():
    at = open_page()
    set_setting(at, "init", "random")
    with torch.random.fork_rng():
        torch.manual_seed(DEFAULTS.seed)
        model = torch.nn.Linear(1, 1)
    start = [model.weight.item(), model.bias.item()]
    assert run_of(at).stepper.steps == 0
    assert_shows(at, 0, start)


def test_new_sample_draws_the_next_seed():
    at = open_page(**url(noise=0.5, seed=999_999))
    click(at, "btn.stepk")
    [new_sample] = [b for b in at.button if b.label == "New sample"]
    new_sample.click()
    rerun(at)
    run = run_of(at)
    assert run.config.seed == 0  # wraps round at the top of the range
    assert run.stepper.steps == 0 and "restarted" in run.notice
    x, y = _noisy(0.8, 0.2, 0.5, 100, 0)
    np.testing.assert_allclose(run.stepper.data.y_train.ravel(), y[:N_TRAIN], atol=1e-12)


def _adam_first_step(theta, g, lr):
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    m, v = (1 - beta1) * g, (1 - beta2) * g * g
    return theta - lr * (m / (1 - beta1)) / (np.sqrt(v / (1 - beta2)) + eps)


CONTINUES = [
    ("learning_rate", 0.05, lambda th: th - 0.05 * gradient(th)),
    ("loss", "mse", lambda th: th - 0.01 * gradient(th, "mse")),
    ("optimizer", "adam", lambda th: _adam_first_step(th, gradient(th), 0.01)),
]


@pytest.mark.parametrize(("name", "value", "next_step"), CONTINUES, ids=[c[0] for c in CONTINUES])
def test_changing_training_continues(name, value, next_step):
    at = open_page()
    click(at, "btn.stepk")
    before = run_of(at).stepper.params
    set_setting(at, name, value)
    run = run_of(at)
    assert getattr(run.config, name) == value
    assert run.stepper.steps == 10
    assert "continues from step 10" in run.notice
    assert any("continues from step 10" in i.value for i in at.info)
    np.testing.assert_array_equal(run.stepper.params, before)  # the change itself moves nothing
    assert shown(at)["Step"] == "10"
    click(at, "btn.step")
    expected = next_step(descend(10)[10])
    np.testing.assert_allclose(run.stepper.params, expected, rtol=0, atol=2e-6)
    assert_shows(at, 11, expected)
    assert_shows_engine(at)


# ---- divergence ------------------------------------------------------------------------------
def _first_diverged_step(lr: float) -> int:
    """The first step whose train loss exceeds EXPLODE × the starting scale (NumPy MSE GD)."""
    rows = descend(30, lr=lr, loss="mse")
    losses = [loss_at(r, "mse") for r in rows]
    limit = EXPLODE * max(losses[0], float(np.mean(Y[:N_TRAIN] ** 2)))
    return next(t for t, value in enumerate(losses) if value > limit)


def _assert_diverged(at: AppTest) -> None:
    bad = _first_diverged_step(10.0)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(f"Diverged at step {bad}"), errors
    run = run_of(at)
    assert run.stepper.diverged_at == bad and run.stepper.steps == bad - 1
    assert at.button(key="btn.step").disabled and at.button(key="btn.stepk").disabled
    assert at.button(key="btn.run").disabled
    assert not at.button(key="btn.reset").disabled
    assert_finite(at)
    assert_shows(at, bad - 1, descend(bad - 1, lr=10.0, loss="mse")[bad - 1])


def test_divergence_from_a_link():
    at = open_page(loss="mse", lr="10")
    assert not at.error
    click(at, "btn.stepk")
    _assert_diverged(at)


def test_divergence_from_the_widgets_and_recovery():
    at = open_page()
    set_setting(at, "loss", "mse")
    set_setting(at, "learning_rate", 10.0)
    click(at, "btn.stepk")
    _assert_diverged(at)
    last = run_of(at).stepper.steps
    # lowering the rate goes on from the last good step, and the buttons come back
    set_setting(at, "learning_rate", 0.01)
    assert not at.error
    assert f"continues from step {last}" in run_of(at).notice
    assert not at.button(key="btn.step").disabled
    click(at, "btn.step")
    assert run_of(at).stepper.steps == last + 1
    assert_shows_engine(at)


# ---- the sidebar follows the settings in effect ---------------------------------------------
# live.sidebar draws its conditional widgets and the critical-rate caption from run.config,
# which still holds the *previous* settings: live.apply(run, live.sidebar(run)) only updates
# it after the sidebar is drawn. So each lags one full page run behind the user's choice (and
# Step clicks rerun only the panel fragment, so in a browser the lag lasts until the next
# sidebar change).
def _has(at: AppTest, key: str) -> bool:
    try:
        at.get_by_key(key)
    except KeyError:
        return False
    return True


def test_huber_delta_shows_as_soon_as_huber_is_chosen():
    at = open_page()
    assert not _has(at, "setting.huber_delta")
    set_setting(at, "loss", "huber")
    assert run_of(at).config.loss == "huber"
    assert _has(at, "setting.huber_delta")


def test_start_sliders_disable_as_soon_as_the_start_is_random():
    at = open_page()
    set_setting(at, "init", "random")
    assert run_of(at).config.init == "random"
    assert at.get_by_key("setting.init_weight").disabled


def test_critical_rate_note_describes_the_rate_just_chosen():
    at = open_page(loss="mse")
    set_setting(at, "learning_rate", 10.0)  # far above 2/λmax ≈ 0.58 for seed 000's x
    notes = [c.value for c in at.sidebar.caption if "Critical rate" in c.value]
    assert notes and notes[0].endswith("This run is above it.")


def test_a_refused_x_range_is_not_left_on_the_slider():
    at = open_page()
    set_setting(at, "x_min", 5.0)  # not below x to = 2
    assert run_of(at).config.x_min == 0.0
    assert any("Kept the previous x range" in w.value for w in at.warning)
    assert at.slider(key="setting.x_min").value == 0.0


# ---- Run / Pause and the live tick -----------------------------------------------------------
def test_run_and_pause_toggle_running():
    at = open_page()
    click(at, "btn.run")
    run = run_of(at)
    assert run.running
    assert at.button(key="btn.run").label == "⏸ Pause"
    assert at.button(key="btn.step").disabled and at.button(key="btn.stepk").disabled
    click(at, "btn.run")
    assert not run_of(at).running
    assert at.button(key="btn.run").label == "▶ Run"
    assert not at.button(key="btn.step").disabled
    steps = run_of(at).stepper.steps
    np.testing.assert_allclose(run_of(at).stepper.history.params, descend(steps), rtol=0, atol=1e-6)
    rerun(at)  # paused: a page run takes no step
    assert run_of(at).stepper.steps == steps


def _live_run(**changes) -> live.Run:
    return live.Run(DEFAULTS.replace(**changes), running=True)


def test_tick_advances_speed_steps():
    run = _live_run(speed=7)
    run.tick()
    assert run.stepper.steps == 7 and run.running and not run.stop_reason
    run.tick()
    assert run.stepper.steps == 14 and run.running
    np.testing.assert_allclose(run.stepper.history.params, descend(14), rtol=0, atol=1e-6)


def test_tick_stops_at_convergence_when_asked():
    run = _live_run(loss="mse", learning_rate=0.5, speed=50)
    for _ in range(200):
        run.tick()
        if not run.running:
            break
    assert not run.running
    assert run.stop_reason.startswith("Converged at step")
    assert run.stepper.converged_at is not None
    assert run.stepper.steps < DEFAULTS.max_steps
    # the oracle: the least-squares line, which MSE descent converges to
    w, b = np.polyfit(X[:N_TRAIN], Y[:N_TRAIN], 1)
    np.testing.assert_allclose(run.stepper.params, [w, b], atol=1e-3)


def test_tick_runs_on_to_max_steps_without_convergence_stop():
    run = _live_run(loss="mse", learning_rate=0.5, speed=7, max_steps=50, stop_at_convergence=False)
    ticks = 0
    while run.running and ticks < 100:
        run.tick()
        ticks += 1
    assert run.stepper.steps == 50 and ticks == 8  # 7 × 7, then the 1 step left
    assert run.stop_reason == "Reached the maximum of 50 steps."
    run.tick()  # no room: says so, takes no step
    assert run.stepper.steps == 50 and run.stop_reason == "Reached the maximum of 50 steps."


def test_tick_stops_at_divergence():
    run = _live_run(loss="mse", learning_rate=10.0, speed=20)
    run.tick()
    bad = _first_diverged_step(10.0)
    assert not run.running and run.stop_reason.startswith(f"Diverged at step {bad}")
    assert run.stepper.steps == bad - 1


def test_step_by_hand_stops_at_max_steps():
    at = open_page(**url(max_steps=10, steps_per_click=7))
    click(at, "btn.stepk")
    click(at, "btn.stepk")
    assert run_of(at).stepper.steps == 10
    click(at, "btn.step")
    assert run_of(at).stepper.steps == 10
    assert "maximum of 10 steps" in run_of(at).stop_reason


# ---- the timeline ----------------------------------------------------------------------------
def test_timeline_scrub_shows_that_steps_numbers():
    at = open_page()
    click(at, "btn.stepk")
    click(at, "btn.stepk")
    assert at.slider(key="timeline").value == 20
    at.slider(key="timeline").set_value(5)
    rerun(at)
    assert run_of(at).stepper.steps == 20  # scrubbing takes no step
    assert_shows_engine(at, row=5)
    five = descend(5)[5]
    assert_shows(at, 5, five, loss_at(five))
    assert matches(shown(at)["Test loss"], loss_at(five, x=X[N_TRAIN:], y=Y[N_TRAIN:]))
    click(at, "btn.step")  # a new step brings the timeline back to the newest
    assert at.slider(key="timeline").value == 21
    assert_shows_engine(at)


# ---- bad links -------------------------------------------------------------------------------
def test_bad_link_parameters_are_named_and_ignored():
    at = open_page(lr="abc", n="-5", zzz="1")
    notes = " ".join(w.value for w in at.warning)
    assert "zzz" in notes and "Learning rate" in notes and "Number of points" in notes
    assert run_of(at).config == DEFAULTS
    click(at, "btn.step")
    assert_shows(at, 1, descend(1)[1], loss_at(descend(1)[1]))


def test_a_bad_x_range_in_a_link_keeps_the_default_range():
    at = open_page(x0="5", x1="1")
    assert any("x range" in w.value for w in at.warning)
    assert (run_of(at).config.x_min, run_of(at).config.x_max) == (0.0, 2.0)


# ---- every widget at its extremes ------------------------------------------------------------
# settings that only act under another one: open the page with that one set
NEEDS = {
    "huber_delta": {"loss": "huber"},
    "momentum": {"optimizer": "momentum"},
    "beta1": {"optimizer": "adam"},
    "beta2": {"optimizer": "adam"},
    "alpha": {"optimizer": "rmsprop"},
}


def extremes(name: str) -> list:
    spec, default = SPECS[name], getattr(DEFAULTS, name)
    if kind(name) is bool:
        return [not default, default]
    if spec.choices:
        i = spec.choices.index(default)
        return list(spec.choices[i + 1 :] + spec.choices[: i + 1])
    return [kind(name)(spec.low), kind(name)(spec.high)]


@pytest.mark.parametrize("name", list(SPECS))
def test_every_setting_at_its_extremes(name):
    at = open_page(**url(**NEEDS.get(name, {})))
    click(at, "btn.stepk")
    group = SPECS[name].group
    for value in extremes(name):
        run = run_of(at)
        old, steps, params = run.config, run.stepper.steps, run.stepper.params
        set_setting(at, name, value)
        run = run_of(at)
        assert_finite(at)
        refused = name in ("x_min", "x_max") and (
            (value if name == "x_min" else old.x_min) >= (value if name == "x_max" else old.x_max)
        )
        if refused:
            assert getattr(run.config, name) == getattr(old, name)
            assert any("x range" in w.value for w in at.warning)
        else:
            assert getattr(run.config, name) == value
        if run.config == old:
            assert run.stepper.steps == steps
        elif group in (DATA, START):
            assert run.stepper.steps == 0 and "restarted" in run.notice
            if run.config.init == "given":
                assert_shows(at, 0, [run.config.init_weight, run.config.init_bias])
        else:
            assert run.stepper.steps == steps
            np.testing.assert_array_equal(run.stepper.params, params)
            if group == TRAINING:
                assert f"continues from step {steps}" in run.notice
        # then Step ×k (Step in presenter mode, which keeps only Step, Run/Pause, Reset):
        # k steps, fewer only at the step limit or a divergence
        presenting = run.config.presenter
        button, k = ("btn.step", 1) if presenting else ("btn.stepk", run.config.steps_per_click)
        assert _has(at, "btn.stepk") != presenting
        steps = run.stepper.steps
        if run.stepper.diverged_at is not None:
            assert at.button(key=button).disabled
            continue
        click(at, button)
        run = run_of(at)
        assert_finite(at)
        if run.stepper.diverged_at is not None:
            assert run.stepper.steps == run.stepper.diverged_at - 1 < steps + k
            assert any(e.value.startswith("Diverged at step") for e in at.error)
        else:
            assert run.stepper.steps == max(steps, min(steps + k, run.config.max_steps))
        assert_shows_engine(at)


# ---- lessons (presets) ------------------------------------------------------------------------
@pytest.mark.parametrize("key", [p.key for p in PRESETS if p.page == PAGE])
def test_a_lesson_link_restores_exactly_its_settings(key):
    preset = BY_KEY[key]
    at = driver.follow({"lesson": key, **preset.query})
    assert not at.exception
    run = at.session_state["fit"]
    assert run.config == DEFAULTS.replace(**preset.changes)
    assert run.lesson is preset
    assert any(preset.title in i.value for i in at.info)


# ---- shared links ------------------------------------------------------------------------------
def test_a_shared_link_round_trips_settings_and_step():
    """state -> URL -> state: the link of a view, opened in a fresh session, rebuilds the same
    settings and replays to the same step, with the same numbers."""
    at = open_page()
    set_setting(at, "loss", "mse")
    set_setting(at, "learning_rate", 0.1)
    set_setting(at, "noise", 0.3)
    click(at, "btn.stepk")
    click(at, "btn.step")
    first = run_of(at)
    link = at.get("code")[0].value
    query = dict(parse_qsl(urlsplit(link).query))
    assert query["step"] == "11"

    fresh = driver.follow(query)
    assert not fresh.exception
    again = run_of(fresh)
    assert again.config == first.config
    assert again.stepper.steps == 11
    np.testing.assert_array_equal(again.stepper.history.params, first.stepper.history.params)
    assert [m.value for m in fresh.metric] == [m.value for m in at.metric]


@pytest.mark.parametrize("step", ["-3", "abc", "99999999", "1e3"])
def test_a_bad_step_in_a_link_is_noted_and_ignored(step):
    at = open_page(step=step)
    assert not at.exception
    assert run_of(at).stepper.steps == 0
    assert any("step" in w.value and "not a step number" in w.value for w in at.warning)


def test_the_address_bar_follows_the_settings():
    """The page writes every changed setting into the browser's address; that address,
    opened in a fresh session, rebuilds the same settings."""
    at = open_page()
    assert dict(at.query_params) == {}  # the defaults need no parameters
    set_setting(at, "loss", "mse")
    set_setting(at, "learning_rate", 0.1)
    address = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert address == url(loss="mse", learning_rate=0.1)
    fresh = open_page(**address)
    assert (
        run_of(fresh).config == run_of(at).config == DEFAULTS.replace(loss="mse", learning_rate=0.1)
    )


def test_a_bad_link_is_cleaned_from_the_address():
    at = open_page(lr="fast", bogus="1", noise="0.5", lesson="too-large")
    address = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert address == {"lesson": "too-large", **url(noise=0.5)}
    assert len(at.warning) >= 2  # the two bad parameters were named


# ---- faithful runs: the rule and the numbers of each step are that step's own ----------------
def _rule_lines(at: AppTest) -> list[str]:
    return [e.value.strip("$\n ") for e in at.latex]


def test_the_rule_of_a_scrubbed_step_is_that_steps_optimizer_and_numbers():
    """SGD for 5 steps, then Adam: scrubbing back to step 2 shows SGD's rule and its own
    arithmetic (θ₃ = θ₂ - η g₂ with the rate then in force), not Adam's."""
    at = open_page(loss="mse", lr="0.05")
    for _ in range(5):
        click(at, "btn.step")
    set_setting(at, "optimizer", "adam")
    set_setting(at, "learning_rate", 0.02)
    click(at, "btn.stepk")
    run = run_of(at)
    at.slider(key="timeline").set_value(2)
    rerun(at)
    lines = _rule_lines(at)
    assert lines[0].startswith(r"\theta_{t+1} = \theta_t - \eta\, g_t")  # SGD's rule
    h = run.stepper.history
    w2, g2 = h.params[2][0], h.grad[2][0]
    # the numbers shown are step 2's, with η = 0.05 (an oracle: θ₃ = θ₂ - η·g₂ by hand)
    assert abs(h.params[3][0] - (w2 - 0.05 * g2)) < 1e-6
    assert f"{w2:.4g}" in lines[1].replace("(", "").replace(")", "")
    assert "0.05" in lines[1]
    assert any("SGD, η = 0.05" in c.value for c in at.caption)
    at.slider(key="timeline").set_value(8)
    rerun(at)
    assert "hat m" in _rule_lines(at)[0]  # Adam's rule at a step Adam took
    assert any("Adam, η = 0.02" in c.value for c in at.caption)


def test_switching_the_loss_then_stepping_shows_the_step_that_was_taken():
    """Issue 10's sighting: MAE → MSE → Step. Step 0's loss and gradient are MSE's, so the
    rule's arithmetic holds and the loss curve has no rise that never happened."""
    at = open_page()
    set_setting(at, "loss", "mse")
    click(at, "btn.step")
    h = run_of(at).stepper.history
    mse0 = float(np.mean((0.8 * X[:N_TRAIN] + 0.2 - (-0.4936 * X[:N_TRAIN] + 0.3721)) ** 2))
    assert h.train_loss[0] == pytest.approx(mse0, rel=1e-5)
    assert h.train_loss[1] < h.train_loss[0]
    np.testing.assert_allclose(h.params[1], h.params[0] - 0.01 * h.grad[0], rtol=1e-5)


def test_a_link_that_diverges_says_what_happened():
    at = open_page(loss="mse", lr="10", step="20")
    run = run_of(at)
    assert run.stepper.diverged_at is not None
    assert any(f"Diverged at step {run.stepper.diverged_at}" in e.value for e in at.error)


def test_the_share_link_carries_the_changes():
    at = open_page(loss="mse", lr="0.05")
    for _ in range(2):
        click(at, "btn.stepk")
    set_setting(at, "learning_rate", 0.07)
    click(at, "btn.stepk")
    query = run_of(at).share_query(30)
    assert query["lr"] == "0.05" and query["then"] == "20:lr=0.07" and query["step"] == "30"
    again = driver.follow(query)
    np.testing.assert_array_equal(
        run_of(again).stepper.history.params, run_of(at).stepper.history.params
    )
