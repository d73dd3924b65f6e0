"""The "Many features" engine against oracles written here in NumPy: plain gradient descent
on MSE over the same batches, least squares, and the Hessian 2AᵀA/(n k) of a design matrix
built independently. The batches come from a plain `DataLoader(TensorDataset, batch_size,
shuffle=True, generator=...)` as the tutorial writes it."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from cases import CROP
from torch.utils.data import DataLoader, TensorDataset

from linreg import features
from linreg.data import crop_yields, split
from linreg.landscape import loss_at
from linreg.surfaces import loss_grid
from linreg.trainer import initial_params


def numpy_descent(x, y, theta, lr, batches):
    """θ rows after each batch: W ← W - lr·(2/(b k))·(XbWᵀ + b - Yb)ᵀXb, same for b."""
    k, d = y.shape[1], x.shape[1]
    w, b = theta[: k * d].reshape(k, d).copy(), theta[k * d :].copy()
    rows = [theta.copy()]
    for idx in batches:
        xb, yb = x[idx], y[idx]
        r = xb @ w.T + b - yb
        gw, gb = 2 * r.T @ xb / r.size, 2 * r.sum(0) / r.size
        w, b = w - lr * gw, b - lr * gb
        rows.append(np.concatenate([w.ravel(), b]))
    return np.array(rows)


def lstsq(data) -> np.ndarray:
    """Least squares with NumPy: θ = [W.ravel(), b]."""
    a = np.hstack([data.x_train, np.ones((len(data.x_train), 1))])
    cols = np.linalg.lstsq(a, data.y_train, rcond=None)[0]  # (d+1, k)
    return np.concatenate([cols[:-1].T.ravel(), cols[-1]])


def tutorial_batches(n, batch_size, seed, n_epochs):
    """The tutorial's DataLoader over row numbers, with a seeded generator."""
    rows = torch.arange(n)
    loader = DataLoader(
        TensorDataset(rows),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    return [[b[0].numpy() for b in loader] for _ in range(n_epochs)]


def test_crop_data_is_the_tutorials():
    for rows in (5, 15):
        data = crop_yields(rows)
        table = np.tile(CROP, (rows // 5, 1))
        assert np.array_equal(data.x_train, table[:, :3])
        assert np.array_equal(data.y_train, table[:, 3:])


@pytest.mark.parametrize("first", features.MODES)
def test_the_two_ways_agree_over_100_full_batch_steps_in_float64(first):
    data = crop_yields(5)
    start = initial_params(3, 2, 42)
    lock = features.Lockstep(
        data, features.train_spec(1e-5, 0, True, "float64", 42), start, first, compare=True
    )
    lock.step(100)
    oracle = numpy_descent(CROP[:, :3], CROP[:, 3:], start, 1e-5, [np.arange(5)] * 100)
    assert len(lock.delta()) == 101
    assert lock.delta().max() < 1e-6
    for way in (lock.main, lock.twin):
        assert np.abs(way.history.params - oracle).max() < 1e-9
    assert lock.main.history.train_loss[-1] < lock.main.history.train_loss[0] / 5


def test_batches_are_the_tutorials_dataloader():
    spec = features.train_spec(1e-5, 5, True, "float32", 7)
    plan = features.batch_plan(15, spec, 4)
    want = tutorial_batches(15, 5, 7, 4)
    assert [[list(b) for b in e] for e in plan] == [[list(b) for b in e] for e in want]
    for epoch in plan:  # every row once per epoch
        assert sorted(np.concatenate(epoch)) == list(range(15))
    kept = features.BatchPlan(15, spec)
    assert [list(b) for b in kept.epoch(3)] == [list(b) for b in want[3]]
    assert [list(b) for b in kept.epoch(1)] == [list(b) for b in want[1]]
    ordered = features.batch_plan(15, features.train_spec(1e-5, 5, False, "float32", 7), 2)
    assert [list(b) for b in ordered[1]] == [list(range(i, i + 5)) for i in (0, 5, 10)]


@pytest.mark.parametrize("mode", features.MODES)
def test_mini_batch_steps_follow_the_plan(mode):
    data = crop_yields(15)
    start = initial_params(3, 2, 3)
    spec = features.train_spec(1e-5, 5, True, "float64", 3)
    run = features.stepper(mode, data, spec, start)
    run.step(30)
    batches = [b for epoch in tutorial_batches(15, 5, 3, 10) for b in epoch]
    oracle = numpy_descent(data.x_train, data.y_train, start, 1e-5, batches)
    assert np.abs(run.history.params - oracle).max() < 1e-9
    assert features.batch_of_step(1, 15, 5) == (0, 0)
    assert features.batch_of_step(4, 15, 5) == (1, 0)
    assert features.batch_of_step(30, 15, 5) == (9, 2)


def test_slice_loss_equals_loss_at_sampled_points():
    data = crop_yields(15)
    rng = np.random.default_rng(0)
    base = rng.normal(size=8)
    s, t = np.linspace(-2, 2, 7), np.linspace(-5, 5, 9)
    for i, j in [(0, 6), (1, 2), (3, 7), (6, 7)]:
        grid = loss_grid(data, base, i, j, s, t, "mse")
        for a, b in [(0, 0), (3, 4), (6, 8), (2, 7)]:
            theta = base.copy()
            theta[i], theta[j] = s[a], t[b]
            want = loss_at(data, theta[None], "mse")[0]
            assert grid[b, a] == pytest.approx(want, rel=1e-10)


def test_standardised_critical_rate_is_two_over_lambda_max():
    x = CROP[:, :3]
    z = (x - x.mean(0)) / x.std(0)
    a = np.hstack([z, np.ones((5, 1))])
    lam = np.linalg.eigvalsh(2 * a.T @ a / (5 * 2))
    scaled, _ = features.standardise(crop_yields(5))
    cond = features.conditioning(scaled)
    assert cond.critical_rate == pytest.approx(2 / lam[-1], rel=1e-12)
    assert cond.condition_number == pytest.approx(lam[-1] / lam[0], rel=1e-9)
    raw = features.conditioning(crop_yields(5))
    a_raw = np.hstack([x, np.ones((5, 1))])
    lam_raw = np.linalg.eigvalsh(2 * a_raw.T @ a_raw / 10)
    assert raw.critical_rate == pytest.approx(2 / lam_raw[-1], rel=1e-12)
    # the lesson: raw features are ill-conditioned, lr 1e-5 sits below their critical rate
    assert raw.condition_number > 1e5 > 10 > cond.condition_number
    assert 1e-5 < raw.critical_rate < 1e-3 < 0.5 < cond.critical_rate


def test_standardised_training_converges_where_raw_crawls():
    raw = crop_yields(15)
    scaled, _ = features.standardise(raw)
    start = initial_params(3, 2, 42)
    slow = features.stepper(
        "builtins", raw, features.train_spec(1e-5, 0, True, "float64", 0), start
    )
    fast = features.stepper(
        "builtins", scaled, features.train_spec(0.5, 0, True, "float64", 0), start
    )
    slow.step(200)
    fast.step(200)
    best = loss_at(raw, lstsq(raw)[None], "mse")[0]
    assert fast.history.train_loss[-1] == pytest.approx(best, rel=1e-6)
    assert slow.history.train_loss[-1] > 2 * best


def test_original_units_give_the_same_predictions():
    raw = crop_yields(5)
    scaled, scaler = features.standardise(raw)
    theta = np.random.default_rng(1).normal(size=8)
    back = scaler.to_original(theta, 2)
    assert np.allclose(features.predictions(scaled, theta), features.predictions(raw, back))
    assert np.allclose(scaler.from_original(back, 2), theta)
    many = np.random.default_rng(2).normal(size=(4, 8))
    assert np.allclose(scaler.to_original(many, 2)[2], scaler.to_original(many[2], 2))
    # the least-squares optimum maps onto the raw data's optimum
    assert np.allclose(scaler.to_original(lstsq(scaled), 2), lstsq(raw), atol=1e-8)


def test_target_losses_average_to_the_recorded_loss():
    data = crop_yields(15)
    run = features.stepper(
        "builtins", data, features.train_spec(1e-5, 5, True, "float64", 0), initial_params(3, 2, 0)
    )
    run.step(20)
    per = features.target_losses(data, run.history.params)
    assert np.allclose(per.mean(1), run.history.train_loss, rtol=1e-12)
    r = features.predictions(data, run.history.params[5]) - data.y_train
    assert np.allclose(per[5], (r**2).mean(0))


def test_synthetic_data_recovers_its_truth():
    w = [[1.0, -2.0, 0.5], [0.5, 1.0, -1.5]]
    b = [1.0, -0.5]
    x, y = features.synthetic(w, b, 0.0, 40, 100.0, 3)
    assert x.std(0)[2] / x.std(0)[0] > 30  # the spread makes the scales differ
    data = split(x, y, 1.0)
    assert np.allclose(lstsq(data), np.concatenate([np.ravel(w), b]))


def test_switching_way_and_comparison_replays_the_same_steps():
    data = crop_yields(15)
    start = initial_params(3, 2, 5)
    spec = features.train_spec(1e-5, 5, True, "float64", 5)
    lock = features.Lockstep(data, spec, start, "builtins", compare=False)
    lock.step(12)
    lock.configure(features.train_spec(2e-5, 4, False, "float64", 5))
    lock.step(9)
    lock.set_compare(True)  # the twin is replayed through both settings
    assert lock.delta().max() < 1e-12
    lock.set_mode("scratch")
    assert lock.mode == "scratch" and lock.main.steps == 21
    lock.set_compare(False)
    lock.set_mode("builtins")  # replayed without a twin
    assert lock.main.steps == 21 and lock.twin is None
    whole = numpy_descent(
        data.x_train,
        data.y_train,
        start,
        1e-5,
        [b for e in tutorial_batches(15, 5, 5, 4) for b in e][:12],
    )
    assert np.abs(lock.main.history.params[:13] - whole).max() < 1e-9
