"""Why seed 002's float32 run stops at [10.0429, 19.9661] and float64 reaches [10, 20].

Full-batch gradient descent is a deterministic map, w_{t+1} = fl(w_t - fl(lr · g(w_t))).
In float32 a number w has neighbours only `spacing(w)` apart (2⁻²⁰ ≈ 9.5e-7 near 10 and
1.9e-6 near 20). Once every component of the update lr·g is below half its spacing, the
subtraction rounds back to w itself: w_{t+1} == w_t bit for bit, and since the next epoch
starts from the very same bits, every later epoch is identical. The run has reached a
*fixed point* of the float32 map, although the true gradient there is not zero.

So the long float32 run can stop at that fixed point and still be exact for every later
epoch: `Float32Run` runs the NumPy program's own float32 operations (those of
`scratch_code.NUMPY`), checks every `CHECK` epochs whether one more epoch changes w, and if it
does not, finds the first epoch from which w stands still. About 250,000 epochs take a
second or two; the remaining ~750,000 of the tutorial's million would change nothing.

float64 has 2⁻⁵² relative spacing: its updates stay representable much longer, so it goes
on towards [10, 20] (see `fastpath` for the million-epoch float64 run in milliseconds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linreg.scratch_steps import TRUE_WEIGHTS, X_ROWS

CHECK = 512  # epochs between two fixed-point checks


def log_steps(epochs: int, samples: int = 400) -> np.ndarray:
    """Whole epochs 0..epochs spaced evenly on a log axis (for drawing a long run)."""
    if epochs <= samples:
        return np.arange(epochs + 1)
    at = np.unique(np.geomspace(1, epochs, samples).round().astype(np.int64))
    return np.concatenate([[0], at])


class Float32Run:
    """The NumPy program of seed 002 in float32, advanced in slices so a page can show
    progress, and stopped at the exact fixed point (or after `epochs`)."""

    def __init__(self, start, learning_rate: float, epochs: int, samples: int = 400) -> None:
        self.x = np.array(X_ROWS, dtype=np.float32)
        self.xt = self.x.T.copy()
        self.y = self.x @ np.array(TRUE_WEIGHTS, dtype=np.float32)
        self.lr = float(learning_rate)
        self.epochs = int(epochs)
        self.w = np.array(start, dtype=np.float32)
        self.t = 0
        self.frozen_from: int | None = None
        self.diverged = False  # w overflowed (only above the critical rate 2/λmax)
        self.sample_steps = log_steps(self.epochs, samples)
        self._next = 0  # index of the next sample to record
        self.samples: list[np.ndarray] = []
        self._take_samples()

    def epoch(self, w: np.ndarray) -> np.ndarray:
        """One epoch, exactly the NumPy program's operations."""
        gradient = -2 * (self.xt @ (self.y - self.x @ w)) / len(self.x)
        return w - self.lr * gradient

    @property
    def done(self) -> bool:
        return self.frozen_from is not None or self.diverged or self.t >= self.epochs

    def advance(self, budget: int = 25_000) -> bool:
        """Run up to `budget` more epochs; True when finished."""
        stop = min(self.epochs, self.t + budget)
        while not self.done and self.t < stop:
            end = min(stop, (self.t // CHECK + 1) * CHECK, self._sample_at())
            w, begin, began_at = self.w, self.w, self.t
            x, xt, y, lr, n = self.x, self.xt, self.y, self.lr, len(self.x)
            with np.errstate(over="ignore", invalid="ignore"):
                for _ in range(end - self.t):  # `epoch`, inlined: the same operations
                    w = w - lr * (-2 * (xt @ (y - x @ w)) / n)
            self.w, self.t = w, end
            self.diverged = not np.isfinite(w).all()
            if not self.diverged and np.array_equal(self.epoch(w), w):
                self._find_fixed_point(begin, began_at)
            self._take_samples()
        return self.done

    def _sample_at(self) -> int:
        return int(self.sample_steps[self._next]) if self._next < len(self.sample_steps) else 2**62

    def _take_samples(self) -> None:
        while self._next < len(self.sample_steps) and self.sample_steps[self._next] <= self.t:
            self.samples.append(self.w.astype(np.float64))
            self._next += 1

    def _find_fixed_point(self, w: np.ndarray, t: int) -> None:
        """The first epoch from which w stands still, replaying from (w, t)."""
        while True:
            after = self.epoch(w)
            if np.array_equal(after, w):
                self.frozen_from, self.w = t, w
                return
            w, t = after, t + 1

    def finish(self) -> Float32Result:
        while not self.advance(10**9):
            pass
        return self.result()

    def result(self) -> Float32Result:
        """What the run found (call when `done`)."""
        steps = self.sample_steps[: len(self.samples)]
        return Float32Result(
            self.w.astype(np.float64),
            self.frozen_from,
            self.t,
            steps,
            np.array(self.samples),
            self.diverged,
        )


@dataclass(frozen=True)
class Float32Result:
    weights: np.ndarray  # w at the end (float32 values, as float64)
    frozen_from: int | None  # the first epoch after which w never changes, if reached
    epochs_run: int  # epochs actually computed
    sample_steps: np.ndarray  # epochs at which w was sampled (log-spaced)
    samples: np.ndarray  # w at those epochs
    diverged: bool = False  # w overflowed to inf or NaN

    def at(self, steps: np.ndarray) -> np.ndarray:
        """w at any epochs up to the requested total: past the fixed point, it stays put."""
        idx = np.searchsorted(self.sample_steps, np.minimum(steps, self.sample_steps[-1]))
        out = self.samples[np.minimum(idx, len(self.samples) - 1)].copy()
        if self.frozen_from is not None:
            out[np.asarray(steps) >= self.frozen_from] = self.weights
        return out


@dataclass(frozen=True)
class Stall:
    """At a float32 point: the update each component would take, next to the spacing."""

    weights: np.ndarray
    gradient32: np.ndarray  # the gradient the float32 program computes there
    update32: np.ndarray  # lr · gradient in float32
    spacing: np.ndarray  # np.spacing(np.float32(w)): the gap to the next float32
    gradient64: np.ndarray  # the exact (float64) gradient at the same point
    new_weights: np.ndarray  # w - lr·g in float32

    @property
    def rounds_away(self) -> np.ndarray:
        """Per component: w - update rounds back to w itself (|update| at most half the
        spacing; an exact half is a tie, which goes to the neighbour with an even last bit)."""
        return self.new_weights == self.weights


def stall(weights, learning_rate: float) -> Stall:
    """The numbers behind the stall at `weights` (a float32 point)."""
    run = Float32Run(weights, learning_rate, 1, samples=1)
    w = run.w
    gradient = -2 * (run.xt @ (run.y - run.x @ w)) / len(run.x)
    update = run.lr * gradient
    x64 = np.array(X_ROWS)
    w64 = w.astype(np.float64)
    exact = -2 * x64.T @ (x64 @ np.array(TRUE_WEIGHTS) - x64 @ w64) / len(x64)
    return Stall(
        w64,
        gradient.astype(np.float64),
        update.astype(np.float64),
        np.spacing(w).astype(np.float64),
        exact,
        (w - update).astype(np.float64),
    )
