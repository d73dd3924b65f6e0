"""The Stepper's trajectories against a NumPy float64 transcription of torch.optim's docs.

The reference below computes the gradient itself from the loss formula (r = prediction -
target, N = number of elements): MSE 2r/N, MAE sign(r)/N, Huber clip(r, -δ, δ)/N, and
applies the update rules as torch's documentation writes them (SGD with momentum,
dampening 0 and optional Nesterov; Adam with bias correction; RMSprop not centred; Adagrad
without learning-rate decay), with torch's default hyper-parameters except a momentum of
0.9, which is what TrainSpec uses.
"""

from dataclasses import replace

import numpy as np
import pytest
import torch
from cases import noisy_line, three_by_two
from torch.utils.data import DataLoader, TensorDataset

from linreg import trainer
from linreg.data import Dataset, split
from linreg.trainer import Stepper, TrainSpec

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad")
LOSSES = ("mse", "mae", "huber")
DELTA = 0.5
STEPS = 200
# Learning rates that move far in 200 steps without diverging on the data below.
RATES = {
    "sgd": 0.05,
    "momentum": 0.01,
    "nesterov": 0.01,
    "adam": 0.05,
    "rmsprop": 0.01,
    "adagrad": 0.1,
}


# ---- the reference ----------------------------------------------------------------------
def numpy_gradient(theta, x, y, loss, delta=DELTA, bias=True):
    """Full gradient of the mean loss over the batch (x, y) for flat θ = [W.ravel(), b]."""
    k, d = y.shape[1], x.shape[1]
    w = theta[: k * d].reshape(k, d)
    b = theta[k * d :] if bias else np.zeros(k)
    r = x @ w.T + b - y
    n = r.size
    if loss == "mse":
        dr = 2 * r / n
    elif loss == "mae":
        dr = np.sign(r) / n
    else:
        dr = np.clip(r, -delta, delta) / n
    parts = [(dr.T @ x).ravel()] + ([dr.sum(axis=0)] if bias else [])
    return np.concatenate(parts)


class NumpyOptimizer:
    """torch.optim's documented update rules, elementwise on a flat float64 vector."""

    def __init__(self, name, lr, momentum=0.9, betas=(0.9, 0.999), alpha=0.99):
        self.name, self.lr, self.mu, self.betas, self.alpha = name, lr, momentum, betas, alpha
        self.t = 0
        self.buf = self.m = self.v = None

    def step(self, theta, g):
        self.t += 1
        lr, t = self.lr, self.t
        if self.name == "sgd":
            return theta - lr * g
        if self.name in ("momentum", "nesterov"):
            self.buf = g.copy() if t == 1 else self.mu * self.buf + g  # dampening 0
            d = g + self.mu * self.buf if self.name == "nesterov" else self.buf
            return theta - lr * d
        if self.name == "adam":
            b1, b2 = self.betas
            self.m = (1 - b1) * g if t == 1 else b1 * self.m + (1 - b1) * g
            self.v = (1 - b2) * g * g if t == 1 else b2 * self.v + (1 - b2) * g * g
            m_hat, v_hat = self.m / (1 - b1**t), self.v / (1 - b2**t)
            return theta - lr * m_hat / (np.sqrt(v_hat) + 1e-8)
        if self.name == "rmsprop":
            self.v = (
                (1 - self.alpha) * g * g
                if t == 1
                else (self.alpha * self.v + (1 - self.alpha) * g * g)
            )
            return theta - lr * g / (np.sqrt(self.v) + 1e-8)
        if self.name == "adagrad":
            lr_t = lr / (1 + (t - 1) * 0.0)  # lr_decay 0
            self.v = g * g if t == 1 else self.v + g * g  # initial accumulator 0
            return theta - lr_t * g / (np.sqrt(self.v) + 1e-10)
        raise ValueError(self.name)


def numpy_run(x, y, start, name, lr, loss, steps, batches=None, bias=True):
    """θ after every step (row 0 = start); `batches` yields (xb, yb), else full batch."""
    opt = NumpyOptimizer(name, lr)
    theta = np.asarray(start, dtype=np.float64).copy()
    out = [theta]
    for _ in range(steps):
        xb, yb = (x, y) if batches is None else next(batches)
        theta = opt.step(theta, numpy_gradient(theta, xb, yb, loss, bias=bias))
        out.append(theta)
    return np.array(out)


# ---- data -------------------------------------------------------------------------------
def three_by_two_outlying() -> Dataset:
    return three_by_two(outliers=True)


DATASETS = {"line": noisy_line, "multi": three_by_two_outlying}
STARTS = {"line": [-0.7, 1.1], "multi": [0.2, -0.1, 0.4, -0.3, 0.1, 0.6, -0.2, 0.3]}


def stepper_run(data, start, spec, steps=STEPS):
    stepper = Stepper(data, spec, start=start)
    assert stepper.step(steps) == steps
    return stepper.history.params


def case(name: str, loss: str, which: str):
    """Data, start and full-batch float64 spec of one optimizer × loss × dataset case."""
    spec = TrainSpec(
        loss=loss, huber_delta=DELTA, optimizer=name, learning_rate=RATES[name], dtype="float64"
    )
    return DATASETS[which](), STARTS[which], spec


# ---- tests ------------------------------------------------------------------------------
@pytest.mark.parametrize("which", sorted(DATASETS))
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_full_batch_trajectory_matches_documented_update(name, loss, which):
    data, start, spec = case(name, loss, which)
    got = stepper_run(data, start, spec)
    want = numpy_run(data.x_train, data.y_train, start, name, RATES[name], loss, STEPS)
    assert got.shape == want.shape
    # The run must actually go somewhere, or matching would prove little.
    assert np.abs(want[-1] - want[0]).max() > 0.05
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


def test_reference_update_rules_on_a_hand_example():
    """Two steps of each rule on g = [1, -2] then [0.5, 0.5], worked out by hand."""
    g1, g2 = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    theta0 = np.zeros(2)

    def two(name, lr):
        opt = NumpyOptimizer(name, lr)
        return opt.step(opt.step(theta0, g1), g2)

    # SGD: -lr (g1 + g2)
    np.testing.assert_allclose(two("sgd", 0.1), [-0.15, 0.15])
    # heavy ball: b1 = g1, b2 = 0.9 g1 + g2; θ = -lr (b1 + b2)
    np.testing.assert_allclose(two("momentum", 0.1), -0.1 * (g1 + 0.9 * g1 + g2))
    # Nesterov: step uses g + 0.9 b
    b1, b2 = g1, 0.9 * g1 + g2
    np.testing.assert_allclose(two("nesterov", 0.1), -0.1 * ((g1 + 0.9 * b1) + (g2 + 0.9 * b2)))
    # Adam's first step is lr·sign(g) (up to ε)
    opt = NumpyOptimizer("adam", 0.1)
    np.testing.assert_allclose(opt.step(theta0, g1), [-0.1, 0.1], atol=1e-8)
    # Adagrad's first step is lr·sign(g); its second divides by sqrt(g1² + g2²)
    want = -0.1 * g1 / np.abs(g1) - 0.1 * g2 / np.sqrt(g1**2 + g2**2)
    np.testing.assert_allclose(two("adagrad", 0.1), want, atol=1e-9)
    # RMSprop's first step is lr·g/sqrt(0.01 g²) = 10·lr·sign(g)
    opt = NumpyOptimizer("rmsprop", 0.01)
    np.testing.assert_allclose(opt.step(theta0, g1), [-0.1, 0.1], atol=1e-7)


@pytest.mark.parametrize("which", sorted(DATASETS))
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_autograd_and_closed_form_give_the_same_full_batch_run(name, loss, which):
    data, start, spec = case(name, loss, which)
    closed = stepper_run(data, start, spec)
    auto = stepper_run(data, start, replace(spec, gradient="autograd"))
    np.testing.assert_allclose(auto, closed, rtol=0, atol=1e-12)


@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_autograd_and_closed_form_give_the_same_mini_batch_run(name, loss, shuffle):
    data, start = noisy_line(), STARTS["line"]
    spec = TrainSpec(
        loss=loss,
        huber_delta=DELTA,
        optimizer=name,
        learning_rate=RATES[name],
        dtype="float64",
        batch_size=8,
        shuffle=shuffle,
        seed=11,
    )
    closed = stepper_run(data, start, spec)
    auto = stepper_run(data, start, replace(spec, gradient="autograd"))
    np.testing.assert_allclose(auto, closed, rtol=0, atol=1e-12)


def standard_batches(x, y, batch_size, shuffle, seed):
    """The tutorial's DataLoader, epoch after epoch, as NumPy arrays."""
    loader = DataLoader(
        TensorDataset(torch.tensor(x), torch.tensor(y)),
        batch_size=batch_size,
        shuffle=shuffle,
        generator=torch.Generator().manual_seed(seed),
    )
    while True:
        for xb, yb in loader:
            yield xb.numpy(), yb.numpy()


def batch_run(name, loss, which, shuffle, seed=2024):
    """(Stepper run, NumPy run replaying the standard DataLoader's batches)."""
    data, start = DATASETS[which](), STARTS[which]
    spec = TrainSpec(
        loss=loss,
        huber_delta=DELTA,
        optimizer=name,
        learning_rate=RATES[name],
        dtype="float64",
        batch_size=8,
        shuffle=shuffle,
        seed=seed,
    )
    batches = standard_batches(data.x_train, data.y_train, 8, shuffle, seed)
    want = numpy_run(data.x_train, data.y_train, start, name, RATES[name], loss, STEPS, batches)
    return stepper_run(data, start, spec), want


@pytest.mark.parametrize("which", sorted(DATASETS))
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adam"])
def test_ordered_mini_batches_are_the_standard_data_loaders(name, loss, which):
    got, want = batch_run(name, loss, which, shuffle=False)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


@pytest.mark.parametrize(
    ("name", "loss", "which"),
    [("sgd", "mse", "line"), ("sgd", "mae", "multi"), ("adam", "huber", "multi")],
)
def test_shuffled_mini_batches_are_the_standard_data_loaders(name, loss, which):
    got, want = batch_run(name, loss, which, shuffle=True)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


def test_shuffled_batch_rows_are_the_standard_data_loaders():
    """The rows of each batch, three epochs long: no optimizer involved."""
    x = np.arange(20.0).reshape(-1, 1)
    data = split(x, 2 * x, 1.0)
    spec = TrainSpec(dtype="float64", batch_size=6, shuffle=True, seed=5)
    rows = []
    loader = trainer.batch_loader(torch.tensor(data.x_train), torch.tensor(data.y_train), spec)
    for _ in range(3):
        rows += [b[0].ravel().tolist() for b in loader]
    standard = standard_batches(data.x_train, data.y_train, 6, True, 5)
    want = [next(standard)[0].ravel().tolist() for _ in range(12)]
    assert rows == want


def test_mini_batch_order_depends_on_the_seed():
    """A different seed must give other batches (so the check above is not vacuous)."""
    data, start = noisy_line(), STARTS["line"]
    runs = [
        stepper_run(
            data,
            start,
            TrainSpec(
                loss="mse",
                optimizer="sgd",
                learning_rate=0.05,
                dtype="float64",
                batch_size=8,
                seed=s,
            ),
            20,
        )
        for s in (1, 2)
    ]
    assert np.abs(runs[0][-1] - runs[1][-1]).max() > 1e-6


def test_float32_run_follows_the_float64_reference_closely():
    """The default precision: same rule, float32 rounding only."""
    data, start = three_by_two_outlying(), STARTS["multi"]
    got = stepper_run(
        data,
        start,
        TrainSpec(
            loss="huber", huber_delta=DELTA, optimizer="adam", learning_rate=0.05, dtype="float32"
        ),
        100,
    )
    want = numpy_run(data.x_train, data.y_train, start, "adam", 0.05, "huber", 100)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-4)


def test_nesterov_without_momentum_is_plain_sgd_not_an_error():
    """torch refuses SGD(nesterov=True, momentum=0); a link or a slider can ask for it."""
    from dataclasses import replace as _replace

    from linreg.data import seed000
    from linreg.trainer import Stepper, TrainSpec

    spec = TrainSpec(optimizer="nesterov", momentum=0.0, learning_rate=0.1, dtype="float64")
    nesterov = Stepper(seed000(), spec, start=[0.0, 0.0])
    nesterov.step(20)
    sgd = Stepper(seed000(), _replace(spec, optimizer="sgd"), start=[0.0, 0.0])
    sgd.step(20)
    np.testing.assert_array_equal(nesterov.history.params, sgd.history.params)
