"""Capacity and regularisation, the engine: true curves, polynomial features, the penalised
stepper, the exact minima and the batched runs.

Oracles: NumPy written out here (the curve formulas, powers, the ridge normal equations, the
lasso's optimality (KKT) conditions, one SGD update), autograd for the gradient, and
separate runs for the batched ones. Nothing is compared with a number the code produced.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from linreg import optima
from linreg.capacity_code import training_code
from linreg.curves import CURVES, sample_curve, seed000_line
from linreg.data import seed000
from linreg.errors import DataError
from linreg.polyfeatures import conditioning, conditioning_table, polynomial, powers
from linreg.regpath import degree_curve, exact_path, regularisation_path
from linreg.regularised import PenalisedStepper, RegSpec, exact_zeros
from linreg.schedules import Schedule, rates

CUBIC = sample_curve("cubic", 0.3, 40, -1.0, 1.0, 0.5, "shuffled", 0)


def kkt_violation(data, theta, strength, mix, penalise_bias=False) -> float:
    """The largest breach of the optimality conditions of MSE + λ(α‖w‖₁ + (1-α)/2‖w‖²):
    zero gradient for an unpenalised bias; g + λ(1-α)w + λα sign(w) = 0 for a nonzero
    weight; |g| ≤ λα for a zero one (g the MSE gradient, from NumPy here)."""
    x, y = data.x_train, data.y_train[:, 0]
    a = np.hstack([x, np.ones((len(x), 1))])
    g = 2 * a.T @ (a @ theta - y) / len(y)
    under = np.ones(len(theta), bool)
    under[-1] = penalise_bias
    g = g + strength * (1 - mix) * theta * under
    breach = [abs(g[~under]).max(initial=0)]
    on = under & (theta != 0)
    breach.append(abs(g[on] + strength * mix * np.sign(theta[on])).max(initial=0))
    off = under & (theta == 0)
    breach.append((abs(g[off]) - strength * mix).max(initial=0))
    return float(max(breach))


def ridge_by_hand(data, strength, penalise_bias=False) -> np.ndarray:
    """The issue's closed form (XᵀX + λ′I′)⁻¹Xᵀy with X = [Z, 1] and λ′ = nλ/2 (our MSE
    divides by n, our penalty is λ/2‖w‖²)."""
    x = np.hstack([data.x_train, np.ones((len(data.x_train), 1))])
    eye = np.eye(x.shape[1])
    eye[-1, -1] = 1.0 if penalise_bias else 0.0
    lam = len(x) * strength / 2
    return np.linalg.solve(x.T @ x + lam * eye, x.T @ data.y_train[:, 0])


# ---- data and features ---------------------------------------------------------------
@pytest.mark.parametrize("name", list(CURVES))
def test_curve_data_is_the_curve_plus_seeded_noise(name):
    data = sample_curve(name, 0.2, 30, -2.0, 1.0, 1.0, "ordered", 7)
    x = -2.0 + 3.0 * np.arange(30) / 30
    formula = {
        "line": 0.8 * x + 0.2,
        "quadratic": 1.5 * x**2 - 0.5 * x - 0.3,
        "cubic": 3 * x**3 - 2.5 * x + 0.5,
        "sine": np.sin(np.pi * x),
    }[name]
    want = formula + 0.2 * np.random.default_rng(7).standard_normal(30)
    np.testing.assert_allclose(data.x_train[:, 0], x, rtol=1e-15)
    np.testing.assert_allclose(data.y_train[:, 0], want, rtol=1e-13, atol=1e-14)


def test_the_split_and_the_seed000_line():
    data = sample_curve("sine", 0.1, 50, 0.0, 1.0, 0.6, "shuffled", 3)
    assert len(data.x_train) == 30 and len(data.x_test) == 20
    assert not np.all(np.diff(data.x_train[:, 0]) > 0)  # shuffled rows
    ours, seed = seed000_line(), seed000()
    for a, b in [(ours.x_train, seed.x_train), (ours.y_test, seed.y_test)]:
        np.testing.assert_allclose(a, b, atol=1e-6)  # seed 000 rounds to float32
    with pytest.raises(DataError):
        sample_curve("spiral")


def test_powers_and_standardised_features():
    x = np.linspace(-1.5, 2.0, 9)
    np.testing.assert_allclose(powers(x, 5).numpy(), x[:, None] ** np.arange(1, 6), rtol=1e-14)
    poly = polynomial(CUBIC, 6)
    z = poly.data.x_train
    np.testing.assert_allclose(z.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(z.std(0), 1, rtol=1e-12)
    assert poly.names == ["x", "x²", "x³", "x⁴", "x⁵", "x⁶", "bias"]


def test_raw_coefficients_draw_the_same_curve():
    poly = polynomial(CUBIC, 5)
    theta = np.array([0.3, -1.2, 0.8, 0.05, -0.4, 0.7])
    raw = poly.raw_coefficients(theta)  # [w1..w5, b] of b + Σ wj x^j
    x = np.linspace(-1, 1, 17)
    by_numpy = np.polynomial.polynomial.polyval(x, np.r_[raw[-1], raw[:-1]])
    np.testing.assert_allclose(poly.predict(theta, x), by_numpy, rtol=1e-10, atol=1e-12)


def test_conditioning_numbers():
    """Standardised: λmax ≤ 2(D + 1) (trace bound); ridge adds λ to each weight's eigenvalue
    (the bias is orthogonal to centred features, its eigenvalue is 2)."""
    poly = polynomial(CUBIC, 12)
    raw, std = conditioning(poly.raw), conditioning(poly.data)
    assert std.eigenvalues[-1] <= 2 * 13 + 1e-9 < raw.eigenvalues[-1] * 1e3
    assert raw.condition_number > std.condition_number > 1e6  # still ill-conditioned
    z = poly.data.x_train
    weights_only = np.linalg.eigvalsh(2 * z.T @ z / len(z))
    ridge = conditioning(poly.data, 0.1)
    np.testing.assert_allclose(ridge.eigenvalues, np.sort(np.r_[weights_only + 0.1, 2.0]))
    assert ridge.condition_number < 300
    table = conditioning_table(poly, 0.1)
    assert list(table) == ["raw", "standardised", "standardised + ridge"]
    np.testing.assert_array_equal(table["standardised + ridge"].eigenvalues, ridge.eigenvalues)


# ---- the penalised stepper -------------------------------------------------------------
def test_recorded_gradient_is_autograds():
    poly = polynomial(CUBIC, 4)
    stepper = PenalisedStepper(poly, RegSpec(learning_rate=0.1))
    stepper.step(5)
    z = torch.tensor(poly.data.x_train)
    y = torch.tensor(poly.data.y_train[:, 0])
    for row, grad in zip(stepper.history.params, stepper.history.grad, strict=True):
        theta = torch.tensor(row, requires_grad=True)
        torch.mean((z @ theta[:-1] + theta[-1] - y) ** 2).backward()
        np.testing.assert_allclose(grad, theta.grad.numpy(), atol=1e-14)


@pytest.mark.parametrize("penalise_bias", [False, True])
def test_ridge_converges_to_the_closed_form(penalise_bias):
    poly = polynomial(CUBIC, 12)
    lam = 0.1
    eigenvalues = conditioning(poly.data, lam, penalise_bias).eigenvalues
    rate = 2 / (eigenvalues[0] + eigenvalues[-1])  # the fastest constant rate
    spec = RegSpec("ridge", lam, learning_rate=rate, penalise_bias=penalise_bias)
    stepper = PenalisedStepper(poly, spec)
    stepper.step(2500)
    want = ridge_by_hand(poly.data, lam, penalise_bias)
    np.testing.assert_allclose(stepper.params, want, rtol=0, atol=1e-8)
    np.testing.assert_allclose(
        optima.ridge_solution(poly.data, lam, penalise_bias), want, atol=1e-12
    )


def test_a_penalised_bias_is_pulled_towards_zero():
    """What goes wrong: the fitted curve sags from the data's mean towards y = 0."""
    data = sample_curve("line", 0.1, 40, 0.0, 2.0, 0.5, "shuffled", 1)  # mean y ≈ 1
    poly = polynomial(data, 1)
    free, held = (ridge_by_hand(poly.data, 1.0, p)[-1] for p in (False, True))
    assert free == pytest.approx(data.y_train.mean(), rel=1e-12)  # centred features
    assert held == pytest.approx(data.y_train.mean() / 1.5, rel=1e-12)  # 2/(2 + λ) of it


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_weight_decay_is_the_ridge_gradient(optimizer):
    """SGD's and Adam's weight_decay on the weight's group = λw added by hand: same steps."""
    poly = polynomial(CUBIC, 8)
    spec = RegSpec("ridge", 0.05, optimizer=optimizer, learning_rate=0.02)
    runs = []
    for method in ("weight_decay", "gradient"):
        stepper = PenalisedStepper(poly, replace(spec, ridge_method=method))
        stepper.step(300)
        runs.append(stepper.history.params)
    assert runs[0].shape == (301, 9)
    np.testing.assert_allclose(runs[0], runs[1], rtol=0, atol=1e-13)
    assert stepper.optimizer.param_groups[1]["weight_decay"] == 0.0  # the bias: never


def test_adamw_does_not_rest_at_the_ridge_minimum():
    """At the ridge minimum Adam with weight_decay (L2 in the gradient) sees a zero gradient
    and stays; AdamW decays θ apart from its adaptive step, so it moves away."""
    poly = polynomial(CUBIC, 5)
    lam = 0.1
    best = ridge_by_hand(poly.data, lam)
    moved = {}
    for optimizer in ("adam", "adamw"):
        spec = RegSpec("ridge", lam, optimizer=optimizer, learning_rate=0.01)
        stepper = PenalisedStepper(poly, spec, start=best)
        stepper.step(1)
        moved[optimizer] = np.abs(stepper.params - best).max()
    assert moved["adam"] < 1e-9 and moved["adamw"] > 1e-3


def test_the_sgd_update_is_the_rule_shown_at_the_rate_recorded():
    """θₜ = θₜ₋₁ - ηₜ(∇MSE + λw), with ηₜ the schedule's (NumPy replay of one rule)."""
    poly = polynomial(CUBIC, 3)
    schedule = Schedule("step", step_size=4, gamma=0.5)
    spec = RegSpec("ridge", 0.2, ridge_method="gradient", learning_rate=0.3, schedule=schedule)
    stepper = PenalisedStepper(poly, spec)
    stepper.step(12)
    h = stepper.history
    assert np.isnan(h.learning_rate[0])
    np.testing.assert_allclose(h.learning_rate[1:], rates(schedule, 0.3, 12), rtol=1e-15)
    for t in range(1, 13):
        prev = h.params[t - 1]
        step = h.grad[t - 1] + 0.2 * np.r_[prev[:-1], 0.0]
        np.testing.assert_allclose(h.params[t], prev - h.learning_rate[t] * step, atol=1e-14)
    assert h.objective[-1] == pytest.approx(h.train_loss[-1] + 0.1 * (h.params[-1, :-1] ** 2).sum())


@pytest.mark.parametrize(("kind", "mix"), [("lasso", 1.0), ("elastic", 0.5)])
def test_the_proximal_run_meets_the_optimality_conditions(kind, mix):
    poly = polynomial(CUBIC, 5)
    lam = 0.05
    spec = RegSpec(kind, lam, mix, learning_rate=0.15)
    stepper = PenalisedStepper(poly, spec)
    stepper.step(2500)
    theta = stepper.params
    assert kkt_violation(poly.data, theta, lam, mix) < 1e-6
    assert exact_zeros(theta, 5).any()  # the conditions are met with some weights at 0
    assert (
        kkt_violation(poly.data, optima.penalised_optimum(poly.data, spec.rule), lam, mix) < 1e-12
    )


def test_subgradient_chatters_where_the_proximal_step_lands_on_zero():
    poly = polynomial(CUBIC, 8)
    lam = 0.05
    runs = {}
    for method in ("proximal", "subgradient"):
        stepper = PenalisedStepper(poly, RegSpec("lasso", lam, l1_method=method, learning_rate=0.1))
        stepper.step(3000)
        runs[method] = stepper.history.params[-100:, :8]
    zero = np.all(runs["proximal"] == 0.0, axis=0)  # exactly 0 for the last 100 steps
    assert zero.sum() >= 2
    chatter = runs["subgradient"][:, zero]
    assert np.all(chatter != 0.0)  # never lands on 0
    flips = (np.diff(np.sign(chatter), axis=0) != 0).sum(0)
    assert np.all(flips >= 5)  # it jumps across 0 again and again,
    assert np.abs(chatter).max() <= 3 * 0.1 * lam  # by about one step η·λ each way


def test_a_rate_too_large_diverges_and_stops():
    poly = polynomial(CUBIC, 3)
    stepper = PenalisedStepper(poly, RegSpec(learning_rate=2.0))
    assert stepper.step(500) < 500 and stepper.status == "diverged"
    assert np.isfinite(stepper.history.params).all() and "Diverged" in stepper.message


def test_proximal_needs_plain_sgd():
    with pytest.raises(ValueError):
        RegSpec("lasso", 0.1, optimizer="adam")
    RegSpec("lasso", 0.1, optimizer="adam", l1_method="subgradient")


# ---- slices and batches ----------------------------------------------------------------
def test_slice_grid_and_its_minimum():
    poly = polynomial(CUBIC, 4)
    rule = RegSpec("elastic", 0.1, 0.5).rule
    centre = np.array([0.4, -0.2, 0.9, 0.1, 0.3])
    s, t = np.linspace(-1, 1, 7), np.linspace(-2, 1, 5)
    total, loss = optima.slice_grid(poly.data, rule, centre, 0, 2, s, t)
    for a, si in enumerate(s[:3]):
        for b, ti in enumerate(t[:3]):
            theta = centre.copy()
            theta[[0, 2]] = si, ti
            assert loss[b, a] == pytest.approx(optima.mse(poly.data, theta)[0], rel=1e-12)
            assert total[b, a] == pytest.approx(optima.objective(poly.data, theta, rule)[0])
    best = optima.slice_minimum(poly.data, centre, 0, 2)
    theta = centre.copy()
    theta[[0, 2]] = best
    a = np.hstack([poly.data.x_train, np.ones((len(poly.data.x_train), 1))])
    grad = 2 * a.T @ (a @ theta - poly.data.y_train[:, 0]) / len(a)
    np.testing.assert_allclose(grad[[0, 2]], 0, atol=1e-12)


SPECS = [
    RegSpec("ridge", learning_rate=0.05),
    RegSpec("lasso", learning_rate=0.05),
    RegSpec("elastic", mix=0.3, learning_rate=0.05, l1_method="subgradient"),
    RegSpec("ridge", optimizer="adamw", learning_rate=0.02, schedule=Schedule("cosine")),
    RegSpec("lasso", optimizer="adam", learning_rate=0.02, l1_method="subgradient"),
    RegSpec("ridge", learning_rate=0.05, penalise_bias=True, schedule=Schedule("onecycle")),
]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.penalty}-{s.optimizer}")
def test_the_path_is_one_stepper_per_strength(spec):
    poly = polynomial(CUBIC, 6)
    strengths = np.array([1e-3, 0.03, 1.0])
    path = regularisation_path(poly, replace(spec, total_steps=200), strengths, 200)
    for r, lam in enumerate(strengths):
        stepper = PenalisedStepper(poly, replace(spec, strength=float(lam), total_steps=200))
        stepper.step(200)
        np.testing.assert_allclose(path.params[r], stepper.params, rtol=0, atol=1e-10)
        assert path.objective[r] == pytest.approx(stepper.history.objective[-1], rel=1e-9)
        assert path.test_loss[r] == pytest.approx(stepper.history.test_loss[-1], rel=1e-9)


def test_the_degree_curve_is_one_stepper_per_degree():
    spec = RegSpec("lasso", 0.01, optimizer="sgd", learning_rate=0.05)
    seen = []
    curve = degree_curve(CUBIC, spec, [1, 3, 7], 150, progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 1 and seen == sorted(seen)
    for r, degree in enumerate([1, 3, 7]):
        stepper = PenalisedStepper(polynomial(CUBIC, degree), spec)
        stepper.step(150)
        np.testing.assert_allclose(curve.params[r, :degree], stepper.params[:-1], atol=1e-10)
        assert curve.params[r, -1] == pytest.approx(stepper.params[-1], abs=1e-10)
        assert np.all(curve.params[r, degree:-1] == 0.0)
        assert curve.train_loss[r] == pytest.approx(stepper.history.train_loss[-1], rel=1e-9)


def test_exact_path_is_each_exact_minimum():
    poly = polynomial(CUBIC, 6)
    strengths = np.array([0.002, 0.02, 0.2])
    for spec in (RegSpec("ridge"), RegSpec("lasso")):
        path = exact_path(poly, spec, strengths)
        for r, lam in enumerate(strengths):
            assert (
                kkt_violation(poly.data, path[r], lam, 1.0 if spec.penalty == "lasso" else 0.0)
                < 1e-12
            )


CODE_SPECS = [
    RegSpec("ridge", 0.05, learning_rate=0.1),
    RegSpec("ridge", 0.05, learning_rate=0.1, ridge_method="gradient", penalise_bias=True),
    RegSpec("elastic", 0.05, 0.5, learning_rate=0.1, schedule=Schedule("onecycle"), total_steps=60),
    RegSpec("lasso", 0.05, optimizer="adam", learning_rate=0.05, l1_method="subgradient"),
    RegSpec("ridge", 0.05, optimizer="adamw", learning_rate=0.05, schedule=Schedule("cosine")),
]


@pytest.mark.parametrize("spec", CODE_SPECS, ids=lambda s: f"{s.penalty}-{s.optimizer}")
def test_the_code_view_trains_as_the_stepper_does(spec):
    """Run the printed torch code (autograd, nn.Linear) and land where the stepper lands."""
    poly = polynomial(CUBIC, 4)
    namespace = {
        "torch": torch,
        "z": torch.tensor(poly.data.x_train),
        "y": torch.tensor(poly.data.y_train),
    }
    state = torch.random.get_rng_state()
    exec(training_code(spec, 4, 80), namespace)  # 80 steps: past the one-cycle's end
    torch.random.set_rng_state(state)
    model = namespace["model"]
    printed = torch.cat([model.weight.ravel(), model.bias]).detach().numpy()
    stepper = PenalisedStepper(poly, spec)
    stepper.step(80)
    np.testing.assert_allclose(printed, stepper.params, rtol=0, atol=1e-10)
