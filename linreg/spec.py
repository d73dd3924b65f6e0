"""What a run trains with, and the torch objects built from it: the optimizer, the seeded
start and the seeded mini-batches."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import torch
from torch.utils.data import (
    BatchSampler,
    DataLoader,
    RandomSampler,
    SequentialSampler,
    TensorDataset,
)

from linreg import optimizers
from linreg.schedules import Schedule, Scheduler
from linreg.settings import DEFAULTS, Config

DTYPES = {"float32": torch.float32, "float64": torch.float64}


@dataclass(frozen=True)
class TrainSpec:
    """What to train with; names and defaults are those of the settings table."""

    loss: str = DEFAULTS.loss
    huber_delta: float = DEFAULTS.huber_delta
    optimizer: str = DEFAULTS.optimizer
    learning_rate: float = DEFAULTS.learning_rate
    momentum: float = DEFAULTS.momentum
    beta1: float = DEFAULTS.beta1
    beta2: float = DEFAULTS.beta2
    alpha: float = DEFAULTS.alpha
    batch_size: int = DEFAULTS.batch_size  # 0 = full batch
    shuffle: bool = DEFAULTS.shuffle
    dtype: str = DEFAULTS.dtype
    seed: int = DEFAULTS.seed
    bias: bool = True
    gradient: str = "closed-form"
    # the learning-rate schedule (linreg.schedules), restarted at every change of settings
    schedule: str = DEFAULTS.schedule
    step_size: int = DEFAULTS.step_size
    gamma: float = DEFAULTS.gamma
    decay: float = DEFAULTS.decay
    eta_min: float = DEFAULTS.eta_min
    pct_start: float = DEFAULTS.pct_start
    div_factor: float = DEFAULTS.div_factor
    final_div_factor: float = DEFAULTS.final_div_factor
    schedule_steps: int = DEFAULTS.schedule_steps  # the horizon T of cosine and one cycle

    @classmethod
    def from_config(cls, config: Config, **overrides) -> TrainSpec:
        """The training part of a page's settings."""
        names = {f.name for f in fields(cls)} & {f.name for f in fields(config)}
        return cls(**{n: getattr(config, n) for n in names}, **overrides)


def make_optimizer(spec: TrainSpec, params) -> torch.optim.Optimizer:
    """The torch.optim optimizer for `spec` (its entry in linreg.optimizers), torch's
    defaults for all it does not set."""
    entry = optimizers.get(spec.optimizer)
    # foreach=False: the plain per-tensor loop is quicker for two tiny tensors; same numbers.
    cls = getattr(torch.optim, entry.torch_class)
    return cls(params, **optimizers.arguments(spec), foreach=False)


def schedule_of(spec) -> Schedule:
    """The learning-rate schedule of a spec (or of any page's settings with its fields)."""
    return Schedule(
        spec.schedule,
        spec.step_size,
        spec.gamma,
        spec.decay,
        spec.eta_min,
        spec.pct_start,
        spec.div_factor,
        spec.final_div_factor,
    )


def make_schedule(spec: TrainSpec, optimizer: torch.optim.Optimizer) -> Scheduler:
    """A fresh scheduler for `spec` on `optimizer`, starting from `spec.learning_rate`.

    Its first step is the next optimizer step, whatever the optimizer did before: the
    param group's `initial_lr` (a former scheduler's base rate, which torch would keep) is
    dropped. The steppers call the optimizer's unwrapped `step` (see `Stepper._run`), so
    torch's check that the optimizer stepped first is told so; the order is right."""
    for group in optimizer.param_groups:
        group.pop("initial_lr", None)
        group["lr"] = spec.learning_rate
    scheduler = Scheduler(schedule_of(spec), optimizer, spec.schedule_steps)
    optimizer._opt_called = True  # read by LRScheduler.step (torch/optim/lr_scheduler.py)
    return scheduler


def hyper(spec: TrainSpec) -> dict:
    """The param_group entries that can change without losing the optimizer's state."""
    return optimizers.get(spec.optimizer).hyper(spec)


def initial_params(n_features: int, n_targets: int, seed: int, bias: bool = True) -> np.ndarray:
    """nn.Linear's own random start, as after `torch.manual_seed(seed)`, without touching
    the global generator (many users share one server)."""
    g = torch.Generator().manual_seed(seed)
    weight = torch.empty(n_targets, n_features)
    torch.nn.init.kaiming_uniform_(weight, a=math.sqrt(5), generator=g)
    parts = [weight.ravel()]
    if bias:
        bound = 1 / math.sqrt(n_features)
        parts.append(torch.empty(n_targets).uniform_(-bound, bound, generator=g))
    return torch.cat(parts).double().numpy()


def batch_loader(x: torch.Tensor, y: torch.Tensor, spec: TrainSpec) -> DataLoader | None:
    """Batches from a DataLoader over a TensorDataset, seeded; None for full batch."""
    n, size = len(x), spec.batch_size
    if size <= 0 or size >= n:
        return None
    dataset = TensorDataset(x, y)
    generator = torch.Generator().manual_seed(spec.seed)
    sampler = (
        RandomSampler(dataset, generator=generator) if spec.shuffle else SequentialSampler(dataset)
    )
    # The same batches as DataLoader(dataset, batch_size, shuffle, generator=generator) (the
    # loader draws its base seed from the generator too, before each epoch's shuffle), but
    # the BatchSampler hands whole index lists to the TensorDataset: no per-row collation.
    return DataLoader(
        dataset,
        sampler=BatchSampler(sampler, size, drop_last=False),
        batch_size=None,
        generator=generator,
    )


def epochs(loader: DataLoader):
    """Batches forever, a new shuffle each epoch."""
    while True:
        yield from loader


DEFAULT_SPEC = TrainSpec()  # the settings table's defaults
