"""The penalties: each rule against its derivative (autograd as the oracle), each proximal
step against the optimality condition of the problem it solves, and each outline against
the rule it outlines."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from linreg.penalties import ElasticNet, Lasso, Penalty, Ridge, make_penalty

W = np.array([0.7, -1.3, 0.05, -0.02, 2.5, -0.4])  # no zeros: every rule is differentiable
RULES = [Ridge(0.3), Lasso(0.2), ElasticNet(0.5, 0.3), ElasticNet(0.5, 1.0), Penalty()]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.kind)
def test_gradient_is_autograds_derivative_of_the_value(rule):
    w = torch.tensor(W, requires_grad=True)
    rule.value(w).backward()
    np.testing.assert_allclose(rule.gradient(torch.tensor(W)).numpy(), w.grad.numpy(), atol=1e-15)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.kind)
def test_value_by_hand(rule):
    lam = rule.strength
    alpha = {"ridge": 0.0, "lasso": 1.0, "none": 0.0}.get(rule.kind, getattr(rule, "mix", 0))
    by_hand = lam * (alpha * np.abs(W).sum() + (1 - alpha) / 2 * (W**2).sum())
    assert float(rule.value(W)) == pytest.approx(by_hand, rel=1e-14, abs=1e-15)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.kind)
def test_numpy_and_torch_agree(rule):
    w = np.r_[W, 0.0]
    t = torch.tensor(w)
    np.testing.assert_allclose(rule.value(t).numpy(), rule.value(w), rtol=1e-15)
    np.testing.assert_array_equal(rule.gradient(t).numpy(), rule.gradient(w))
    np.testing.assert_array_equal(rule.prox(t, 0.3).numpy(), rule.prox(w, 0.3))


def test_lasso_subgradient_is_zero_at_zero():
    assert Lasso(0.5).gradient(np.array([0.0, 2.0, -3.0])).tolist() == [0.0, 0.5, -0.5]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.kind)
@pytest.mark.parametrize("step", [0.05, 0.8, 3.0])
def test_prox_solves_its_problem(rule, step):
    """u = prox(w) minimises ½‖u - w‖² + s·P(u): u - w + s·(decay·u + threshold·g) = 0 with
    g = sign(u) where u ≠ 0 and |g| ≤ 1 where u = 0 (optimality, written out here)."""
    u = rule.prox(W, step)
    smooth = u - W + step * rule.decay * u
    nonzero = u != 0
    np.testing.assert_allclose(
        smooth[nonzero] + step * rule.threshold * np.sign(u[nonzero]), 0, atol=1e-15
    )
    assert np.all(np.abs(smooth[~nonzero]) <= step * rule.threshold + 1e-15)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.kind)
def test_prox_beats_every_nearby_point(rule):
    """Brute force: the prox objective is no lower anywhere on a fine grid around it (the
    problem is separable, so each coordinate is checked on its own line)."""
    step = 0.7
    u = rule.prox(W, step)
    for k in range(len(W)):
        line = u[k] + np.linspace(-1, 1, 2001)
        trial = np.repeat(u[None], len(line), axis=0)
        trial[:, k] = line
        f = 0.5 * ((trial - W) ** 2).sum(1) + step * rule.value(trial)
        best = 0.5 * ((u - W) ** 2).sum() + step * rule.value(u)
        assert f.min() >= best - 1e-12


def test_soft_threshold_makes_exact_zeros():
    u = Lasso(1.0).prox(np.array([0.3, -0.3, 1.5, -2.0]), 0.5)
    assert u.tolist() == [0.0, 0.0, 1.0, -1.5]


def test_lasso_prox_is_torchs_softshrink():
    """The stepper soft-thresholds with F.softshrink: the same numbers as Lasso.prox."""
    w = torch.tensor(np.r_[W, 0.0, 0.3, -0.3])
    for step in (0.1, 1.5):
        shrunk = torch.nn.functional.softshrink(w, step * 0.2)
        np.testing.assert_array_equal(shrunk.numpy(), Lasso(0.2).prox(w, step).numpy())


def test_decay_and_threshold_are_the_two_parts():
    net = ElasticNet(0.4, 0.25)
    assert net.decay == pytest.approx(0.4 * 0.75) and net.threshold == pytest.approx(0.1)
    assert Ridge(0.4).decay == 0.4 and Ridge(0.4).threshold == 0
    assert Lasso(0.4).threshold == 0.4 and Lasso(0.4).decay == 0


@pytest.mark.parametrize(
    ("rule", "shape"),
    [(Ridge(0.3), "circle"), (Lasso(0.2), "diamond"), (ElasticNet(0.5, 0.4), "rounded diamond")],
)
def test_level_set_lies_on_the_level(rule, shape):
    assert rule.shape == shape
    u, v = rule.level_set(0.6)
    np.testing.assert_allclose(rule.value(np.column_stack([u, v])), 0.6, rtol=1e-12)


def test_outlines_are_a_circle_and_a_diamond():
    u, v = Ridge(0.5).level_set(0.25)  # 0.25 = 0.5/2 r²: r = 1
    np.testing.assert_allclose(np.hypot(u, v), 1.0, rtol=1e-12)
    u, v = Lasso(0.5).level_set(1.0)  # |u| + |v| = 2: corners at (±2, 0), (0, ±2)
    np.testing.assert_allclose(np.abs(u) + np.abs(v), 2.0, rtol=1e-12)
    assert np.abs(u).max() == pytest.approx(2.0) and np.abs(v).max() == pytest.approx(2.0)
    assert Penalty().level_set(1.0) is None and Ridge(0.5).level_set(0.0) is None


def test_make_penalty():
    assert make_penalty("none") == Penalty()
    assert make_penalty("ridge", 0.1) == Ridge(0.1)
    assert make_penalty("lasso", 0.1) == Lasso(0.1)
    assert make_penalty("elastic", 0.1, 0.3) == ElasticNet(0.1, 0.3)
    for bad in [("l3", 0.1, 0.5), ("ridge", -1.0, 0.5), ("elastic", 0.1, 1.5)]:
        with pytest.raises(ValueError):
            make_penalty(*bad)
    assert "λ = 0.1" in make_penalty("lasso", 0.1).label
