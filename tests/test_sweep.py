"""lr_sweep's batched runs against one Stepper per learning rate (float64)."""

from dataclasses import replace

import numpy as np
import pytest
from cases import noisy_line, three_by_two

from linreg import landscape
from linreg.data import Dataset, seed000
from linreg.history import History
from linreg.sweep import _converged, lr_sweep
from linreg.trainer import WINDOW, Stepper, TrainSpec

STEPS = 300


def rates_for(name: str, data: Dataset, loss: str = "mse") -> np.ndarray:
    """Learning rates from tiny to (for the SGD family on MSE) well past divergence."""
    critical = landscape.critical_learning_rate(data)
    if name == "sgd":
        return critical * np.array([0.01, 0.1, 0.5, 0.9, 0.99, 1.05, 1.5, 3.0])
    if name in ("momentum", "nesterov"):
        if loss != "mse":  # Huber's bounded gradient never blows up: it bounces chaotically
            return critical * np.array([0.01, 0.1, 0.5, 1.0])
        # heavy ball with μ = 0.9 is stable up to 2(1 + μ)/λ = 19 × the plain critical rate
        return critical * np.array([0.01, 0.1, 1.0, 5.0, 25.0, 60.0])
    if name == "rmsprop":  # chaotic at large rates: keep to small ones
        return np.array([1e-5, 1e-4, 3e-4, 1e-3])
    return np.array([1e-3, 1e-2, 0.05, 0.2])


def separate_runs(data, spec, rates, start, steps=STEPS):
    runs = []
    for lr in rates:
        stepper = Stepper(data, replace(spec, learning_rate=float(lr)), start=start)
        stepper.step(steps)
        runs.append(stepper)
    return runs


CASES = [
    (name, loss, which)
    for name in ("sgd", "momentum", "nesterov", "adam", "adagrad", "rmsprop")
    for loss in ("mse", "huber")
    for which in ("line", "multi")
]


@pytest.mark.parametrize(("name", "loss", "which"), CASES)
def test_sweep_is_one_stepper_per_learning_rate(name, loss, which):
    data = noisy_line() if which == "line" else three_by_two()
    start = np.array([-0.7, 1.1]) if which == "line" else np.linspace(-1, 1, 8)
    spec = TrainSpec(loss=loss, huber_delta=0.5, optimizer=name, dtype="float64")
    rates = rates_for(name, data, loss)
    result = lr_sweep(data, spec, rates, STEPS, start)
    runs = separate_runs(data, spec, rates, start)
    np.testing.assert_array_equal(result.learning_rates, rates)
    assert result.loss.shape == (STEPS + 1, len(rates))
    for r, stepper in enumerate(runs):
        want_div = -1 if stepper.diverged_at is None else stepper.diverged_at
        assert result.diverged_at[r] == want_div, f"lr={rates[r]:g}"
        kept = len(stepper.history)
        np.testing.assert_allclose(
            result.loss[:kept, r], stepper.history.train_loss, rtol=1e-9, atol=1e-12
        )
        if stepper.diverged_at is None:
            np.testing.assert_allclose(result.params[r], stepper.params, rtol=0, atol=1e-9)
            assert result.final_loss[r] == pytest.approx(stepper.history.train_loss[-1], rel=1e-9)
        else:
            assert np.all(np.isnan(result.params[r]))
            assert np.all(np.isnan(result.loss[stepper.diverged_at :, r]))


def test_the_sgd_sweep_covers_both_outcomes():
    """The SGD rates above really include runs that diverge and runs that do not."""
    data = noisy_line()
    spec = TrainSpec(loss="mse", optimizer="sgd", dtype="float64")
    result = lr_sweep(data, spec, rates_for("sgd", data), STEPS, [-0.7, 1.1])
    assert (result.diverged_at == -1).sum() == 5
    assert (result.diverged_at > 0).sum() == 3


def test_sweep_converged_at_is_the_plateau_of_each_run():
    data = seed000()
    spec = TrainSpec(loss="mae", optimizer="sgd", dtype="float64")
    rates = np.array([0.003, 0.01, 0.03])
    result = lr_sweep(data, spec, rates, 1500, [-0.4936, 0.3721], tolerance=1e-6)
    for r, stepper in enumerate(separate_runs(data, spec, rates, [-0.4936, 0.3721], 1500)):
        t = stepper.history.plateau(WINDOW, 1e-6)
        assert result.converged_at[r] == (-1 if t is None else t)
    assert (result.converged_at > 0).any()


@pytest.mark.parametrize("shuffle", [True, False])
def test_sweep_with_mini_batches(shuffle):
    data = three_by_two()
    spec = TrainSpec(
        loss="mse", optimizer="momentum", dtype="float64", batch_size=8, shuffle=shuffle, seed=9
    )
    rates = np.array([0.001, 0.01, 0.05])
    start = np.linspace(-1, 1, 8)
    result = lr_sweep(data, spec, rates, 150, start)
    for r, stepper in enumerate(separate_runs(data, spec, rates, start, 150)):
        np.testing.assert_allclose(result.params[r], stepper.params, rtol=0, atol=1e-9)
        np.testing.assert_allclose(result.loss[:, r], stepper.history.train_loss, rtol=1e-9)


def test_sweep_without_bias():
    data = three_by_two()
    spec = TrainSpec(loss="huber", optimizer="adam", dtype="float64", bias=False)
    rates = np.array([0.01, 0.1])
    start = np.linspace(-1, 1, 6)
    result = lr_sweep(data, spec, rates, 200, start)
    for r, stepper in enumerate(separate_runs(data, spec, rates, start, 200)):
        np.testing.assert_allclose(result.params[r], stepper.params, rtol=0, atol=1e-9)


def test_progress_is_reported_between_0_and_1():
    seen = []
    lr_sweep(
        noisy_line(),
        TrainSpec(loss="mse", dtype="float64"),
        [0.01, 0.1],
        200,
        [0.0, 0.0],
        progress=seen.append,
    )
    assert seen and all(0 <= p <= 1 for p in seen) and seen == sorted(seen)


def test_converged_columns_match_history_plateau_on_hand_made_losses():
    """_converged and History.plateau read the same rule; check them on one array."""
    loss = np.r_[np.linspace(5, 1, 80), np.full(100, 1.0)]
    history = History(1)
    history.append(np.zeros((len(loss), 1)), np.zeros((len(loss), 1)), loss, loss)
    assert _converged(loss[:, None], 1e-6)[0] == history.plateau(WINDOW, 1e-6) == 80 + WINDOW - 1
