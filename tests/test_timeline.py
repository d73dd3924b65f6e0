"""A run is a timeline: every recorded step holds the loss and gradient its own settings
give, and replaying the segments gives the same parameters bit for bit.

Oracles: torch.nn.functional's losses and autograd at each recorded θ (not the engine's
closed form), and a second stepper driven through the same segments in other chunks.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linreg.data import split, synthetic_line
from linreg.trainer import Stepper, TrainSpec

LOSS_FN = {
    "mse": lambda p, y, d: F.mse_loss(p, y),
    "mae": lambda p, y, d: F.l1_loss(p, y),
    "huber": lambda p, y, d: F.huber_loss(p, y, delta=d),
}


def data():
    x, y = synthetic_line(0.8, 0.2, 0.3, 40, 0.0, 2.0, 0.1, 3.0, seed=3)
    return split(x, y, 0.8, "shuffled", 3)


def oracle(stepper: Stepper, theta: np.ndarray, spec: TrainSpec) -> tuple[float, np.ndarray]:
    """Train loss and full-batch gradient at θ by autograd, in float64."""
    x = torch.tensor(stepper.data.x_train, dtype=torch.float64)
    y = torch.tensor(stepper.data.y_train, dtype=torch.float64)
    w = torch.tensor(theta[:1].reshape(1, 1), requires_grad=True)
    b = torch.tensor(theta[1:], requires_grad=True)
    loss = LOSS_FN[spec.loss](x @ w.T + b, y, spec.huber_delta)
    loss.backward()
    return loss.item(), np.concatenate([w.grad.ravel().numpy(), b.grad.numpy()])


CHANGES = st.sampled_from(
    [
        {"learning_rate": 0.05},
        {"learning_rate": 0.2},
        {"loss": "mse"},
        {"loss": "mae"},
        {"loss": "huber", "huber_delta": 0.5},
        {"optimizer": "sgd"},
        {"optimizer": "momentum"},
        {"optimizer": "adam", "learning_rate": 0.05},
        {"momentum": 0.5},
        {"batch_size": 8},
        {"batch_size": 0},
        {"learning_rate": 50.0},  # diverges with MSE
    ]
)
PLANS = st.lists(st.tuples(CHANGES, st.integers(0, 40)), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PLANS)
def test_every_step_holds_what_its_own_settings_give(plan):
    spec = TrainSpec(dtype="float64", learning_rate=0.05, loss="mse")
    stepper = Stepper(data(), spec, start=[-0.5, 0.4])
    for change, k in plan:
        spec = replace(spec, **change)
        stepper.configure(spec)
        stepper.step(k)
    h = stepper.history
    for t in range(len(h)):
        want_loss, want_grad = oracle(stepper, h.params[t], stepper.spec_at(t))
        np.testing.assert_allclose(h.train_loss[t], want_loss, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(h.grad[t], want_grad, rtol=1e-10, atol=1e-12)
    # the replay, in one call per segment, equals the run taken in any chunks
    again = stepper.replay()
    np.testing.assert_array_equal(again.history.params, h.params)
    assert [(g.start, g.spec) for g in again.segments] == [
        (g.start, g.spec) for g in stepper.segments
    ]


def test_a_switch_rescores_the_step_it_happens_at():
    """Issue 10's first sighting: MAE, then MSE and one Step. The rule for step 0 must read
    MSE's gradient, and the curve MSE's loss at step 0."""
    spec = TrainSpec(dtype="float64", loss="mae", learning_rate=0.01)
    stepper = Stepper(data(), spec, start=[-0.4936, 0.3721])
    mae_loss = stepper.history.train_loss[0]
    mse = replace(spec, loss="mse")
    stepper.configure(mse)
    stepper.step(1)
    loss0, grad0 = oracle(stepper, stepper.history.params[0], mse)
    assert stepper.history.train_loss[0] == loss0 != mae_loss
    np.testing.assert_allclose(stepper.history.grad[0], grad0, rtol=1e-12)
    # the step actually taken: θ1 = θ0 - lr · g0
    np.testing.assert_allclose(
        stepper.history.params[1], stepper.history.params[0] - 0.01 * grad0, rtol=1e-12
    )
    assert [g.start for g in stepper.segments] == [0]  # a change before any step: one segment


def test_a_mid_run_switch_keeps_the_old_numbers_as_before():
    spec = TrainSpec(dtype="float64", learning_rate=0.05, loss="mse")
    stepper = Stepper(data(), spec, start=[-0.5, 0.4])
    stepper.step(20)
    old = stepper.history.train_loss[-1]
    stepper.configure(replace(spec, loss="mae"))
    seg = stepper.segments[-1]
    assert seg.start == 20 and seg.before[0] == old
    assert stepper.history.train_loss[20] == oracle(stepper, stepper.params, seg.spec)[0]
    assert stepper.spec_at(19).loss == "mse" and stepper.spec_at(20).loss == "mae"
    # changing back before a step takes the change away
    stepper.configure(spec)
    assert [g.start for g in stepper.segments] == [0]
    assert stepper.history.train_loss[20] == old


def test_after_divergence_the_state_is_that_of_the_last_good_step():
    """Momentum buffers, Adam's averages and the batch stream are exactly as after the last
    good step, so a lower rate goes on as a run that stopped there would."""
    spec = TrainSpec(
        dtype="float64", loss="mse", optimizer="momentum", learning_rate=2.0, batch_size=4
    )
    diverging = Stepper(data(), spec, start=[-0.5, 0.4])
    diverging.step(500)
    assert diverging.diverged_at is not None
    kept = diverging.steps
    stopped = Stepper(data(), spec, start=[-0.5, 0.4])
    stopped.step(kept)
    lower = replace(spec, learning_rate=0.01)
    for s in (diverging, stopped):
        s.configure(lower)
        s.step(30)
    np.testing.assert_array_equal(diverging.history.params, stopped.history.params)
