"""The three tutorials' printed numbers, replayed through the engine.

Seed 000: nn.Linear, L1Loss, SGD(lr=0.01) on y = 0.8x + 0.2, ordered 80/20 split.
Seed 001: crop yields (5 rows, then the 5 repeated to 15), MSE, lr 1e-5.
Seed 002: X = [[1,2],[3,4],[5,6]], w = [10, 20], lr 1e-4, a million steps.
"""

import time

import numpy as np
import pytest
import torch

import linreg
from linreg import scratch
from linreg.data import crop_yields, seed000, seed002
from linreg.settings import Config
from linreg.trainer import Stepper, TrainSpec

# ---- seed 002 ---------------------------------------------------------------------------
SEED002_NUMPY = [10.00000008, 19.99999994]  # printed by the tutorial's NumPy loops
SEED002_FLOAT32 = [10.0429, 19.9661]  # printed by its float32 torch loops


def tutorial_numpy_loop(nepochs: int) -> np.ndarray:
    """Seed 002's generalised NumPy loop, as written in the tutorial."""
    w_true = np.array([[10], [20]])
    X = np.array([[1, 2], [3, 4], [5, 6]])

    def f(X, w):
        return np.sum(np.dot(X, w), 1)

    y_true = f(X, w_true)
    learning_rate = 0.0001
    w = np.array([[0.1], [0.1]])
    for _ in range(nepochs):
        df = (-2 * np.dot(X.T, (y_true - f(X, w)))) / len(X)
        w -= learning_rate * df.reshape(w.shape)
    return w.ravel()


@pytest.mark.slow
def test_seed002_numpy_loop_prints_the_tutorials_numbers():
    w = tutorial_numpy_loop(1_000_000)
    assert np.round(w, 8).tolist() == SEED002_NUMPY


def test_seed002_fast_path_gives_the_tutorials_numbers():
    w = linreg.params_at(seed002(), 1e-4, start=[0.1, 0.1], steps=[1_000_000], bias=False)[0]
    assert np.round(w, 8).tolist() == SEED002_NUMPY
    np.testing.assert_allclose(w, SEED002_NUMPY, rtol=0, atol=1e-8)


def test_seed002_fast_path_follows_the_tutorial_loop():
    for t in (1, 10, 5000):
        w = linreg.params_at(seed002(), 1e-4, start=[0.1, 0.1], steps=[t], bias=False)[0]
        np.testing.assert_allclose(w, tutorial_numpy_loop(t), rtol=0, atol=1e-10)


def four_ways(data, start, lr, steps, bias):
    """θ per step from scratch.numpy_gd, scratch.autograd_gd and the Stepper (both gradient
    modes: nn.Linear + MSELoss + SGD with autograd, and the closed form), all float64."""
    runs = {
        "numpy_gd": scratch.numpy_gd(data, start, lr, steps, bias=bias),
        "autograd_gd": scratch.autograd_gd(data, start, lr, steps, bias=bias),
    }
    for gradient in ("autograd", "closed-form"):
        spec = TrainSpec(
            loss="mse",
            optimizer="sgd",
            learning_rate=lr,
            dtype="float64",
            bias=bias,
            gradient=gradient,
        )
        stepper = Stepper(data, spec, start=start)
        assert stepper.step(steps) == steps
        runs[f"stepper {gradient}"] = stepper.history.params
    return runs


def test_seed002_three_ways_agree_step_by_step():
    runs = four_ways(seed002(), [0.1, 0.1], 1e-4, 1000, bias=False)
    # the tutorial's own loop, one step at a time, is the oracle
    want = np.array([tutorial_numpy_loop(t) for t in (0, 1, 2, 3, 999, 1000)])
    for name, got in runs.items():
        assert got.shape == (1001, 2), name
        np.testing.assert_allclose(
            got[[0, 1, 2, 3, 999, 1000]], want, rtol=0, atol=1e-9, err_msg=name
        )
        np.testing.assert_allclose(got, runs["numpy_gd"], rtol=0, atol=1e-9, err_msg=name)


def crop_loop(x, y, w, b, lr, steps):
    """Seed 001's from-scratch loop (preds = x @ w.t() + b; mse = Σ diff² / numel), NumPy."""
    out = [np.r_[w.ravel(), b]]
    for _ in range(steps):
        diff = x @ w.T + b - y
        grad_w, grad_b = 2 * diff.T @ x / diff.size, 2 * diff.sum(0) / diff.size
        w, b = w - lr * grad_w, b - lr * grad_b
        out.append(np.r_[w.ravel(), b])
    return np.array(out)


def test_seed001_three_ways_agree_step_by_step():
    data = crop_yields(5)
    g = torch.Generator().manual_seed(1)
    w, b = torch.randn(2, 3, generator=g).double(), torch.randn(2, generator=g).double()
    start = np.r_[w.numpy().ravel(), b.numpy()]
    runs = four_ways(data, start, 1e-5, 100, bias=True)
    want = crop_loop(data.x_train, data.y_train, w.numpy(), b.numpy(), 1e-5, 100)
    assert np.abs(want[-1] - want[0]).max() > 0.1
    for name, got in runs.items():
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9, err_msg=name)


def seed002_float32(gradient: str):
    """The engine's float32 replay: runs until the steps stop changing anything."""
    spec = TrainSpec(
        loss="mse",
        optimizer="sgd",
        learning_rate=1e-4,
        dtype="float32",
        bias=False,
        gradient=gradient,
    )
    stepper = Stepper(seed002(), spec, start=[0.0, 0.0])
    began = time.perf_counter()
    taken = stepper.step(1_000_000, stop_at_convergence=True, tolerance=1e-12)
    seconds = time.perf_counter() - began
    print(
        f"seed 002 float32 ({gradient}): {taken} steps, converged at {stepper.converged_at}, "
        f"θ = {stepper.params.tolist()}, {seconds:.1f} s"
    )
    return stepper, taken


def check_seed002_float32(stepper, taken):
    assert stepper.status == "converged"
    assert taken < 1_000_000
    # float32 stalls: one more step changes nothing at all
    stalled = stepper.params
    stepper.step(1)
    assert np.array_equal(stepper.params, stalled)
    assert np.round(stalled, 4).tolist() == SEED002_FLOAT32


@pytest.mark.slow
def test_seed002_float32_closed_form_stalls_at_the_tutorials_point():
    check_seed002_float32(*seed002_float32("closed-form"))


@pytest.mark.slow
def test_seed002_float32_autograd_stalls_at_the_tutorials_point():
    check_seed002_float32(*seed002_float32("autograd"))


# ---- seed 000 -----------------------------------------------------------------------------
# (epoch, train loss printed, test loss printed) — the train loss is computed before that
# epoch's step, the test loss after it.
SEED000_LOG = [
    (0, 0.8663485646247864, 2.121262311935425),
    (100, 0.2715910077095032, 0.6603046655654907),
    (200, 0.17166011035442352, 0.3427932560443878),
    (300, 0.08071128278970718, 0.15863864123821259),
]


@pytest.fixture(scope="module")
def seed000_run():
    config = Config()
    stepper = Stepper(
        seed000(), TrainSpec.from_config(config), start=[config.init_weight, config.init_bias]
    )
    assert stepper.step(500) == 500
    return stepper


@pytest.mark.parametrize(("epoch", "train", "test"), SEED000_LOG)
def test_seed000_logged_losses(seed000_run, epoch, train, test):
    history = seed000_run.history
    assert history.train_loss[epoch] == pytest.approx(train, abs=2e-3)
    assert history.test_loss[epoch + 1] == pytest.approx(test, abs=2e-3)


def test_seed000_converges_by_epoch_400(seed000_run):
    loss = seed000_run.history.train_loss
    assert abs(loss[400] - loss[500]) <= 1e-6
    assert loss[350] > loss[400] + 1e-3
    weight, bias = seed000_run.params
    assert abs(weight - 0.8) < 0.01 and abs(bias - 0.2) < 0.01


def test_seed000_defaults_are_the_tutorials_setup():
    spec = TrainSpec.from_config(Config())
    assert (spec.loss, spec.optimizer, spec.learning_rate, spec.dtype) == (
        "mae",
        "sgd",
        0.01,
        "float32",
    )
    assert (spec.batch_size, spec.bias) == (0, True)
    data = seed000()
    x = torch.arange(start=0, end=2, step=0.02)
    y = x * 0.8 + 0.2
    split_at = int(0.8 * len(x))
    np.testing.assert_array_equal(data.x_train[:, 0], x[:split_at].double().numpy())
    np.testing.assert_array_equal(data.y_train[:, 0], y[:split_at].double().numpy())
    np.testing.assert_array_equal(data.x_test[:, 0], x[split_at:].double().numpy())
    np.testing.assert_array_equal(data.y_test[:, 0], y[split_at:].double().numpy())


# ---- seed 001 -----------------------------------------------------------------------------
CROP_INPUTS = [[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70]]
CROP_TARGETS = [[56, 70], [81, 101], [119, 133], [22, 37], [103, 119]]


def test_seed001_data():
    five, fifteen = crop_yields(5), crop_yields(15)
    np.testing.assert_array_equal(five.x_train, CROP_INPUTS)
    np.testing.assert_array_equal(five.y_train, CROP_TARGETS)
    np.testing.assert_array_equal(fifteen.x_train, np.vstack([CROP_INPUTS] * 3))
    np.testing.assert_array_equal(fifteen.y_train, np.vstack([CROP_TARGETS] * 3))
    assert len(five.x_test) == len(fifteen.x_test) == 0
    assert fifteen.feature_names == ("temperature", "rainfall", "humidity")
    assert fifteen.target_names == ("apples", "oranges")


def random_crop_start(seed: int) -> np.ndarray:
    """torch.randn weights and biases, as the tutorial starts."""
    g = torch.Generator().manual_seed(seed)
    return np.r_[
        torch.randn(2, 3, generator=g).numpy().ravel(), torch.randn(2, generator=g).numpy()
    ]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_seed001_training_from_scratch_cuts_the_loss(seed):
    """Part 1: 100 full-batch epochs at lr 1e-5 on the 5 rows."""
    stepper = Stepper(
        crop_yields(5),
        TrainSpec(loss="mse", optimizer="sgd", learning_rate=1e-5),
        random_crop_start(seed),
    )
    stepper.step(100)
    loss = stepper.history.train_loss
    assert loss[0] > 1000  # a random start is far off (the tutorial: 46194)
    assert loss[-1] < 0.1 * loss[0]
    assert np.all(np.diff(loss[:20]) < 0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_seed001_mini_batch_fit_cuts_the_loss(seed):
    """Part 2: fit(100, ...) over the 15 rows in shuffled batches of 5 at lr 1e-5."""
    spec = TrainSpec(
        loss="mse", optimizer="sgd", learning_rate=1e-5, batch_size=5, shuffle=True, seed=seed
    )
    stepper = Stepper(crop_yields(15), spec, random_crop_start(seed))
    assert stepper.step(300) == 300  # 100 epochs of 3 batches
    loss = stepper.history.train_loss
    assert loss[-1] < 0.1 * loss[0]
