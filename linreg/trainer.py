"""The stepper: `nn.Linear` trained by a `torch.optim` optimizer, one recorded step at a time.

A *step* is one optimizer step on one batch. The history row t holds the state after t steps
(row 0 is the start): the flat parameters θ = [weight.ravel(), bias], the full-batch
gradient of the train loss at θ, and the train and test losses at θ.

Gradients come one of two ways, chosen by `TrainSpec.gradient`:

* "autograd": `loss(model(x), y).backward()`, as the seeds do.
* "closed-form" (default): for a linear model the gradient is ∂L/∂W = Ψᵀ X / N and
  ∂L/∂b = Σ Ψ / N with Ψ = `losses.psi(residual)`, rounded as torch's own backward rounds
  it (`losses.residual_gradient`). It is the same number (the tests check it
  against autograd at every step) at a tenth of the cost, which is what lets a lecture run
  thousands of steps live. Either way, torch.optim makes the update.

Losses and full-batch gradients for the history are computed after each chunk of steps, for
all its rows at once, so recording every step costs almost nothing.

A run is a timeline: `segments` lists the settings in force and the step each took over
(`Segment`). Row t belongs to the last segment starting at or before t, and its loss and
gradient are those of that segment's settings; the step from t to t + 1 was taken with
them too. At a change, the current row is scored again under the new settings (its old
numbers are kept in the new segment's `before`), so every row holds what its step used.
Replaying the segments (`replay`) gives the same parameters bit for bit.

The learning rate follows the spec's schedule (`torch.optim.lr_scheduler`, see
`linreg.schedules`), stepped once after each optimizer step. Each segment starts the
schedule again from its first step, at its own base rate: a segment is one scheduler on one
set of settings, so the rate of any step follows from its segment alone. The history
records the rate of every step (`History.learning_rate`), and divergence restores the
scheduler's state with the rest.
"""

from __future__ import annotations

import bisect
import copy
import math
from dataclasses import dataclass, fields

import numpy as np
import torch

from linreg import losses
from linreg.data import Dataset
from linreg.history import History
from linreg.optimizers import HYPER_FIELDS
from linreg.settings import DEFAULTS
from linreg.settings.fields import SCHEDULE_FIELDS
from linreg.spec import (  # re-exported: the engine's public names live here too
    DEFAULT_SPEC,
    DTYPES,
    TrainSpec,
    batch_loader,
    epochs,
    hyper,
    initial_params,
    make_optimizer,
    make_schedule,
)

CHUNK = 512  # steps between bookkeeping passes
WINDOW = 50  # steps over which "no more improvement" is judged
EXPLODE = 1e4  # a loss this many times the starting scale counts as diverged


@dataclass(frozen=True)
class Segment:
    """A stretch of a run under one set of training settings, from step `start` on.
    `before` is (train loss, test loss) at `start` under the previous settings."""

    start: int
    spec: TrainSpec
    before: tuple[float, float] | None = None


class Stepper:
    """Advance, reconfigure and reset a run; every step is recorded in `history`."""

    def __init__(self, data: Dataset, spec: TrainSpec = DEFAULT_SPEC, start=None):
        self.data = data
        self.start = start
        self.reset(spec)

    # ---- set-up ---------------------------------------------------------------------
    def reset(self, spec: TrainSpec | None = None) -> None:
        """Back to the start (optionally with new settings); the history is cleared."""
        self.spec = spec or self.spec
        d, k = self.data.n_features, self.data.n_targets
        start = self.start
        if start is None:
            start = initial_params(d, k, self.spec.seed, self.spec.bias)
        self._build(np.asarray(start, dtype=np.float64))
        self.history = History(self.flat.numel())
        self.segments = [Segment(0, self.spec)]
        self.diverged_at = self.converged_at = None
        self.message = ""
        self._record(self.flat.detach().double().numpy()[None].copy())

    def _build(self, theta: np.ndarray) -> None:
        spec, d, k = self.spec, self.data.n_features, self.data.n_targets
        dtype = DTYPES[spec.dtype]
        self.flat = torch.tensor(theta, dtype=dtype)
        if self.flat.numel() != k * d + (k if spec.bias else 0):
            raise ValueError("start has the wrong number of parameters")
        # skip_init: no random init (it would draw from torch's global generator, which all
        # users of a server share); the parameters are set just below.
        self.model = torch.nn.utils.skip_init(torch.nn.Linear, d, k, bias=spec.bias, dtype=dtype)
        # The parameters are views into one flat tensor, so a step is recorded with one copy.
        self.model.weight = torch.nn.Parameter(self.flat[: k * d].view(k, d))
        self.model.bias = torch.nn.Parameter(self.flat[k * d :]) if spec.bias else None
        self._use_gradient(spec.gradient)
        self.optimizer = make_optimizer(spec, self.model.parameters())
        self.scheduler = make_schedule(spec, self.optimizer)
        self.x_train = torch.tensor(self.data.x_train, dtype=dtype)
        self.y_train = torch.tensor(self.data.y_train, dtype=dtype)
        self.x_test = torch.tensor(self.data.x_test, dtype=dtype)
        self.y_test = torch.tensor(self.data.y_test, dtype=dtype)
        self._batches = batch_loader(self.x_train, self.y_train, spec)
        self._iter = None
        self._drawn = 0  # batches drawn from this loader

    def _next_batch(self):
        """The next (x, y) batch: the whole train set, or the loader's next mini-batch."""
        if self._batches is None:
            return self.x_train, self.y_train
        if self._iter is None:
            self._iter = epochs(self._batches)
        self._drawn += 1
        return next(self._iter)

    def _rewind_batches(self, drawn: int) -> None:
        """The batch stream as it was after `drawn` batches (a fresh seeded loader, skipped)."""
        if self._batches is None:
            return
        self._batches = batch_loader(self.x_train, self.y_train, self.spec)
        self._iter, self._drawn = None, 0
        for _ in range(drawn):
            self._next_batch()

    def _use_gradient(self, gradient: str) -> None:
        """Autograd needs leaves that require grad; the closed form writes .grad itself.
        (Called whenever the loss may have changed, so `self.loss` is set here too.)"""
        self.loss = losses.get(self.spec.loss, self.spec.huber_delta)
        for p in self.model.parameters():
            p.requires_grad_(gradient == "autograd")
            p.grad = None if gradient == "autograd" else torch.zeros_like(p)

    def configure(self, spec: TrainSpec) -> str:
        """Change training settings mid-run, continuing from the current parameters. The
        current row is scored again under the new settings, and a segment begins here."""
        old, theta = self.spec, self.params
        if spec == old:
            return ""
        changed = [f.name for f in fields(spec) if getattr(spec, f.name) != getattr(old, f.name)]
        if self.steps == 0:  # nothing taken yet: as if the run had started with `spec`
            self.reset(spec)
            return ", ".join(changed)
        self.spec = spec
        schedule, changes = set(SCHEDULE_FIELDS), set(changed)
        if changes <= schedule:
            pass  # same optimizer and state; only the schedule starts again (below)
        elif spec.optimizer == old.optimizer and changes <= set(HYPER_FIELDS) | schedule:
            self.optimizer.param_groups[0].update(hyper(spec))  # keeps momentum buffers
        elif changes <= {"loss", "huber_delta", "gradient"} | schedule:
            self._use_gradient(spec.gradient)  # same optimizer and state; a new gradient formula
        else:
            self._build(theta)
        self.scheduler = make_schedule(spec, self.optimizer)  # the schedule starts again here
        self.diverged_at = self.converged_at = None
        self.message = ""
        self._begin_segment(spec)
        return ", ".join(changed)

    def _begin_segment(self, spec: TrainSpec) -> None:
        h, here = self.history, self.steps
        before = (float(h.train_loss[-1]), float(h.test_loss[-1]))
        if self.segments[-1].start == here:  # no step since the last change: replace it
            before = self.segments.pop().before
        if here == 0:
            before = None
        if not self.segments or self.segments[-1].spec != spec:
            self.segments.append(Segment(here, spec, before))
        rows = h.params[-1:]
        train, grad = self.evaluate(rows, "train", with_grad=True)
        h.rescore_last(grad[0], train[0], self.evaluate(rows, "test")[0][0], self.scheduler.rate)

    def spec_at(self, step: int) -> TrainSpec:
        """The settings row `step` was scored with, and its step taken with."""
        return self.segments[self.segment_index(step)].spec

    def segment_index(self, step: int) -> int:
        return max(bisect.bisect_right([g.start for g in self.segments], step) - 1, 0)

    def replay(self, steps: int | None = None) -> Stepper:
        """A fresh stepper taken through the same segments (to `steps`, default all)."""
        steps = self.steps if steps is None else steps
        other = type(self)(self.data, self.segments[0].spec, self.start)
        for segment in self.segments[1:]:
            if segment.start > steps:
                break
            other.step(segment.start - other.steps)
            other.configure(segment.spec)
        other.step(steps - other.steps)
        return other

    # ---- reading --------------------------------------------------------------------
    @property
    def params(self) -> np.ndarray:
        """Current θ as float64: [weight.ravel(), bias]."""
        return self.history.params[-1].copy()

    @property
    def steps(self) -> int:
        return len(self.history) - 1

    @property
    def status(self) -> str:
        if self.diverged_at is not None:
            return "diverged"
        if self.converged_at is not None:
            return "converged"
        return "running" if self.steps else "ready"

    # ---- stepping -------------------------------------------------------------------
    def step(
        self, k: int = 1, stop_at_convergence: bool = False, tolerance: float = DEFAULTS.tolerance
    ) -> int:
        """Take up to k optimizer steps; returns how many were taken and kept."""
        if self.diverged_at is not None:
            return 0
        taken = 0
        while taken < k:
            chunk = min(k - taken, CHUNK if not stop_at_convergence else WINDOW)
            snapshot = self._snapshot()
            rows, rates = self._run(chunk)
            kept = self._bookkeep(rows, rates, stop_at_convergence, tolerance)
            if self.diverged_at is not None:
                self._restore(snapshot, kept)
            taken += kept
            if kept < chunk or self.diverged_at is not None:
                break
            if stop_at_convergence and self.converged_at is not None:
                break
        return taken

    def _snapshot(self) -> tuple:
        state = copy.deepcopy(self.optimizer.state_dict())
        schedule = copy.deepcopy(self.scheduler.torch.state_dict())
        return self.flat.clone(), state, schedule, self._drawn

    def _restore(self, snapshot: tuple, kept: int) -> None:
        """The state after the last good step, exactly: the parameters, the optimizer's
        memory (and rate), the scheduler's count and the batch stream as they were before
        the chunk, then its `kept` steps taken again. (The chunk ran past the bad step, so
        its state holds infinities.)"""
        flat, state, schedule, drawn = snapshot
        with torch.no_grad():
            self.flat.copy_(flat)
        self.optimizer.load_state_dict(state)
        self.scheduler.torch.load_state_dict(copy.deepcopy(schedule))
        self._rewind_batches(drawn)
        if kept:
            self._run(kept)

    def _run(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """k raw optimizer steps, each followed by a scheduler step; returns the k new θ
        rows and, for each, the rate of the step from it (the scheduler's next rate)."""
        spec, model, opt = self.spec, self.model, self.optimizer
        rows = torch.empty(k, self.flat.numel(), dtype=self.flat.dtype)
        rates, scheduler = np.empty(k), self.scheduler
        weight, bias, closed = model.weight, model.bias, spec.gradient == "closed-form"
        # torch wraps every Optimizer.step in a profiler label and a hook dispatcher (no hooks
        # are registered here); calling the wrapped step skips that ~40 µs, same update.
        update = getattr(type(opt).step, "__wrapped__", None)
        for i in range(k):
            xb, yb = self._next_batch()
            if closed:
                r = torch.addmm(bias, xb, weight.T) if bias is not None else xb @ weight.T
                g = self.loss.residual_gradient(r.sub_(yb))
                torch.mm(g.T, xb, out=weight.grad)
                if bias is not None:
                    torch.sum(g, 0, out=bias.grad)
            else:
                opt.zero_grad()
                self.loss.value(model(xb), yb).backward()
            update(opt) if update else opt.step()
            scheduler.step()
            rates[i] = scheduler.rate
            rows[i] = self.flat
        return rows.double().numpy(), rates

    def _bookkeep(self, rows: np.ndarray, rates: np.ndarray, stop: bool, tolerance: float) -> int:
        """Record the rows; truncate at divergence; note convergence. Returns rows kept."""
        train, grad = self.evaluate(rows, "train", with_grad=True)
        bad = ~np.isfinite(train) | ~np.isfinite(rows).all(1) | (train > self._limit())
        n_good = int(np.argmax(bad)) if bad.any() else len(rows)
        test = self.evaluate(rows[:n_good], "test")[0]
        used = self.history.learning_rate[-1]  # the rate of the step into the first new row
        self.history.append(rows[:n_good], grad[:n_good], train[:n_good], test, rates[:n_good])
        if n_good < len(rows):
            used = rates[n_good - 1] if n_good else used
            self.diverged_at = self.steps + 1
            bad_loss = train[n_good]
            what = (
                f"jumped to {bad_loss:.3g}" if np.isfinite(bad_loss) else "became infinite or NaN"
            )
            self.message = (
                f"Diverged at step {self.diverged_at}: the train loss {what} "
                f"(it was {self.history.train_loss[-1]:.3g}). The learning rate "
                f"{used:.3g} is too large here: lower it to go on "
                "from the last good step, or press Reset."
            )
        elif stop:
            self._check_convergence(tolerance)
        return n_good

    def _limit(self) -> float:
        first = self.history.train_loss[0] if len(self.history) else math.inf
        scale = max(first, float(np.mean(self.data.y_train**2)), 1e-8)
        return EXPLODE * scale if math.isfinite(first) else math.inf

    def _check_convergence(self, tolerance: float) -> None:
        loss = self.history.train_loss
        since = self.segments[-1].start
        t = self.history.plateau(WINDOW, tolerance, since)
        if t is not None:
            self.converged_at = t
            self.message = (
                f"Converged at step {t}: the train loss improved by less than "
                f"{tolerance:g} (relative) over the last {WINDOW} steps"
                f" and is now {loss[-1]:.6g}."
            )

    # ---- evaluation -----------------------------------------------------------------
    def evaluate(self, rows: np.ndarray, which: str = "train", with_grad: bool = False):
        """Loss (and full-batch gradient) at each θ row, in the run's dtype, vectorised."""
        x = self.x_train if which == "train" else self.x_test
        y = self.y_train if which == "train" else self.y_test
        spec = self.spec
        T = len(rows)
        if len(x) == 0 or T == 0:
            return np.full(T, np.nan), np.zeros_like(rows)
        theta = torch.from_numpy(rows).to(x.dtype)
        k, d = y.shape[1], x.shape[1]
        loss_out, grad_out = np.empty(T), np.empty_like(rows)
        per = max(1, 2_000_000 // y.numel())
        with torch.no_grad():
            for s in range(0, T, per):
                th = theta[s : s + per]
                w = th[:, : k * d].reshape(-1, k, d)
                pred = torch.einsum("nd,tkd->tnk", x, w)
                if spec.bias:
                    pred = pred + th[:, k * d :, None].transpose(1, 2)
                r = pred - y
                loss_out[s : s + per] = (
                    self.loss.value(pred, y.expand_as(pred), reduction="none")
                    .mean(dim=(1, 2))
                    .double()
                    .numpy()
                )
                if with_grad:
                    g = self.loss.psi(r) / y.numel()
                    gw = torch.einsum("tnk,nd->tkd", g, x).reshape(len(th), -1)
                    parts = [gw, g.sum(1)] if spec.bias else [gw]
                    grad_out[s : s + per] = torch.cat(parts, 1).double().numpy()
        return loss_out, grad_out

    def _record(self, rows: np.ndarray) -> None:
        train, grad = self.evaluate(rows, "train", with_grad=True)
        test = self.evaluate(rows, "test")[0]
        self.history.append(rows, grad, train, test, self.scheduler.rate)


def run(
    data: Dataset,
    spec: TrainSpec = DEFAULT_SPEC,
    steps: int = 100,
    start=None,
    stop_at_convergence: bool = False,
) -> Stepper:
    """Convenience: a Stepper after `steps` steps."""
    stepper = Stepper(data, spec, start)
    stepper.step(steps, stop_at_convergence)
    return stepper


__all__ = [
    "Segment",
    "TrainSpec",
    "Stepper",
    "batch_loader",
    "epochs",
    "make_optimizer",
    "initial_params",
    "run",
]
