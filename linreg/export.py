"""Take a run away: its history as CSV, and a standalone PyTorch script that replays it.

The script is written in the seeds' style (nn.Linear, a torch.nn loss, a torch.optim
optimizer, an explicit loop) and needs only torch and NumPy. Anything a user typed (column
names, a file name) goes into it through repr(), never as code.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from linreg import losses, optimizers, schedules
from linreg.history import History
from linreg.settings import Config
from linreg.settings.fields import SCHEDULE_FIELDS
from linreg.spec import schedule_of

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

# ---- model, loss, optimizer, batches ----------------------------------------------------
model = nn.Linear(1, 1, dtype=DTYPE)
with torch.no_grad():
    model.weight.fill_({weight!r})
    model.bias.fill_({bias!r})


def rebuild(dtype, make_optimizer, batch_size, shuffle):
    """A new optimizer and a fresh seeded batch stream, from the current weight and bias
    (in `dtype`): what linreg does when the optimizer, the batches or the precision change."""
    global DTYPE, X_train, Y_train, X_test, Y_test, model, optimizer, next_batch
    weight, bias = model.weight.item(), model.bias.item()
    DTYPE = dtype
    X_train, Y_train = X_train.to(dtype), Y_train.to(dtype)
    X_test, Y_test = X_test.to(dtype), Y_test.to(dtype)
    model = nn.Linear(1, 1, dtype=dtype)
    with torch.no_grad():
        model.weight.fill_(weight)
        model.bias.fill_(bias)
    optimizer = make_optimizer(model.parameters())
    if batch_size <= 0 or batch_size >= len(X_train):
        next_batch = lambda: (X_train, Y_train)  # noqa: E731 (full batch)
        return
    generator = torch.Generator().manual_seed({seed!r})
    loader = DataLoader(TensorDataset(X_train, Y_train), batch_size=batch_size,
                        shuffle=shuffle, generator=generator)

    def forever():
        while True:
            yield from loader

    stream = forever()
    next_batch = lambda: next(stream)  # noqa: E731


def train(first, last):
    """Optimizer steps first .. last-1."""
    for step in range(first, last):
        xb, yb = next_batch()
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
{schedule_step}
{schedule_helpers}
# ---- training ---------------------------------------------------------------------------
{training}
with torch.no_grad():
    train_loss = loss_fn(model(X_train), Y_train).item()
    test_loss = loss_fn(model(X_test), Y_test).item() if len(X_test) else float("nan")
print("steps", {steps})
print("weight", model.weight.item())
print("bias", model.bias.item())
print("train_loss", train_loss)
print("test_loss", test_loss)
'''

TRAINING = (
    "loss",
    "huber_delta",
    "optimizer",
    "learning_rate",
    "momentum",
    "beta1",
    "beta2",
    "alpha",
    "batch_size",
    "shuffle",
    "dtype",
)


SCHEDULE_STEP = "        step_schedule()  # the rate for the next step"
SCHEDULE_HELPERS = '''

def restart_rate(lr):
    """The base rate `lr` for a fresh scheduler: linreg starts the schedule again at every
    change of settings (torch would keep the former scheduler's initial_lr as the base)."""
    for group in optimizer.param_groups:
        group.pop("initial_lr", None)
        group["lr"] = lr


def step_schedule():
    """One scheduler step after each optimizer step; from `schedule_end` on (cosine's T,
    one cycle's T - 1) the rate is held where it ended, as linreg holds it."""
    if schedule_end is None or scheduler.last_epoch < schedule_end:
        scheduler.step()

'''


def _schedule_code(c: Config) -> str:
    """The lines that start settings c's schedule at this step (exact numbers, by repr)."""
    s, T = schedule_of(c), c.schedule_steps
    args = {
        "constant": "ConstantLR(optimizer, factor=1.0, total_iters=0)",
        "step": f"StepLR(optimizer, step_size={s.step_size!r}, gamma={s.gamma!r})",
        "exponential": f"ExponentialLR(optimizer, gamma={s.decay!r})",
        "cosine": f"CosineAnnealingLR(optimizer, T_max={T!r}, eta_min={s.eta_min!r})",
        "onecycle": f"OneCycleLR(optimizer, max_lr={c.learning_rate!r}, total_steps={T!r},\n"
        f"    pct_start={s.pct_start!r}, div_factor={s.div_factor!r}, "
        f"final_div_factor={s.final_div_factor!r}, cycle_momentum=False)",
    }[s.kind]
    return (
        f"restart_rate({c.learning_rate!r})\n"
        f"scheduler = torch.optim.lr_scheduler.{args}\n"
        f"schedule_end = {schedules.horizon(s, T)!r}"
    )


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


def _setup(c: Config) -> str:
    """The lines that (re)build the optimizer and the batches for settings c."""
    make = optimizers.code(c, params="p")
    return (
        f"loss_fn = {losses.get(c.loss, c.huber_delta).code()}\n"
        f"rebuild(torch.{c.dtype}, lambda p: {make}, {c.batch_size!r}, {c.shuffle!r})"
    )


def _change(old: Config, new: Config) -> str:
    """The lines for a mid-run change, doing what linreg's Stepper.configure does."""
    changed = {n for n in TRAINING if getattr(old, n) != getattr(new, n)}
    if not changed:  # only the schedule changed: it starts again (the caller adds it)
        return ""
    if new.optimizer == old.optimizer and changed <= set(optimizers.HYPER_FIELDS):
        hyper = ", ".join(f"{k}={v!r}" for k, v in optimizers.get(new.optimizer).hyper(new).items())
        return (
            "for group in optimizer.param_groups:  # the optimizer keeps its state\n"
            f"    group.update({hyper})"
        )
    if changed <= {"loss", "huber_delta"}:
        return f"loss_fn = {losses.get(new.loss, new.huber_delta).code()}"
    return _setup(new)


def _scheduled(changes: list[tuple[int, Config]], steps: int) -> bool:
    """Whether any stretch of the run has a schedule other than the constant rate."""
    return any(c.schedule != "constant" for at, c in changes if at < steps or at == 0)


def _training(changes: list[tuple[int, Config]], steps: int) -> str:
    scheduled = _scheduled(changes, steps)
    blocks = [_setup(changes[0][1])]
    if scheduled:
        blocks.append(_schedule_code(changes[0][1]))
    bounds = [at for at, _ in changes[1:] if at < steps] + [steps]
    first = 0
    for i, last in enumerate(bounds):
        if i:
            old, new = changes[i - 1][1], changes[i][1]
            lines = [f"# step {first}: {_what(old, new)}", _change(old, new)]
            if scheduled:
                lines.append(_schedule_code(new))
            blocks.append("\n".join(line for line in lines if line))
        blocks.append(f"train({first}, {last})")
        first = last
    return "\n".join(blocks)


def _what(old: Config, new: Config) -> str:
    return ", ".join(
        f"{n} {getattr(old, n)!r} -> {getattr(new, n)!r}"
        for n in (*TRAINING, *SCHEDULE_FIELDS)
        if getattr(old, n) != getattr(new, n)
    )


def pytorch_script(
    config: Config,
    start,
    steps: int,
    own=None,
    filename: str = "linreg_run.py",
    changes: list[tuple[int, Config]] | None = None,
) -> str:
    """A runnable script that takes the same `steps` optimizer steps from `start`, with the
    run's mid-run `changes` ((step, settings) pairs, the first at step 0) made where they were."""
    changes = changes or [(0, config)]
    c = changes[0][1]
    title = ", then ".join(
        f"{k.optimizer} {k.loss} lr {k.learning_rate:g}"
        + (f" {schedules.LABELS[k.schedule]}" if k.schedule != "constant" else "")
        + (f" from step {at}" if at else "")
        for at, k in changes
    )
    scheduled = _scheduled(changes, int(steps))
    return SCRIPT.format(
        title=title,
        filename=filename,
        dtype=c.dtype,
        data=_data_code(config, own),
        n_train_expr=f"min(max(int({config.train_fraction!r} * len(x)), 1), len(x))",
        order_expr=(
            "np.arange(len(x))"
            if config.split == "ordered"
            else f"np.random.default_rng({config.seed!r}).permutation(len(x))"
        ),
        weight=float(start[0]),
        bias=float(start[1]),
        seed=config.seed,
        training=_training(changes, int(steps)),
        schedule_step=SCHEDULE_STEP if scheduled else "",
        schedule_helpers=SCHEDULE_HELPERS if scheduled else "",
        steps=int(steps),
    )
