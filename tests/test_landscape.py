"""Optimum, surfaces, gradients, curvature and the fast path against independent oracles.

Oracles: numpy.linalg.lstsq, brute force over data-interpolating lines (the L1 optimum is a
vertex), torch autograd through torch.nn.functional's losses, numpy.linalg.eigvalsh of the
Hessian written in the test (and torch's own Hessian), and NumPy gradient-descent loops.
"""

from dataclasses import replace
from itertools import combinations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from linreg import fastpath, landscape, scratch
from linreg.data import Dataset, crop_yields, seed000, split, synthetic_line, synthetic_linear
from linreg.surfaces import loss_grid, surface
from linreg.trainer import Stepper, TrainSpec

DELTA = 0.5
LOSSES = ("mse", "mae", "huber")


# ---- data and small helpers ---------------------------------------------------------------
def noisy_line(seed=3, n=60) -> Dataset:
    x, y = synthetic_line(
        1.5,
        -0.5,
        noise=0.3,
        n_points=n,
        x_min=-1.0,
        x_max=2.0,
        outlier_fraction=0.1,
        outlier_size=4.0,
        seed=seed,
    )
    return split(x, y, 0.8, "ordered")


def three_by_two() -> Dataset:
    w = np.array([[1.0, -2.0, 0.5], [0.3, 0.8, -1.2]])
    x, y = synthetic_linear(w, [0.5, -1.0], noise=0.2, n_points=40, seed=5)
    y[[3, 17, 29]] += np.array([3.0, -2.5])
    return split(x, y, 0.8, "shuffled", seed=1)


def crop_standardised() -> Dataset:
    raw = crop_yields(5)
    x = (raw.x_train - raw.x_train.mean(0)) / raw.x_train.std(0)
    y = (raw.y_train - raw.y_train.mean(0)) / raw.y_train.std(0)
    return split(x, y, 1.0)


DATASETS = {
    "seed000": seed000,
    "line": noisy_line,
    "multi": three_by_two,
    "crop": crop_standardised,
}


def n_params(data: Dataset, bias: bool) -> int:
    return data.n_features * data.n_targets + (data.n_targets if bias else 0)


def torch_loss(
    data: Dataset, theta, loss: str, bias: bool = True, which: str = "train", delta: float = DELTA
) -> torch.Tensor:
    """The loss of nn.Linear-style parameters θ = [W.ravel(), b] through F.*_loss, float64."""
    x = torch.tensor(data.x_train if which == "train" else data.x_test)
    y = torch.tensor(data.y_train if which == "train" else data.y_test)
    d, k = data.n_features, data.n_targets
    w = theta[: k * d].reshape(k, d)
    pred = F.linear(x, w, theta[k * d :] if bias else None)
    if loss == "mse":
        return F.mse_loss(pred, y)
    if loss == "mae":
        return F.l1_loss(pred, y)
    return F.huber_loss(pred, y, delta=delta)


def autograd_gradient(data, theta, loss, bias=True):
    t = torch.tensor(np.asarray(theta, dtype=np.float64), requires_grad=True)
    torch_loss(data, t, loss, bias).backward()
    return t.grad.numpy()


def lstsq_theta(data: Dataset, bias: bool = True) -> np.ndarray:
    """Least squares per target, flattened as [W.ravel(), b]."""
    x, y = data.x_train, data.y_train
    a = np.hstack([x, np.ones((len(x), 1))]) if bias else x
    cols = np.linalg.lstsq(a, y, rcond=None)[0]  # (d [+1], k)
    d = x.shape[1]
    return np.concatenate([cols[:d].T.ravel()] + ([cols[d]] if bias else []))


# ---- optimum ------------------------------------------------------------------------------
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("which", sorted(DATASETS))
def test_mse_optimum_is_least_squares(which, bias):
    data = DATASETS[which]()
    got = landscape.optimum(data, "mse", bias=bias)
    np.testing.assert_allclose(got, lstsq_theta(data, bias), rtol=1e-9, atol=1e-9)


def test_mse_optimum_on_raw_crop_data_is_least_squares():
    data = crop_yields(15)
    got = landscape.optimum(data, "mse")
    np.testing.assert_allclose(got, lstsq_theta(data), rtol=1e-6, atol=1e-6)


def brute_force_l1(x: np.ndarray, y: np.ndarray, bias: bool):
    """Every line through two points (or through the origin and one point without a bias):
    the candidates and their mean absolute error."""
    cands = []
    if bias:
        for i, j in combinations(range(len(x)), 2):
            if x[i] != x[j]:
                slope = (y[j] - y[i]) / (x[j] - x[i])
                cands.append((slope, y[i] - slope * x[i]))
    else:
        cands = [(y[i] / x[i],) for i in range(len(x)) if x[i] != 0]
    cands = np.array(cands)
    pred = x[None, :] * cands[:, :1] + (cands[:, 1:2] if bias else 0.0)
    return cands, np.abs(pred - y[None, :]).mean(axis=1)


def small_l1_problem(seed: int):
    """4 to 12 points, some outliers, sometimes repeated x values (1 feature, 1 or 2 targets)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 13))
    x = rng.uniform(-2, 3, n) if seed % 3 else rng.integers(-2, 3, n).astype(float)
    if len(np.unique(x)) < 2:
        x[0] += 1.0
    k = 1 + seed % 2
    y = x[:, None] * rng.normal(0, 2, k) + rng.normal(0, 1, k) + rng.normal(0, 0.3, (n, k))
    y[rng.random(n) < 0.2] += 5.0
    return split(x, y, 1.0)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("seed", range(16))
def test_mae_optimum_is_the_best_interpolating_line(seed, bias):
    data = small_l1_problem(seed)
    got = landscape.optimum(data, "mae", bias=bias)
    x, p = data.x_train[:, 0], 2 if bias else 1
    k = data.n_targets
    got_cols = [np.r_[got[j], got[k + j]] if bias else np.r_[got[j]] for j in range(k)]
    for j in range(k):
        y = data.y_train[:, j]
        cands, objective = brute_force_l1(x, y, bias)
        best = objective.min()
        pred = x * got_cols[j][0] + (got_cols[j][1] if bias else 0.0)
        assert np.abs(pred - y).mean() == pytest.approx(best, abs=1e-9)
        winners = np.unique(cands[objective <= best + 1e-12].round(9), axis=0)
        if len(winners) == 1:  # a unique minimiser: the parameters too
            np.testing.assert_allclose(got_cols[j], winners[0][:p], atol=1e-6)
    # and through the engine's own objective, which the trainer's losses agree with below
    assert landscape.loss_at(data, got, "mae", bias=bias)[0] == pytest.approx(
        torch_loss(data, torch.tensor(got), "mae", bias).item(), abs=1e-12
    )


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("which", sorted(DATASETS))
def test_huber_optimum_is_a_minimum(which, bias):
    data = DATASETS[which]()
    best = landscape.optimum(data, "huber", huber_delta=DELTA, bias=bias)
    assert np.abs(autograd_gradient(data, best, "huber", bias)).max() < 1e-9
    rng = np.random.default_rng(0)
    at_best = torch_loss(data, torch.tensor(best), "huber", bias).item()
    for scale in (1e-4, 1e-2, 1.0):
        for _ in range(20):
            moved = best + scale * rng.standard_normal(best.shape)
            assert at_best <= torch_loss(data, torch.tensor(moved), "huber", bias).item() + 1e-15


# ---- loss values, surfaces and slices -------------------------------------------------------
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("which", sorted(DATASETS))
def test_loss_at_is_torch_functional_loss(which, loss, bias):
    data = DATASETS[which]()
    rng = np.random.default_rng(1)
    thetas = rng.normal(0, 2, (7, n_params(data, bias)))
    got = landscape.loss_at(data, thetas, loss, DELTA, bias)
    want = [torch_loss(data, torch.tensor(t), loss, bias).item() for t in thetas]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    if len(data.x_test):
        got = landscape.loss_at(data, thetas, loss, DELTA, bias, which="test")
        want = [torch_loss(data, torch.tensor(t), loss, bias, "test").item() for t in thetas]
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def grid_values(rng, centre, kinks=()):
    """Sorted grid values around `centre`, with some exact kink positions mixed in."""
    values = np.r_[centre + rng.uniform(-3, 3, 17), np.asarray(kinks, dtype=float)]
    return np.sort(values)


def direct_grid(data, base, i, j, s_values, t_values, loss, bias=True):
    thetas = np.tile(base, (len(t_values), len(s_values), 1))
    thetas[..., i] = s_values[None, :]
    thetas[..., j] = t_values[:, None]
    flat = landscape.loss_at(data, thetas.reshape(-1, len(base)), loss, DELTA, bias)
    return flat.reshape(len(t_values), len(s_values))


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("which", ["seed000", "line"])
def test_surface_is_the_loss_at_each_grid_point(which, loss):
    data = DATASETS[which]()
    rng = np.random.default_rng(2)
    x, y = data.x_train[:, 0], data.y_train[:, 0]
    weights = grid_values(rng, 0.8)
    # biases at which a residual is exactly 0 or ±δ for the grid's first weight
    kinks = [y[3] - weights[0] * x[3], y[5] - weights[0] * x[5] + DELTA]
    biases = grid_values(rng, 0.2, kinks)
    got = surface(data, weights, biases, loss, DELTA)
    want = direct_grid(data, np.zeros(2), 0, 1, weights, biases, loss)
    assert got.shape == (len(biases), len(weights))
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


# (i, j) pairs of the 3-feature, 2-target model: θ = [w00 w01 w02 w10 w11 w12 b0 b1]
MULTI_PAIRS = [(0, 1), (0, 4), (6, 7), (2, 6), (7, 3), (1, 7), (5, 3)]


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize(("i", "j"), MULTI_PAIRS)
def test_loss_grid_slices_of_a_multivariate_model(i, j, loss):
    data = three_by_two()
    rng = np.random.default_rng(10 * i + j)
    base = rng.normal(0, 1, 8)
    s_values, t_values = grid_values(rng, base[i]), grid_values(rng, base[j])
    got = loss_grid(data, base, i, j, s_values, t_values, loss, DELTA)
    want = direct_grid(data, base, i, j, s_values, t_values, loss)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize(("i", "j"), [(0, 1), (1, 0), (0, 2), (1, 4), (3, 5)])
def test_loss_grid_slices_without_bias(i, j, loss):
    data = three_by_two()
    rng = np.random.default_rng(7)
    base = rng.normal(0, 1, 6)
    s_values, t_values = grid_values(rng, base[i]), grid_values(rng, base[j])
    got = loss_grid(data, base, i, j, s_values, t_values, loss, DELTA, bias=False)
    want = direct_grid(data, base, i, j, s_values, t_values, loss, bias=False)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize(("i", "j"), [(0, 1), (1, 0)])
def test_loss_grid_of_a_line_in_either_order(i, j, loss):
    data = noisy_line()
    rng = np.random.default_rng(4)
    base = np.array([1.2, -0.3])
    s_values, t_values = grid_values(rng, base[i]), grid_values(rng, base[j])
    got = loss_grid(data, base, i, j, s_values, t_values, loss, DELTA)
    want = direct_grid(data, base, i, j, s_values, t_values, loss)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


# ---- gradients ------------------------------------------------------------------------------
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("which", sorted(DATASETS))
def test_hand_derived_gradient_is_autograd(which, loss, bias):
    data = DATASETS[which]()
    rng = np.random.default_rng(5)
    thetas = rng.normal(0, 1.5, (6, n_params(data, bias)))
    got = landscape.gradient_at(data, thetas, loss, DELTA, bias)
    want = np.array([autograd_gradient(data, t, loss, bias) for t in thetas])
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("which", sorted(DATASETS))
def test_scratch_numpy_gradient_is_autograd(which):
    data = DATASETS[which]()
    d, k = data.n_features, data.n_targets
    rng = np.random.default_rng(6)
    for theta in rng.normal(0, 1.5, (5, n_params(data, True))):
        gw, gb = scratch.numpy_gradient(
            data.x_train, data.y_train, theta[: k * d].reshape(k, d), theta[k * d :]
        )
        want = autograd_gradient(data, theta, "mse")
        np.testing.assert_allclose(np.r_[gw.ravel(), gb], want, rtol=1e-10, atol=1e-10)


# ---- curvature and the critical learning rate ----------------------------------------------
def mse_hessian(data: Dataset, bias: bool) -> np.ndarray:
    """2AᵀA/N for one target's parameters, N = every number in Y."""
    a = np.hstack([data.x_train, np.ones((len(data.x_train), 1))]) if bias else data.x_train
    return 2 * a.T @ a / data.y_train.size


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("which", sorted(DATASETS))
def test_hessian_eigenvalues(which, bias):
    data = DATASETS[which]()
    want = np.linalg.eigvalsh(mse_hessian(data, bias))
    got = landscape.hessian_eigenvalues(data, bias)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    # torch's Hessian of the whole loss over all k targets' parameters has the same spectrum
    full = torch.autograd.functional.hessian(
        lambda t: torch_loss(data, t, "mse", bias),
        torch.zeros(n_params(data, bias), dtype=torch.float64),
    )
    full_eigs = np.linalg.eigvalsh(full.numpy())
    np.testing.assert_allclose(
        full_eigs, np.sort(np.repeat(want, data.n_targets)), rtol=1e-9, atol=1e-12
    )
    assert landscape.critical_learning_rate(data, bias) == pytest.approx(2 / want[-1], rel=1e-12)


def plain_gd(data, lr, start, steps, bias=True):
    """θ after `steps` steps of full-batch gradient descent on MSE, NumPy float64."""
    d, k = data.n_features, data.n_targets
    x, y, theta = data.x_train, data.y_train, np.asarray(start, dtype=np.float64).copy()
    out = [theta]
    for _ in range(steps):
        w, b = theta[: k * d].reshape(k, d), theta[k * d :] if bias else 0.0
        r = x @ w.T + b - y
        g = 2 * r / r.size
        theta = theta - lr * np.concatenate([(g.T @ x).ravel()] + ([g.sum(0)] if bias else []))
        out.append(theta)
    return np.array(out)


def steps_to_converge(data: Dataset, lr: float, bias: bool) -> int:
    """Enough steps for the slowest mode (1 - lr·λ_min)^t to fall below 1e-13."""
    eigs = np.linalg.eigvalsh(mse_hessian(data, bias))
    rate = max(abs(1 - lr * eigs[0]), abs(1 - lr * eigs[-1]))
    return int(np.ceil(np.log(1e-13) / np.log(rate)))


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("which", sorted(DATASETS))
def test_critical_learning_rate_separates_convergence_from_divergence(which, bias):
    data = DATASETS[which]()
    critical = landscape.critical_learning_rate(data, bias)
    best = lstsq_theta(data, bias)
    start = best + np.random.default_rng(3).normal(0, 1, best.shape)
    below = 0.98 * critical
    t = steps_to_converge(data, below, bias)
    assert t < 100_000
    at = fastpath.params_at(data, below, start, [t], bias=bias)[0]
    np.testing.assert_allclose(at, best, atol=1e-8)
    far = fastpath.params_at(data, 1.02 * critical, start, [2000], bias=bias)[0]
    assert not np.all(np.isfinite(far)) or np.abs(far - best).max() > 1e20
    # the same on the Stepper itself (float64)
    spec = TrainSpec(loss="mse", optimizer="sgd", dtype="float64", bias=bias)
    up = Stepper(data, replace(spec, learning_rate=1.02 * critical), start)
    up.step(3000)
    assert up.diverged_at is not None
    down = Stepper(data, replace(spec, learning_rate=below), start)
    down.step(min(t, 20_000))
    assert down.diverged_at is None
    assert np.abs(down.params - best).max() < np.abs(start - best).max()


# ---- the fast path ----------------------------------------------------------------------------
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("which", ["line", "multi", "crop"])
@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov"])
def test_fast_path_is_the_stepper_trajectory(name, which, bias):
    data = DATASETS[which]()
    lr = 0.5 * landscape.critical_learning_rate(data, bias) * (0.1 if name != "sgd" else 1)
    rng = np.random.default_rng(8)
    start = rng.normal(0, 1, n_params(data, bias))
    spec = TrainSpec(loss="mse", optimizer=name, learning_rate=lr, dtype="float64", bias=bias)
    stepper = Stepper(data, spec, start=start)
    stepper.step(300)
    got = fastpath.params_at(
        data,
        lr,
        start,
        np.arange(301),
        momentum=0.9 if name != "sgd" else 0.0,
        nesterov=name == "nesterov",
        bias=bias,
    )
    np.testing.assert_allclose(got, stepper.history.params, rtol=0, atol=1e-9)
    assert np.abs(got[-1] - got[0]).max() > 0.05


def momentum_gd(data, lr, start, steps, momentum, nesterov, bias=True):
    """torch.optim.SGD's documented rule with MSE's gradient, NumPy float64: last θ."""
    d, k = data.n_features, data.n_targets
    x, y, theta = data.x_train, data.y_train, np.asarray(start, dtype=np.float64).copy()
    buf = None
    for _ in range(steps):
        w, b = theta[: k * d].reshape(k, d), theta[k * d :] if bias else 0.0
        r = x @ w.T + b - y
        dr = 2 * r / r.size
        g = np.concatenate([(dr.T @ x).ravel()] + ([dr.sum(0)] if bias else []))
        buf = g if buf is None else momentum * buf + g
        theta = theta - lr * (g + momentum * buf if nesterov else buf)
    return theta


@pytest.mark.parametrize(
    ("name", "momentum", "nesterov"),
    [("sgd", 0.0, False), ("momentum", 0.9, False), ("nesterov", 0.9, True), ("heavy", 0.5, False)],
)
def test_fast_path_far_ahead_is_the_numpy_loop(name, momentum, nesterov):
    data = three_by_two()
    lr = 0.02
    start = np.linspace(-1, 1, 8)
    steps = [0, 1, 2, 17, 1000, 4000]
    got = fastpath.params_at(data, lr, start, steps, momentum=momentum, nesterov=nesterov)
    for row, t in zip(got, steps, strict=True):
        np.testing.assert_allclose(
            row, momentum_gd(data, lr, start, t, momentum, nesterov), rtol=0, atol=1e-9
        )
    # plain GD also matches the simple loop used for the critical learning rate
    if momentum == 0:
        np.testing.assert_allclose(got, plain_gd(data, lr, start, 4000)[steps], atol=1e-9)
