"""Take a run away: its history as CSV, and a standalone PyTorch script that replays it.

The script is written in the seeds' style (nn.Linear, a torch.nn loss, a torch.optim
optimizer, an explicit loop) and needs only torch and NumPy. Anything a user typed (column
names, a file name) goes into it through repr(), never as code.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from linreg.history import History
from linreg.settings import Config

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP's CSV-injection advice)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def history_csv(history: History, names: list[str]) -> str:
    """One row per step: step, each parameter, each gradient, train and test loss."""
    columns = history.as_columns(names)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(str(name)) for name in columns])
    for row in zip(*columns.values(), strict=True):
        writer.writerow(
            [repr(float(v)) if isinstance(v, float | np.floating) else int(v) for v in row]
        )
    return out.getvalue()


LOSS_CODE = {"mse": "nn.MSELoss()", "mae": "nn.L1Loss()", "huber": "nn.HuberLoss(delta={delta!r})"}
OPTIMIZER_CODE = {
    "sgd": "torch.optim.SGD(model.parameters(), lr={lr!r})",
    "momentum": "torch.optim.SGD(model.parameters(), lr={lr!r}, momentum={momentum!r})",
    "nesterov": "torch.optim.SGD(model.parameters(), lr={lr!r}, momentum={momentum!r}, "
    "nesterov=True)",
    "adam": "torch.optim.Adam(model.parameters(), lr={lr!r}, betas=({beta1!r}, {beta2!r}))",
    "rmsprop": "torch.optim.RMSprop(model.parameters(), lr={lr!r}, alpha={alpha!r})",
    "adagrad": "torch.optim.Adagrad(model.parameters(), lr={lr!r})",
}

SCRIPT = '''"""Linear regression by gradient descent, as run in linreg ({title}).

Run it with:  python {filename}
It needs torch and numpy, and prints the weight, the bias and the losses at the end.
"""

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
DTYPE = torch.{dtype}

# ---- data -------------------------------------------------------------------------------
{data}
n_train = {n_train_expr}
order = {order_expr}
x_train, y_train = x[order[:n_train]], y[order[:n_train]]
x_test, y_test = x[order[n_train:]], y[order[n_train:]]
X_train = torch.tensor(x_train, dtype=DTYPE).unsqueeze(1)
Y_train = torch.tensor(y_train, dtype=DTYPE).unsqueeze(1)
X_test = torch.tensor(x_test, dtype=DTYPE).unsqueeze(1)
Y_test = torch.tensor(y_test, dtype=DTYPE).unsqueeze(1)

# ---- model, loss, optimizer -------------------------------------------------------------
model = nn.Linear(1, 1, dtype=DTYPE)
with torch.no_grad():
    model.weight.fill_({weight!r})
    model.bias.fill_({bias!r})
loss_fn = {loss}
optimizer = {optimizer}
{batches}
# ---- training ---------------------------------------------------------------------------
for step in range({steps}):
    xb, yb = next_batch()
    loss = loss_fn(model(xb), yb)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

with torch.no_grad():
    train_loss = loss_fn(model(X_train), Y_train).item()
    test_loss = loss_fn(model(X_test), Y_test).item() if len(X_test) else float("nan")
print("steps", {steps})
print("weight", model.weight.item())
print("bias", model.bias.item())
print("train_loss", train_loss)
print("test_loss", test_loss)
'''

FULL_BATCH = """

def next_batch():
    return X_train, Y_train
"""

MINI_BATCH = """
generator = torch.Generator().manual_seed({seed!r})
loader = DataLoader(TensorDataset(X_train, Y_train), batch_size={batch_size!r},
                    shuffle={shuffle!r}, generator=generator)


def batches_forever():
    while True:
        yield from loader


stream = batches_forever()


def next_batch():
    return next(stream)
"""


def _data_code(config: Config, own) -> str:
    if own is not None:
        return (
            f"# {own.name!r}: x = {own.x_label!r}, y = {own.y_label!r}\n"
            f"x = np.array({np.asarray(own.x).tolist()!r})\n"
            f"y = np.array({np.asarray(own.y).tolist()!r})"
        )
    c = config
    return (
        f"rng = np.random.default_rng({c.seed!r})\n"
        f"x = {c.x_min!r} + ({c.x_max!r} - {c.x_min!r}) * np.arange({c.n_points!r}) "
        f"/ {c.n_points!r}\n"
        f"y = {c.true_weight!r} * x + {c.true_bias!r} + {c.noise!r} * "
        f"rng.standard_normal({c.n_points!r})\n"
        f"n_out = int(round({c.outlier_fraction!r} * {c.n_points!r}))\n"
        f"if n_out:\n"
        f"    y[rng.choice({c.n_points!r}, n_out, replace=False)] += {c.outlier_size!r}"
    )


def pytorch_script(
    config: Config, start, steps: int, own=None, filename: str = "linreg_run.py"
) -> str:
    """A runnable script that takes the same `steps` optimizer steps from `start`."""
    c = config
    n = len(own.x) if own is not None else c.n_points
    full = c.batch_size <= 0 or c.batch_size >= max(int(c.train_fraction * n), 1)
    hyper = dict(
        lr=c.learning_rate, momentum=c.momentum, beta1=c.beta1, beta2=c.beta2, alpha=c.alpha
    )
    return SCRIPT.format(
        title=f"{c.optimizer}, {c.loss}, learning rate {c.learning_rate:g}",
        filename=filename,
        dtype=c.dtype,
        data=_data_code(c, own),
        n_train_expr=f"min(max(int({c.train_fraction!r} * len(x)), 1), len(x))",
        order_expr=(
            "np.arange(len(x))"
            if c.split == "ordered"
            else f"np.random.default_rng({c.seed!r}).permutation(len(x))"
        ),
        weight=float(start[0]),
        bias=float(start[1]),
        loss=LOSS_CODE[c.loss].format(delta=c.huber_delta),
        optimizer=OPTIMIZER_CODE[c.optimizer].format(**hyper),
        batches=FULL_BATCH
        if full
        else MINI_BATCH.format(seed=c.seed, batch_size=c.batch_size, shuffle=c.shuffle),
        steps=int(steps),
    )
