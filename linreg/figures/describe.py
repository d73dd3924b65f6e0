"""Short text alternatives for the live charts: what each one shows at the step on show, in
a sentence a screen reader can say (issue 11). Pure functions of numbers; no plotting.

    fit_views(step=40, weight=0.61, bias=0.33, train_loss=0.05, test_loss=0.07,
              n_train=80, n_test=20)
    -> "Charts at step 40. Data and fit: the fitted line has weight 0.61 and bias 0.33,
        over 80 train points and 20 test points. Loss: train 0.05, test 0.07. ..."
"""

from __future__ import annotations

import math


def number(value: float) -> str:
    """Four significant figures, as the metrics show them; "not a number" said in words."""
    if not math.isfinite(value):
        return (
            "not a number" if math.isnan(value) else ("infinity" if value > 0 else "minus infinity")
        )
    return f"{value:.4g}"


def points(n_train: int, n_test: int) -> str:
    """ "80 train points and 20 test points" (or only the train points when none are held out)."""
    train = f"{n_train} train point{'s' * (n_train != 1)}"
    if not n_test:
        return train
    return f"{train} and {n_test} test point{'s' * (n_test != 1)}"


def fit_views(
    step: int,
    weight: float,
    bias: float,
    train_loss: float,
    test_loss: float,
    n_train: int,
    n_test: int,
) -> str:
    """Fit a line's four views (data and fit, loss curve, surface, contour) at one step."""
    test = f", test {number(test_loss)}" if n_test else ""
    return (
        f"Charts at step {step}. Data and fit: the fitted line has weight {number(weight)} "
        f"and bias {number(bias)}, over {points(n_train, n_test)}. "
        f"Loss curve: train loss {number(train_loss)}{test} at step {step}. "
        f"Loss surface and contour: the run's path over weight and bias, now at "
        f"({number(weight)}, {number(bias)})."
    )


def race_views(step: int, losses: dict[str, float]) -> str:
    """The Optimizers race: every racer's loss at one step, on the contour and loss curves."""
    each = "; ".join(f"{name} {number(loss)}" for name, loss in losses.items())
    return (
        f"Charts at step {step}. Contour: each optimizer's path over weight and bias. "
        f"Loss curves, loss at step {step}: {each}."
    )


def scratch_views(epoch: int, weights: tuple[float, float], loss: float) -> str:
    """From scratch: the path of (w₁, w₂) on the loss contour at one epoch."""
    w1, w2 = weights
    return (
        f"Chart at epoch {epoch}: the path of the weights on the loss contour, now at "
        f"w1 = {number(w1)}, w2 = {number(w2)}, loss {number(loss)}."
    )


def features_views(step: int, train_loss: float, n_rows: int, n_targets: int) -> str:
    """Many features: the loss curve and the fitted-against-true values at one step."""
    return (
        f"Charts at step {step}. Loss curve: train loss {number(train_loss)}. "
        f"Fitted against true values for {n_rows} rows and {n_targets} "
        f"target{'s' * (n_targets != 1)}."
    )
