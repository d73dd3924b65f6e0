"""The Stepper's bookkeeping: divergence, reset, reconfiguring mid-run, random starts,
convergence, History.plateau and evaluate(), each against a NumPy or torch oracle."""

from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from cases import noisy_line, three_by_two
from hypothesis import given, settings
from hypothesis import strategies as st

from linreg import landscape, trainer
from linreg.data import seed000, split
from linreg.history import History
from linreg.trainer import Stepper, TrainSpec, initial_params

F64 = TrainSpec(loss="mse", optimizer="sgd", dtype="float64")
START = [-0.4936, 0.3721]


# ---- NumPy references ---------------------------------------------------------------------
def gradient(data, theta, loss="mse", delta=1.0):
    d, k = data.n_features, data.n_targets
    r = data.x_train @ theta[: k * d].reshape(k, d).T + theta[k * d :] - data.y_train
    dr = {"mse": 2 * r, "mae": np.sign(r), "huber": np.clip(r, -delta, delta)}[loss] / r.size
    return np.r_[(dr.T @ data.x_train).ravel(), dr.sum(0)]


def mse(data, theta):
    d, k = data.n_features, data.n_targets
    r = data.x_train @ theta[: k * d].reshape(k, d).T + theta[k * d :] - data.y_train
    return np.mean(r**2)


def gd_path(data, start, lr, steps):
    theta, out = np.asarray(start, dtype=np.float64), []
    out.append(theta)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            theta = theta - lr * gradient(data, theta)
            out.append(theta)
    return np.array(out)


def momentum_path(data, start, schedule, loss_schedule=None, mu=0.9):
    """torch's SGD with momentum (dampening 0); `schedule[t]` is the lr of step t+1."""
    theta, buf, out = np.asarray(start, dtype=np.float64), None, []
    out.append(theta)
    for t, lr in enumerate(schedule):
        g = gradient(data, theta, loss_schedule[t] if loss_schedule else "mse")
        buf = g if buf is None else mu * buf + g
        theta = theta - lr * buf
        out.append(theta)
    return np.array(out)


# ---- divergence ---------------------------------------------------------------------------
def first_bad_step(data, path):
    """The documented rule: a train loss above EXPLODE × the starting scale (the larger of
    the start's loss and mean(y²)), or a non-finite one, is divergence."""
    with np.errstate(over="ignore", invalid="ignore"):
        losses = np.array([mse(data, t) for t in path])
    limit = trainer.EXPLODE * max(losses[0], np.mean(data.y_train**2))
    bad = ~np.isfinite(losses) | (losses > limit)
    assert bad.any()
    return int(np.argmax(bad))


@pytest.mark.parametrize(
    ("which", "lr_of"),
    [
        ("seed000", lambda data: 10.0),
        ("seed000", lambda data: 1.003 * landscape.critical_learning_rate(data)),
        ("multi", lambda data: 1.01 * landscape.critical_learning_rate(data)),
    ],
)
def test_divergence_is_flagged_at_the_first_bad_step(which, lr_of):
    data = seed000() if which == "seed000" else three_by_two()
    start = START if which == "seed000" else np.linspace(-1, 1, 8)
    lr = lr_of(data)
    path = gd_path(data, start, lr, 5000)
    bad = first_bad_step(data, path)
    stepper = Stepper(data, replace(F64, learning_rate=lr), start=start)
    taken = stepper.step(5000)
    assert stepper.diverged_at == bad
    assert stepper.status == "diverged"
    assert taken == bad - 1 == stepper.steps
    assert f"step {bad}" in stepper.message
    history = stepper.history
    assert len(history) == bad
    for column in (history.params, history.grad, history.train_loss, history.test_loss):
        assert np.all(np.isfinite(column))
    np.testing.assert_allclose(history.params, path[:bad], rtol=1e-9, atol=1e-9)
    # stepping a diverged run does nothing
    assert stepper.step(10) == 0
    assert len(stepper.history) == bad
    # a smaller learning rate goes on from the last good parameters
    assert stepper.configure(replace(F64, learning_rate=0.01)) == "learning_rate"
    assert stepper.status == "running"
    assert stepper.step(20) == 20
    want = gd_path(data, path[bad - 1], 0.01, 20)
    np.testing.assert_allclose(stepper.history.params[bad - 1 :], want, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("name", ["momentum", "nesterov"])
def test_a_lower_learning_rate_rescues_a_diverged_momentum_run(name):
    data = seed000()
    spec = replace(F64, optimizer=name, learning_rate=10.0)
    stepper = Stepper(data, spec, start=START)
    stepper.step(100)
    assert stepper.status == "diverged"
    last_good = stepper.params
    stepper.configure(replace(spec, learning_rate=0.001))
    assert stepper.step(20) == 20
    assert stepper.status == "running"
    assert np.all(np.isfinite(stepper.history.params))
    np.testing.assert_array_equal(stepper.history.params[-21], last_good)


def test_divergence_past_a_chunk_boundary():
    """The slow case above really crosses the Stepper's bookkeeping chunks."""
    data = seed000()
    lr = 1.003 * landscape.critical_learning_rate(data)
    assert first_bad_step(data, gd_path(data, START, lr, 5000)) > trainer.CHUNK


def test_overflow_to_infinity_is_divergence():
    data = seed000()
    stepper = Stepper(data, TrainSpec(loss="mse", learning_rate=1e30, dtype="float32"), start=START)
    assert stepper.step(5) == 0
    assert stepper.diverged_at == 1
    assert len(stepper.history) == 1
    assert np.all(np.isfinite(stepper.history.train_loss))
    np.testing.assert_allclose(stepper.params, START, rtol=1e-7)


# ---- reset ----------------------------------------------------------------------------------
@pytest.mark.parametrize("start", [START, None])
def test_reset_returns_to_row_zero_and_clears(start):
    data = noisy_line()
    spec = TrainSpec(loss="huber", optimizer="adam", learning_rate=0.05, batch_size=8, seed=3)
    stepper = Stepper(data, spec, start=start)
    first = stepper.params
    stepper.step(40)
    reference = stepper.history.params.copy()
    stepper.configure(replace(spec, learning_rate=0.01))
    stepper.step(10)
    stepper.reset()
    assert len(stepper.history) == 1 and stepper.steps == 0
    assert [g.start for g in stepper.segments] == [0]
    assert stepper.status == "ready"
    assert stepper.diverged_at is None and stepper.converged_at is None
    np.testing.assert_array_equal(stepper.params, first)
    # the spec in force is the last configured one; with the original one the run repeats
    assert stepper.spec.learning_rate == 0.01
    stepper.reset(spec)
    stepper.step(40)
    np.testing.assert_array_equal(stepper.history.params, reference)


def test_reset_after_divergence():
    stepper = Stepper(seed000(), replace(F64, learning_rate=10.0), start=START)
    stepper.step(100)
    assert stepper.status == "diverged"
    stepper.reset(replace(F64, learning_rate=0.1))
    assert stepper.status == "ready" and stepper.steps == 0
    assert stepper.step(30) == 30
    np.testing.assert_allclose(
        stepper.history.params, gd_path(seed000(), START, 0.1, 30), atol=1e-12
    )


# ---- configure ------------------------------------------------------------------------------
def test_learning_rate_change_keeps_params_and_momentum_buffer():
    data = three_by_two()
    start = np.linspace(-1, 1, 8)
    spec = replace(F64, optimizer="momentum", learning_rate=0.01)
    stepper = Stepper(data, spec, start=start)
    stepper.step(50)
    before = stepper.params
    assert stepper.configure(replace(spec, learning_rate=0.03)) == "learning_rate"
    np.testing.assert_array_equal(stepper.params, before)
    stepper.step(50)
    want = momentum_path(data, start, [0.01] * 50 + [0.03] * 50)
    np.testing.assert_allclose(stepper.history.params, want, rtol=0, atol=1e-9)
    # a fresh buffer at step 50 would have given another path
    fresh = momentum_path(data, want[50], [0.03] * 50)
    assert np.abs(fresh[-1] - want[-1]).max() > 1e-3
    assert [g.start for g in stepper.segments] == [0, 50]


def test_loss_change_keeps_params_and_optimizer_state():
    data = three_by_two()
    start = np.linspace(-1, 1, 8)
    spec = replace(F64, optimizer="momentum", learning_rate=0.01)
    stepper = Stepper(data, spec, start=start)
    stepper.step(30)
    stepper.configure(replace(spec, loss="mae"))
    stepper.step(30)
    want = momentum_path(data, start, [0.01] * 60, ["mse"] * 30 + ["mae"] * 30)
    np.testing.assert_allclose(stepper.history.params, want, rtol=0, atol=1e-9)


def test_optimizer_change_continues_from_the_params_with_a_new_optimizer():
    data = noisy_line()
    spec = replace(F64, optimizer="momentum", learning_rate=0.01)
    stepper = Stepper(data, spec, start=START)
    stepper.step(50)
    at_50 = stepper.params
    stepper.configure(replace(spec, optimizer="sgd", learning_rate=0.05))
    np.testing.assert_array_equal(stepper.params, at_50)
    stepper.step(20)
    np.testing.assert_allclose(
        stepper.history.params[50:], gd_path(data, at_50, 0.05, 20), rtol=0, atol=1e-12
    )


def test_dtype_change_continues_from_the_params():
    data = noisy_line()
    stepper = Stepper(data, replace(F64, learning_rate=0.05), start=START)
    stepper.step(25)
    at_25 = stepper.params
    stepper.configure(replace(F64, learning_rate=0.05, dtype="float32"))
    stepper.step(1)
    want = gd_path(data, at_25.astype(np.float32).astype(np.float64), 0.05, 1)[1]
    np.testing.assert_allclose(stepper.params, want, rtol=1e-5, atol=1e-6)


def test_unchanged_spec_is_a_no_op():
    stepper = Stepper(noisy_line(), F64, start=START)
    stepper.step(5)
    assert stepper.configure(F64) == ""
    assert [g.start for g in stepper.segments] == [0]


# ---- random start -----------------------------------------------------------------------------
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize(("d", "k"), [(1, 1), (3, 2), (2, 1), (5, 3)])
@pytest.mark.parametrize("seed", [0, 42, 999_999])
def test_random_start_is_nn_linears_own_init(seed, d, k, bias):
    torch.manual_seed(seed)
    linear = torch.nn.Linear(d, k, bias=bias)
    parts = [linear.weight.detach().ravel()] + ([linear.bias.detach()] if bias else [])
    want = torch.cat(parts).double().numpy()
    x = np.random.default_rng(0).normal(size=(10, d))
    data = split(x, np.random.default_rng(1).normal(size=(10, k)), 0.8)
    stepper = Stepper(data, TrainSpec(seed=seed, bias=bias))
    np.testing.assert_array_equal(stepper.params, want)
    np.testing.assert_array_equal(initial_params(d, k, seed, bias), want)


def test_random_start_leaves_the_global_generator_alone():
    torch.manual_seed(7)
    state = torch.get_rng_state()
    initial_params(3, 2, 11)
    assert torch.equal(state, torch.get_rng_state())


def test_building_a_stepper_leaves_the_global_generator_alone():
    torch.manual_seed(7)
    state = torch.get_rng_state()
    Stepper(three_by_two(), TrainSpec(seed=11), start=np.zeros(8)).step(5)
    assert torch.equal(state, torch.get_rng_state())


def test_mini_batches_leave_the_global_generator_alone():
    stepper = Stepper(three_by_two(), TrainSpec(seed=11, batch_size=8), start=np.zeros(8))
    torch.manual_seed(7)
    state = torch.get_rng_state()
    stepper.step(20)
    assert torch.equal(state, torch.get_rng_state())


# ---- convergence ------------------------------------------------------------------------------
def plateau_by_definition(loss, window, tolerance, since=0):
    """History.plateau's docstring, literally: the first t ≥ since + 2·window - 1 at which
    the best loss of the last `window` steps (t-window+1 .. t) is no better than the best
    before them (from step `since` on) by more than tolerance·|best before|, and the highest
    loss of those steps is no higher than that of the window before, (1 + tolerance) times
    plus tolerance·|best so far|."""
    for t in range(since + 2 * window - 1, len(loss)):
        before = min(loss[since : t - window + 1])
        last = min(loss[t - window + 1 : t + 1])
        top_last = max(loss[t - window + 1 : t + 1])
        top_before = max(loss[t - 2 * window + 1 : t - window + 1])
        best = min(before, last)
        stalled = before - last <= tolerance * abs(before)
        if stalled and top_last <= top_before * (1 + tolerance) + tolerance * abs(best):
            return t
    return None


def test_stop_at_convergence_stops():
    stepper = Stepper(seed000(), TrainSpec(), start=START)
    taken = stepper.step(5000, stop_at_convergence=True)
    assert taken < 5000
    assert stepper.status == "converged"
    loss = stepper.history.train_loss
    t = plateau_by_definition(loss, trainer.WINDOW, 1e-6)
    assert stepper.converged_at == t
    assert t <= stepper.steps < t + 2 * trainer.WINDOW
    assert "Converged" in stepper.message


def test_without_stop_the_run_goes_on():
    stepper = Stepper(seed000(), TrainSpec(), start=START)
    assert stepper.step(700) == 700
    assert stepper.converged_at is None and stepper.status == "running"


def test_convergence_after_a_change_is_judged_after_the_change():
    data = noisy_line()
    spec = replace(F64, learning_rate=1e-6)  # so slow that it counts as converged
    stepper = Stepper(data, spec, start=START)
    stepper.step(5000, stop_at_convergence=True, tolerance=1e-3)
    assert stepper.status == "converged"
    changed_at = stepper.steps
    stepper.configure(replace(spec, learning_rate=0.1))
    assert stepper.converged_at is None
    stepper.step(5000, stop_at_convergence=True, tolerance=1e-3)
    # the loss falls a lot after the change...
    loss = stepper.history.train_loss
    assert loss[-1] < 0.5 * loss[changed_at]
    # ...so any convergence must be dated after it
    assert stepper.converged_at is None or stepper.converged_at > changed_at


@pytest.mark.parametrize(
    ("loss", "window", "tolerance", "want"),
    [
        ([3.0, 2.0], 2, 0.0, None),  # not longer than the window
        ([5.0, 4.0, 3.0, 2.0, 1.0], 2, 0.0, None),  # always improving
        ([1.0, 1.0, 1.0, 1.0], 2, 0.0, 3),  # flat from the start (two windows needed)
        ([10, 9, 8, 7, 7, 7, 7, 7], 2, 0.0, 5),
        ([5, 6, 4, 7, 8, 9], 2, 0.0, None),  # a growing loss is no convergence
        ([5, 6, 4, 7, 8, 9, 6, 7], 2, 0.0, 7),  # ...until it stops growing
        ([100, 99.99, 99.98, 99.97], 1, 1e-3, 1),  # relative tolerance
        ([100, 99.99, 99.98, 99.97], 1, 1e-5, None),
        ([1.0, -1.0, -1.0], 1, 0.0, 2),  # negative losses: |before|
    ],
)
def test_plateau_on_hand_made_losses(loss, window, tolerance, want):
    history = History(1)
    loss = np.asarray(loss, dtype=float)
    history.append(np.zeros((len(loss), 1)), np.zeros((len(loss), 1)), loss, loss)
    assert history.plateau(window, tolerance) == want


def test_plateau_counts_from_since():
    history = History(1)
    loss = np.array([9.0, 9.0, 9.0, 5.0, 4.0, 3.0, 3.0, 3.0, 3.0])
    history.append(np.zeros((9, 1)), np.zeros((9, 1)), loss, loss)
    assert history.plateau(2, 0.0) == 7  # 3.0 at 5, no better at 6 and 7, and not growing
    assert history.plateau(2, 0.0, since=3) == 7
    assert history.plateau(2, 0.0, since=7) is None


@settings(deadline=None, max_examples=300)
@given(
    st.lists(st.floats(0, 10, allow_nan=False), min_size=1, max_size=40),
    st.integers(1, 10),
    st.sampled_from([0.0, 1e-3, 0.1]),
    st.integers(0, 45),
)
def test_plateau_matches_its_definition(loss, window, tolerance, since):
    history = History(1)
    history.append(np.zeros((len(loss), 1)), np.zeros((len(loss), 1)), loss, loss)
    want = plateau_by_definition(loss, window, tolerance, since)
    assert history.plateau(window, tolerance, since) == want
    if since == 0:
        assert history.plateau(window, tolerance) == want


# ---- evaluate and the recorded history --------------------------------------------------------
def functional(loss, pred, y, delta):
    if loss == "mse":
        return F.mse_loss(pred, y)
    if loss == "mae":
        return F.l1_loss(pred, y)
    return F.huber_loss(pred, y, delta=delta)


def torch_loss_and_grad(data, theta, loss, delta, which="train"):
    x = torch.tensor(data.x_train if which == "train" else data.x_test)
    y = torch.tensor(data.y_train if which == "train" else data.y_test)
    d, k = data.n_features, data.n_targets
    t = torch.tensor(theta, requires_grad=True)
    value = functional(loss, F.linear(x, t[: k * d].reshape(k, d), t[k * d :]), y, delta)
    value.backward()
    return value.item(), t.grad.numpy()


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
@pytest.mark.parametrize("which", ["line", "multi"])
def test_evaluate_is_torch_functional_loss(which, loss):
    data = noisy_line() if which == "line" else three_by_two()
    p = data.n_features * data.n_targets + data.n_targets
    stepper = Stepper(
        data, TrainSpec(loss=loss, huber_delta=0.7, dtype="float64"), start=np.zeros(p)
    )
    rows = np.random.default_rng(2).normal(0, 2, (9, p))
    train, grad = stepper.evaluate(rows, "train", with_grad=True)
    test = stepper.evaluate(rows, "test")[0]
    for row, tr, te, g in zip(rows, train, test, grad, strict=True):
        want_train, want_grad = torch_loss_and_grad(data, row, loss, 0.7)
        assert tr == pytest.approx(want_train, rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(g, want_grad, rtol=1e-10, atol=1e-12)
        assert te == pytest.approx(
            torch_loss_and_grad(data, row, loss, 0.7, "test")[0], rel=1e-12, abs=1e-12
        )
    # float32 runs evaluate in float32: close, not equal
    stepper32 = Stepper(data, TrainSpec(loss=loss, huber_delta=0.7), start=np.zeros(p))
    np.testing.assert_allclose(stepper32.evaluate(rows)[0], train, rtol=1e-5)


def test_history_records_full_batch_values_for_mini_batch_runs():
    data = three_by_two()
    spec = TrainSpec(
        loss="huber",
        huber_delta=0.7,
        optimizer="adam",
        learning_rate=0.05,
        dtype="float64",
        batch_size=8,
        seed=4,
    )
    stepper = Stepper(data, spec, start=np.zeros(8))
    stepper.step(30)
    h = stepper.history
    for t in (0, 1, 17, 30):
        want_loss, want_grad = torch_loss_and_grad(data, h.params[t], "huber", 0.7)
        assert h.train_loss[t] == pytest.approx(want_loss, rel=1e-12)
        np.testing.assert_allclose(h.grad[t], want_grad, rtol=1e-10, atol=1e-12)
        assert h.test_loss[t] == pytest.approx(
            torch_loss_and_grad(data, h.params[t], "huber", 0.7, "test")[0], rel=1e-12
        )


def test_empty_test_set_gives_nan_test_loss():
    data = split(np.arange(5.0), 2 * np.arange(5.0), 1.0)
    stepper = Stepper(data, F64, start=[0.0, 0.0])
    stepper.step(3)
    assert np.all(np.isnan(stepper.history.test_loss))
    assert np.all(np.isfinite(stepper.history.train_loss))


def test_history_grows_past_its_first_allocation():
    stepper = Stepper(noisy_line(), replace(F64, learning_rate=0.01), start=START)
    for _ in range(3):
        stepper.step(700)
    assert len(stepper.history) == 2101
    np.testing.assert_allclose(
        stepper.history.params, gd_path(noisy_line(), START, 0.01, 2100), atol=1e-9
    )
