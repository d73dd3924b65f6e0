"""Learning-rate schedules in the Stepper (issue 12), against oracles outside it:

* a plain torch loop (nn-free: two leaf tensors, torch.optim.SGD, F.mse_loss, backward) with
  torch.optim.lr_scheduler's own classes built here, stepped after each optimizer step;
* a NumPy loop θ ← θ - η_t·∇L(θ) with the rates from the formulas (`schedules.rates`);
* least squares by `np.linalg.lstsq` and the critical rate 2/λmax of 2AᵀA/n by NumPy,
  for the lessons.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from pagetest import Page, click, rerun
from torch.optim import lr_scheduler

from linreg import experiment, schedules
from linreg.presets import BY_KEY
from linreg.settings import DEFAULTS
from linreg.spec import schedule_of
from linreg.trainer import TrainSpec

BASE = DEFAULTS.replace(loss="mse", learning_rate=0.3, noise=0.1, dtype="float64")
T = 60  # the horizon of cosine and one cycle in these tests
SETTINGS = {
    "constant": {},
    "step": {"step_size": 7, "gamma": 0.6},
    "exponential": {"decay": 0.95},
    "cosine": {"eta_min": 0.01, "schedule_steps": T},
    "onecycle": {"pct_start": 0.25, "div_factor": 10.0, "schedule_steps": T},
}


def torch_scheduler(kind: str, optimizer, lr: float):
    """torch's own scheduler for each kind, written out here (not via linreg.schedules)."""
    s = SETTINGS[kind]
    if kind == "constant":
        return lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    if kind == "step":
        return lr_scheduler.StepLR(optimizer, s["step_size"], s["gamma"])
    if kind == "exponential":
        return lr_scheduler.ExponentialLR(optimizer, s["decay"])
    if kind == "cosine":
        return lr_scheduler.CosineAnnealingLR(optimizer, T, s["eta_min"])
    return lr_scheduler.OneCycleLR(
        optimizer, lr, total_steps=T, pct_start=0.25, div_factor=10.0, cycle_momentum=False
    )


def least_squares(data) -> np.ndarray:
    a = np.hstack([data.x_train, np.ones((len(data.x_train), 1))])
    return np.linalg.lstsq(a, data.y_train[:, 0], rcond=None)[0]


def critical_rate(data) -> float:
    a = np.hstack([data.x_train, np.ones((len(data.x_train), 1))])
    return 2.0 / np.linalg.eigvalsh(2 * a.T @ a / len(a))[-1]


@pytest.mark.parametrize("kind", schedules.KINDS)
def test_each_schedule_steps_as_a_plain_torch_loop(kind):
    config = BASE.replace(schedule=kind, **SETTINGS[kind])
    stepper = experiment.new_stepper(config)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "lr_scheduler.step() before optimizer.step()"
        stepper.step(50)
    data = stepper.data
    x, y = torch.tensor(data.x_train), torch.tensor(data.y_train)
    w = torch.tensor(stepper.history.params[0][:1].reshape(1, 1), requires_grad=True)
    b = torch.tensor(stepper.history.params[0][1:], requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=config.learning_rate)
    scheduler = torch_scheduler(kind, optimizer, config.learning_rate)
    rows, rates = [], []
    for _ in range(50):
        rates.append(optimizer.param_groups[0]["lr"])
        loss = F.mse_loss(x @ w.T + b, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        rows.append(torch.cat([w.detach().ravel(), b.detach()]).numpy().copy())
    h = stepper.history
    np.testing.assert_allclose(h.params[1:], np.array(rows), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(h.learning_rate[:50], rates, rtol=1e-12)


@pytest.mark.parametrize("kind", schedules.KINDS)
def test_the_rate_column_is_the_formulas_and_drives_a_numpy_descent(kind):
    """80 steps, past the horizon T = 60 of cosine and one cycle (held there)."""
    config = BASE.replace(schedule=kind, **SETTINGS[kind])
    stepper = experiment.new_stepper(config)
    stepper.step(80)
    h = stepper.history
    spec = TrainSpec.from_config(config)
    want = schedules.rates(schedule_of(spec), config.learning_rate, 81, config.schedule_steps)
    np.testing.assert_allclose(h.learning_rate, want, rtol=1e-12, atol=1e-15)
    x, y = stepper.data.x_train[:, 0], stepper.data.y_train[:, 0]
    theta = h.params[0].copy()
    for t in range(80):
        r = theta[0] * x + theta[1] - y
        theta = theta - want[t] * np.array([np.mean(2 * r * x), np.mean(2 * r)])
        np.testing.assert_allclose(h.params[t + 1], theta, rtol=1e-10, atol=1e-12)


def test_a_change_starts_the_schedule_again_at_its_own_base_rate():
    first = BASE.replace(schedule="step", step_size=5, gamma=0.5)
    then = first.replace(learning_rate=0.2, schedule="exponential", decay=0.9)
    stepper = experiment.new_stepper(first)
    stepper.step(12)
    stepper.configure(TrainSpec.from_config(then))
    stepper.step(10)
    rates = stepper.history.learning_rate
    np.testing.assert_allclose(rates[:12], 0.3 * 0.5 ** (np.arange(12) // 5), rtol=1e-12)
    np.testing.assert_allclose(rates[12:], 0.2 * 0.9 ** np.arange(11), rtol=1e-12)
    np.testing.assert_array_equal(stepper.replay().history.params, stepper.history.params)


def test_divergence_restores_the_scheduler_exactly():
    """2.0 is far above 2/λmax; the decay is too slow to save it. The state after the last
    good step is the scheduler's too: its count, and the rate the next step would use."""
    config = BASE.replace(learning_rate=2.0, schedule="exponential", decay=0.99)
    stepper = experiment.new_stepper(config)
    stepper.step(600)
    kept = stepper.steps
    assert stepper.status == "diverged" and 0 < kept < 600
    assert stepper.scheduler.torch.last_epoch == kept
    rates = 2.0 * 0.99 ** np.arange(kept + 1)
    np.testing.assert_allclose(stepper.history.learning_rate, rates, rtol=1e-12)
    np.testing.assert_allclose(stepper.scheduler.rate, rates[-1], rtol=1e-12)
    assert f"rate {rates[-1]:.3g} is" in stepper.message  # the bad step's: from the last row
    # going on from there at a lower rate is the same as a run that never diverged
    stepper.configure(TrainSpec.from_config(config.replace(learning_rate=0.1)))
    stepper.step(30)
    again = stepper.replay()
    np.testing.assert_array_equal(again.history.params, stepper.history.params)
    np.testing.assert_array_equal(again.history.learning_rate, stepper.history.learning_rate)


def test_mini_batches_with_a_schedule_replay_bit_for_bit():
    config = BASE.replace(batch_size=7, schedule="onecycle", schedule_steps=T, dtype="float32")
    stepper = experiment.new_stepper(config)
    stepper.step(45)
    stepper.configure(TrainSpec.from_config(config.replace(schedule="cosine")))
    stepper.step(70)
    np.testing.assert_array_equal(stepper.replay().history.params, stepper.history.params)


# ---- the lessons ----------------------------------------------------------------------------
def test_a_rate_too_large_is_rescued_by_decay():
    lesson = BY_KEY["decay-rescues"].config
    constant = experiment.new_stepper(lesson.replace(schedule="constant"))
    assert lesson.learning_rate > critical_rate(constant.data)
    constant.step(2000, stop_at_convergence=True)
    assert constant.status == "diverged"
    decayed = experiment.new_stepper(lesson)
    decayed.step(2000, stop_at_convergence=True)
    assert decayed.status == "converged"
    np.testing.assert_allclose(decayed.params, least_squares(decayed.data), atol=5e-3)


def test_warm_up_starts_gentle_and_annealing_settles_the_mini_batch_jitter():
    lesson = BY_KEY["warm-up-fit"].config
    runs = {}
    for kind in ("constant", "onecycle"):
        stepper = experiment.new_stepper(lesson.replace(schedule=kind))
        stepper.step(lesson.max_steps)
        assert stepper.status == "running"
        runs[kind] = stepper
    best = least_squares(runs["onecycle"].data)
    rates = runs["onecycle"].history.learning_rate
    assert rates[0] == pytest.approx(lesson.learning_rate / lesson.div_factor)
    assert rates.max() == pytest.approx(lesson.learning_rate)
    assert abs(int(rates.argmax()) - lesson.pct_start * lesson.schedule_steps) <= 1
    gap = {
        k: np.linalg.norm(r.history.params[-200:] - best, axis=1).mean() for k, r in runs.items()
    }
    assert gap["onecycle"] < gap["constant"] / 3


# ---- the page: the rule of a scrubbed step shows that step's rate ----------------------------
driver = Page("pages/1_Fit_a_line.py", prefix="setting", state="fit")


def test_the_rule_of_a_scrubbed_step_shows_the_rate_then_in_force():
    at = driver.open(loss="mse", lr="0.4", sched="step", ss="3", sg="0.5")
    for _ in range(2):
        click(at, "btn.stepk")
    h = driver.run_of(at).stepper.history
    for t, rate in ((1, 0.4), (4, 0.2), (7, 0.1)):
        at.slider(key="timeline").set_value(t)  # shows the step from row t
        rerun(at)
        line = [e.value for e in at.latex][1]
        assert f"{h.params[t][0]:.4g}" in line.replace("(", "").replace(")", "")
        assert f" - {rate:.4g} \\times" in line, line
        caption = " ".join(c.value for c in at.caption)
        assert f"set this step's rate to η = {rate:.4g}" in caption
        w = h.params[t][0] - rate * h.grad[t][0]  # the arithmetic shown, by hand
        assert abs(h.params[t + 1][0] - w) < 1e-6
