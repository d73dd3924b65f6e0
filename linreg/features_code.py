"""The "Many features" page's code of both ways, as complete programs for the run on show.

Each program, run as shown, takes the page's steps and prints the page's numbers:

* the same rows: the crop yields written out (the tutorial's 15 are the 5 three times),
  the synthetic rows drawn exactly as `features.synthetic` draws them, or a CSV's values;
* standardised as the page does it (NumPy float64 on the train rows, then the run's dtype);
* the same start: `nn.Linear(d, k)` after `torch.manual_seed(start seed)`, made in float32
  and cast (`spec.initial_params`);
* the same batches: a `DataLoader` whose shuffle is seeded by the start seed (what
  `spec.batch_loader` yields), or every row at every step for a full batch;
* the page's unit, the *step* (one batch); an epoch is ⌈n / batch size⌉ steps, so the loop
  runs over epochs and stops at the step on show;
* a final print of the step, the train MSE over every row and the parameters (trained units;
  standardised runs also in the raw features' units).

Anything from a user's file (column names, values) goes in through repr(), never as code.
"""

from __future__ import annotations

import numpy as np

from linreg.data import Dataset
from linreg.features import batches_per_epoch, standardise
from linreg.settings.features import FeaturesConfig

MODES = ("scratch", "builtins")


def program(mode: str, config: FeaturesConfig, raw: Dataset, steps: int) -> str:
    """The runnable program of one way (`mode`) for these settings, taking `steps` steps."""
    c, n = config, len(raw.x_train)
    d, k = raw.n_features, raw.n_targets
    full = batches_per_epoch(n, c.batch_size) == 1
    lines = _imports(mode, full) + [""] + _data(c, raw)
    if c.standardise:
        lines += _standardise(raw)
    lines += [
        f"DTYPE = torch.{c.dtype}",
        "inputs = torch.tensor(inputs, dtype=DTYPE)",
        "targets = torch.tensor(targets, dtype=DTYPE)",
        "",
    ]
    lines += _batches(c, n, full)
    lines += _start(mode, c, d, k)
    lines += _loop(mode, steps, n, c.batch_size, full)
    lines += _report(mode, c.standardise)
    return "\n".join(lines) + "\n"


def _imports(mode: str, full: bool) -> list[str]:
    lines = ["import numpy as np", "import torch"]
    if mode == "builtins":
        lines.append("import torch.nn.functional as F")
    lines.append("from torch import nn")
    if not full:
        lines.append("from torch.utils.data import DataLoader, TensorDataset")
    return lines


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def _array(name: str, rows: np.ndarray) -> list[str]:
    body = [f"    [{', '.join(_number(v) for v in row)}]," for row in rows]
    return [f"{name} = np.array([", *body, "], dtype=np.float64)"]


def _data(c: FeaturesConfig, raw: Dataset) -> list[str]:
    names = [
        f"# inputs: {', '.join(repr(str(n)) for n in raw.feature_names)}",
        f"# targets: {', '.join(repr(str(n)) for n in raw.target_names)}",
    ]
    if c.source == "synthetic":
        d, k = raw.n_features, raw.n_targets
        w = [[float(v) for v in row] for row in c.true_weight()]
        return [
            "# synthetic: z ~ N(0, 1), feature j scaled by spread^(j/(d-1))",
            "# the truth W, b holds in the features' own units",
            f"rng = np.random.default_rng({c.seed!r})",
            f"z = rng.standard_normal(({c.n_points!r}, {d}))",
            f"scales = {c.spread!r} ** (np.arange({d}) / {max(d - 1, 1)})",
            f"W = np.array({w!r})",
            f"b = np.array({[float(v) for v in c.true_bias()]!r})",
            f"noise = {c.noise!r} * rng.standard_normal(({c.n_points!r}, {k}))",
            "inputs = z * scales",
            "targets = z @ (W * scales).T + b + noise",
            "",
        ]
    x, y = raw.x_train, raw.y_train
    if c.source == "crop15":  # the tutorial's 15 rows: the 5 rows three times
        return [
            *names,
            *_array("inputs", x[:5]),
            *_array("targets", y[:5]),
            "# the tutorial's 15 rows: these 5, three times",
            "inputs = np.tile(inputs, (3, 1))",
            "targets = np.tile(targets, (3, 1))",
            "",
        ]
    return [*names, *_array("inputs", x), *_array("targets", y), ""]


def _standardise(raw: Dataset) -> list[str]:
    """The page's standardisation, line for line (features.standardise)."""
    lines = [
        "# standardise: each feature to mean 0, standard deviation 1",
        "mean, std = inputs.mean(axis=0), inputs.std(axis=0)",
    ]
    kept = standardise(raw)[1].std
    if np.any(kept != raw.x_train.std(axis=0)):  # a constant feature: leave it unscaled
        lines.append("std = np.where(std > 1e-12 * np.maximum(np.abs(mean), 1.0), std, 1.0)")
    return [*lines, "inputs = (inputs - mean) / std", ""]


def _batches(c: FeaturesConfig, n: int, full: bool) -> list[str]:
    if full:
        return [f"# full batch: every step uses all {n} rows", "train_dl = [(inputs, targets)]", ""]
    return [
        "# seeded by the start seed: the page's batches",
        "train_dl = DataLoader(",
        "    TensorDataset(inputs, targets),",
        f"    batch_size={c.batch_size!r},",
        f"    shuffle={c.shuffle!r},",
        f"    generator=torch.Generator().manual_seed({c.init_seed!r}),",
        ")",
        "",
    ]


def _start(mode: str, c: FeaturesConfig, d: int, k: int) -> list[str]:
    cast = "" if c.dtype == "float32" else ".to(DTYPE)"
    lines = [f"torch.manual_seed({c.init_seed!r})"]
    if mode == "builtins":
        return lines + [
            f"model = nn.Linear({d}, {k}){cast}  # its own init, in float32",
            f"opt = torch.optim.SGD(model.parameters(), lr={c.learning_rate!r})",
            "",
        ]
    return lines + [
        f"start = nn.Linear({d}, {k})  # the built-ins' start",
        f"w = start.weight.detach(){cast}.requires_grad_()",
        f"b = start.bias.detach(){cast}.requires_grad_()",
        f"lr = {c.learning_rate!r}",
        "",
    ]


SCRATCH_STEP = """\
        preds = x @ w.t() + b
        diff = preds - y
        loss = torch.sum(diff * diff) / diff.numel()
        loss.backward()
        with torch.no_grad():
            w -= w.grad * lr
            b -= b.grad * lr
            w.grad.zero_()
            b.grad.zero_()"""

BUILTINS_STEP = """\
        pred = model(x)
        loss = F.mse_loss(pred, y)
        loss.backward()
        opt.step()
        opt.zero_grad()"""


def _loop(mode: str, steps: int, n: int, batch_size: int, full: bool) -> list[str]:
    per = batches_per_epoch(n, batch_size)
    if full:
        unit = ["# the page counts steps; a full batch is one step per epoch"]
    else:
        epochs = f"{steps // per} epochs" + (f" and {steps % per} steps" if steps % per else "")
        unit = [
            f"# the page counts steps, one batch each: {per} per epoch",
            f"# (batches of up to {batch_size} rows), so {steps} steps are {epochs}",
        ]
    return [
        *unit,
        f"steps = {int(steps)}",
        "step = 0",
        "while step < steps:",
        "    for x, y in train_dl:  # one epoch",
        SCRATCH_STEP if mode == "scratch" else BUILTINS_STEP,
        "        step += 1",
        "        if step == steps:",
        "            break",
        "",
    ]


def _report(mode: str, standardised: bool) -> list[str]:
    if mode == "builtins":
        lines = [
            "with torch.no_grad():",
            "    loss = F.mse_loss(model(inputs), targets)",
            "w, b = model.weight.detach(), model.bias.detach()",
        ]
    else:
        lines = [
            "with torch.no_grad():",
            "    diff = inputs @ w.t() + b - targets",
            "    loss = torch.sum(diff * diff) / diff.numel()",
            "w, b = w.detach(), b.detach()",
        ]
    lines += [
        'print("step", step)',
        'print("train MSE", loss.item())',
        'print("weight", w.tolist())',
        'print("bias", b.tolist())',
    ]
    if standardised:  # the same model on the raw features: W = V / σ, b = c - V·(μ/σ)
        lines += [
            "v, c = w.double().numpy(), b.double().numpy()",
            'print("weight in raw units", (v / std).tolist())',
            "c = c - (v * (mean / std)).sum(1)",
            'print("bias in raw units", c.tolist())',
        ]
    return lines
