"""P1: seed 000's 500 training steps, with a test loss at every step.

Baseline: the tutorial's own loop, copied as written (LinearRegressionModel around
nn.Linear(1, 1), nn.L1Loss, torch.optim.SGD lr=0.01; per epoch model.train(), forward, loss,
zero_grad, backward, step, then model.eval() and the test loss under torch.inference_mode();
the print every 100 epochs goes to a null stream). It stores nothing per step.

Ours: `linreg.Stepper(linreg.seed000(), linreg.TrainSpec(), start=[-0.4936, 0.3721])
.step(500)`, which records θ, the full-batch gradient, the train and the test loss at every
step. Both sides start from the same θ, and both timings include building the data and the
model. The autograd mode, TrainSpec(gradient="autograd"), is timed too, for information.

Goal: ours at least 4× faster than the baseline.
"""

from __future__ import annotations

import os

import numpy as np
import torch
from _common import Row, compare, finish  # puts the repo on sys.path
from torch import nn

import linreg

torch.set_num_threads(1)

START = [-0.4936, 0.3721]
STEPS = 500
GOAL = 4.0


class LinearRegressionModel(nn.Module):
    """The tutorial's model."""

    def __init__(self):
        super().__init__()
        self.linear_layer = nn.Linear(in_features=1, out_features=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear_layer(x)


def baseline(out=None) -> np.ndarray:
    """The tutorial's data, model and training loop; returns the final [weight, bias]."""
    weight, bias = 0.8, 0.2
    X = torch.arange(start=0, end=2, step=0.02)
    y = X * weight + bias
    train_split = int(0.8 * len(X))
    X_train, y_train = X[:train_split], y[:train_split]
    X_test, y_test = X[train_split:], y[train_split:]

    model = LinearRegressionModel()
    with torch.no_grad():  # the start the Stepper uses (the tutorial's is random)
        model.linear_layer.weight.fill_(START[0])
        model.linear_layer.bias.fill_(START[1])
    loss_fn = nn.L1Loss()
    optimizer = torch.optim.SGD(params=model.parameters(), lr=0.01)

    epochs = STEPS
    device = "cpu"
    X_train = X_train.unsqueeze(dim=1).to(device)
    X_test = X_test.unsqueeze(dim=1).to(device)
    y_train = y_train.unsqueeze(dim=1).to(device)
    y_test = y_test.unsqueeze(dim=1).to(device)

    for epoch in range(epochs):
        model.train()
        y_pred = model(X_train)
        loss = loss_fn(y_pred, y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        model.eval()
        with torch.inference_mode():
            test_pred = model(X_test)
            test_loss = loss_fn(test_pred, y_test)

        if epoch % 100 == 0:
            print(f"Epoch: {epoch} | Train loss: {loss} | Test loss: {test_loss}", file=out)
    return np.array([model.linear_layer.weight.item(), model.linear_layer.bias.item()])


def ours(gradient: str = "closed-form") -> linreg.Stepper:
    stepper = linreg.Stepper(linreg.seed000(), linreg.TrainSpec(gradient=gradient), start=START)
    stepper.step(STEPS)
    return stepper


def main() -> list[Row]:
    print(__doc__.splitlines()[0])
    rows = []
    with open(os.devnull, "w") as null:
        for gradient, goal in (("closed-form", GOAL), ("autograd", None)):
            t_ours, t_base = compare(lambda g=gradient: ours(g), lambda: baseline(null))
            met = None if goal is None else t_base / t_ours >= goal
            rows.append(
                Row(
                    f"P1 seed000 500 steps, {gradient}",
                    t_ours,
                    t_base,
                    f"≥ {goal:g}×" if goal else "(info)",
                    met,
                )
            )
        stepper = ours()
        same = np.abs(stepper.params - baseline(null)).max()
    print(
        f"  ours recorded {len(stepper.history)} history rows (θ, gradient, train and test "
        f"loss); final θ {stepper.params.round(4)}, max |Δθ| vs the tutorial loop {same:.1e}"
    )
    print(f"  goal ≥ {GOAL:g}× (closed-form): {'met' if rows[0].met else 'NOT met'}")
    finish(rows)
    return rows


if __name__ == "__main__":
    main()
