"""AppTest of the "Capacity and regularisation" page: the controls do what they say, and the
numbers it shows are checked against a NumPy re-implementation (the true curve plus seeded
noise, powers standardised on the train rows, nn.Linear's seeded start, full-batch gradient
descent on MSE + ridge), against the truth the data came from (which powers a lasso should
keep) and against the engine run directly (links replay to the same parameters, bit for bit).

Charts are a custom component AppTest cannot see into; the browser test looks at them.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from pagetest import Page, click, rerun, shown

from linreg.curves import sample_curve
from linreg.polyfeatures import polynomial
from linreg.presets import BY_KEY, CAPACITY_LESSONS
from linreg.regularised import PenalisedStepper, RegSpec
from linreg.settings import table
from linreg.settings.capacity import CapacityConfig

PAGE = "pages/5_Capacity.py"
TABLE = table(CapacityConfig)
driver = Page(PAGE, prefix="capacity", state="capacity")
open_page, set_setting, run_of = driver.open, driver.set_setting, driver.run_of


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def linear_start(d: int, seed: int) -> np.ndarray:
    """nn.Linear(d, 1) after torch.manual_seed(seed): [weight, bias]."""
    before = torch.random.get_rng_state()
    torch.manual_seed(seed)
    model = torch.nn.Linear(d, 1)
    torch.random.set_rng_state(before)
    return torch.cat([model.weight.detach().ravel(), model.bias.detach()]).double().numpy()


def numpy_ridge_descent(run, steps: int) -> np.ndarray:
    """Full-batch SGD on MSE + λ/2‖w‖² over standardised powers, written out in NumPy from
    the page's train rows (the data are checked against the true curve separately)."""
    c = run.config
    x, y = run.data.x_train[:, 0], run.data.y_train[:, 0]
    raw = np.stack([x**j for j in range(1, c.degree + 1)], axis=1)
    z = (raw - raw.mean(0)) / raw.std(0)
    theta = linear_start(c.degree, c.seed)
    for _ in range(steps):
        r = z @ theta[:-1] + theta[-1] - y
        grad = np.append(2 * z.T @ r / len(y) + c.strength * theta[:-1], 2 * r.mean())
        theta = theta - c.learning_rate * grad
    return theta


def test_opens_at_the_defaults_on_the_noisy_cubic():
    at = open_page()
    run = run_of(at)
    assert run.config == TABLE.defaults and run.steps == 0
    x = np.concatenate([run.data.x_train[:, 0], run.data.x_test[:, 0]])
    assert np.allclose(np.sort(x), -1 + 2 * np.arange(40) / 40)  # evenly on [-1, 1)
    # every point is the cubic 3x³ - 2.5x + 0.5 plus noise of σ 0.3 (loosely: 40 draws)
    y = np.concatenate([run.data.y_train[:, 0], run.data.y_test[:, 0]])
    noise = y - (3 * x**3 - 2.5 * x + 0.5)
    assert 0.15 < noise.std() < 0.45
    start = linear_start(9, 0)
    assert np.allclose(run.stepper.history.params[0], start, atol=1e-7)
    values = shown(at)
    assert values["Step"] == "0" and values["Exactly 0"] == "0 of 9"
    theta = numpy_ridge_descent(run, 0)
    raw = np.stack([run.data.x_train[:, 0] ** j for j in range(1, 10)], axis=1)
    z = (raw - raw.mean(0)) / raw.std(0)
    mse = np.mean((z @ theta[:-1] + theta[-1] - run.data.y_train[:, 0]) ** 2)
    assert float(values["Train MSE"]) == pytest.approx(mse, rel=1e-3)
    assert len(at.exception) == 0


def test_step_step_k_and_reset_follow_numpy_gradient_descent():
    at = open_page()
    click(at, "capacity.btn.step")
    assert shown(at)["Step"] == "1"
    click(at, "capacity.btn.stepk")
    run = run_of(at)
    assert run.steps == 11
    np.testing.assert_allclose(run.stepper.params, numpy_ridge_descent(run, 11), atol=1e-10)
    assert shown(at)["Rate of this step"] == "0.1"
    click(at, "capacity.btn.reset")
    assert run_of(at).steps == 0 and shown(at)["Step"] == "0"


def test_a_new_lambda_continues_the_run_and_a_new_degree_restarts_it():
    at = open_page()
    click(at, "capacity.btn.stepk")
    set_setting(at, "strength", 0.1)
    run = run_of(at)
    assert run.steps == 10 and [s for s, _ in run.changes] == [0, 10]
    assert "continues from step 10" in texts(at.info)
    # the engine run directly: 10 steps at λ 0.01, then on at λ 0.1
    click(at, "capacity.btn.stepk")
    direct = PenalisedStepper(run.poly, RegSpec("ridge", 0.01, learning_rate=0.1, total_steps=2000))
    direct.step(10)
    direct.configure(RegSpec("ridge", 0.1, learning_rate=0.1, total_steps=2000))
    direct.step(10)
    np.testing.assert_array_equal(run_of(at).stepper.params, direct.params)
    set_setting(at, "degree", 4)
    assert run_of(at).steps == 0 and run_of(at).poly.degree == 4
    assert "degree changed" in texts(at.info)


def test_with_a_schedule_a_penalty_change_restarts_rather_than_restart_the_schedule():
    at = open_page(sched="exponential")
    click(at, "capacity.btn.stepk")
    set_setting(at, "strength", 0.1)
    assert run_of(at).steps == 0
    assert "schedule over" in texts(at.info)


def test_a_proximal_lasso_with_adam_is_refused_with_a_note():
    at = open_page(pen="lasso")
    set_setting(at, "optimizer", "adam")
    assert run_of(at).config.optimizer == "sgd"
    assert "proximal" in texts(at.warning).lower()
    at = open_page(pen="lasso", opt="adam")  # the same asked by a link
    assert run_of(at).config.optimizer == "sgd" and "proximal" in texts(at.warning).lower()
    set_setting(at, "l1_method", "subgradient")
    set_setting(at, "optimizer", "adam")
    assert run_of(at).config.optimizer == "adam"  # by subgradient Adam is fine


@pytest.mark.parametrize("lesson", CAPACITY_LESSONS, ids=lambda p: p.key)
def test_each_lesson_opens_with_its_banner(lesson):
    at = open_page(**lesson.link)
    run = run_of(at)
    assert lesson.title in texts(at.info)
    assert run.lesson is lesson and not at.warning
    assert run.steps == lesson.step or run.stepper.diverged_at is not None
    for name, value in lesson.changes.items():
        assert getattr(run.config, name) == value


def test_the_lasso_lesson_keeps_exactly_the_powers_the_quadratic_has():
    at = open_page(**BY_KEY["lasso-degree"].link)
    run = run_of(at)
    kept = np.flatnonzero(run.stepper.params[: run.poly.degree]) + 1
    truth = np.flatnonzero(np.polynomial.Polynomial([-0.3, -0.5, 1.5]).coef[1:]) + 1
    assert list(kept) == list(truth) == [1, 2]
    assert shown(at)["Exactly 0"] == f"{run.poly.degree - 2} of {run.poly.degree}"


def test_overfitting_shows_in_the_test_loss():
    losses = {}
    for key in ("underfit", "good-fit", "overfit"):
        h = run_of(open_page(**BY_KEY[key].link)).stepper.history
        losses[key] = (h.train_loss[-1], h.test_loss[-1])
    assert losses["overfit"][0] < losses["good-fit"][0] < losses["underfit"][0]
    assert losses["good-fit"][1] < min(losses["underfit"][1], losses["overfit"][1])


def test_a_link_replays_to_the_same_parameters_as_the_engine_run_directly():
    query = {"pen": "lasso", "lam": "0.02", "deg": "6", "step": "40", "then": "15:lam=0.05"}
    at = open_page(**query)
    run = run_of(at)
    assert run.steps == 40 and not at.warning
    poly = polynomial(sample_curve("cubic", 0.3, 40, -1.0, 1.0, 0.5, "shuffled", 0), 6)
    spec = RegSpec("lasso", 0.02, learning_rate=0.1, total_steps=2000)
    direct = PenalisedStepper(poly, spec)
    direct.step(15)
    direct.configure(RegSpec("lasso", 0.05, learning_rate=0.1, total_steps=2000))
    direct.step(25)
    np.testing.assert_array_equal(run.stepper.params, direct.params)
    # and the run's own share link says the same
    assert run.share_query(40)["then"] == "15:lam=0.05"


@pytest.mark.parametrize(
    "query",
    [
        {"deg": "99", "curve": "spiral", "step": "x²"},
        {"then": "5:deg=3;oops", "lam": "nan", "x0": "3", "x1": "1"},
        {"sched": "onecycle", "warm": "0.05", "max": "20", "si": "1", "sj": "1"},
        {"lesson": "seed000", "opt": "adamw", "pen": "elastic", "alpha": "2"},
    ],
)
def test_bad_link_parameters_give_notes_not_tracebacks(query):
    at = open_page(**query)
    assert not at.exception and at.warning
    run_of(at)  # the page is up, with a run


def test_views_5_and_6_are_batched_runs_with_progress():
    at = open_page()
    run = run_of(at)
    assert run.many is not None
    assert len(run.many.path.strengths) == 40 and list(run.many.degrees.degrees) == list(
        range(1, 13)
    )
    assert "runs of" in at.progress[0].text
    # the path's runs at a λ where they settle land on the exact minima they are drawn with
    settled = run.many.path.last_move < 1e-9
    assert settled.any()
    np.testing.assert_allclose(run.many.path.params[settled], run.many.exact[settled], atol=1e-5)
    set_setting(at, "many_runs", False)
    assert not at.progress and "Path and validation curves" in texts(at.caption)
    rerun(at)


def test_the_conditioning_table_quotes_numpys_critical_rates():
    at = open_page(x0="0", x1="2", deg="5")
    run = run_of(at)
    x = run.data.x_train[:, 0]
    raw = np.stack([x**j for j in range(1, 6)], axis=1)
    z = (raw - raw.mean(0)) / raw.std(0)
    rates = []
    for features in (raw, z):
        a = np.hstack([features, np.ones((len(x), 1))])
        rates.append(2 / np.linalg.eigvalsh(2 * a.T @ a / len(x))[-1])
    table_rows = at.dataframe[0].value
    assert list(table_rows["features"]) == ["raw", "standardised", "standardised + ridge"]
    shown_rates = [float(v) for v in table_rows["critical rate 2/λmax"]]
    np.testing.assert_allclose(shown_rates[:2], rates, rtol=2e-3)
    assert f"{rates[1] / rates[0]:.3g}× larger" in texts(at.caption)


def test_ridge_two_ways_is_one_update_for_sgd_and_adam_but_not_adamw():
    rows = open_page().dataframe[1].value
    delta = dict(zip(rows["weight_decay in"], rows["max |Δθ|"], strict=True))
    assert delta["SGD"] == "0" and delta["Adam"] == "0"
    assert float(delta["AdamW (decoupled)"]) > 1e-3


def test_a_live_run_stops_at_the_step_limit_or_at_convergence():
    at = open_page(max="30", speed="20")
    run = run_of(at)
    run.toggle()
    while run.running:
        run.tick()  # what each live update does (AppTest does not fire the ticker)
    assert run.steps == 30 and "maximum of 30 steps" in run.stop_reason
    at = open_page(deg="1", lr="0.5", pen="none", speed="500", max="20000")
    run = run_of(at)
    run.toggle()
    while run.running:
        run.tick()
    h = run.stepper.history
    assert run.stepper.converged_at is not None and run.stop_reason.startswith("Converged")
    # at convergence, degree 1 sits on the least-squares line of the train points
    a = np.hstack([run.poly.data.x_train, np.ones((len(run.data.y_train), 1))])
    best = np.linalg.lstsq(a, run.data.y_train[:, 0], rcond=None)[0]
    np.testing.assert_allclose(h.params[-1], best, atol=1e-4)
