"""P3: a learning-rate sweep, 50 rates × 1,000 steps, in one batched run.

Data: seed 000 (80 training points). Training: MSE, plain SGD, from θ = [-0.4936, 0.3721],
at 50 learning rates spaced evenly in log from 1e-3 to 1 (the largest few diverge), in
float32 and in float64.

Baseline: 50 sequential runs, `linreg.Stepper(data, spec, start).step(1000)`, one per rate
(a run that diverges stops there, as the app's does).
Ours: `linreg.lr_sweep(data, spec, rates, 1000, start)`: all 50 runs at once.

The first torch.optim optimizer built in a process costs about a second of one-off imports.
The "cold" row times the first lr_sweep call of this process (before anything else has
built an optimizer). The other rows are timed after a warm-up, in 3 turns (each baseline
run takes seconds): the baseline's median of 3 runs, ours of 9.

Goal: the warm sweep at least 10× faster than the sequential runs.
"""

from __future__ import annotations

import numpy as np
import torch
from _common import Row, compare, finish, run_once  # puts the repo on sys.path

import linreg

torch.set_num_threads(1)

DATA = linreg.seed000()
RATES = np.logspace(-3, 0, 50)
STEPS = 1000
START = [-0.4936, 0.3721]
GOAL = 10.0


def spec(dtype: str, learning_rate: float = 0.01) -> linreg.TrainSpec:
    return linreg.TrainSpec(loss="mse", optimizer="sgd", learning_rate=learning_rate, dtype=dtype)


def ours(dtype: str):
    return linreg.lr_sweep(DATA, spec(dtype), RATES, STEPS, START)


def baseline(dtype: str) -> list[linreg.Stepper]:
    runs = []
    for lr in RATES:
        stepper = linreg.Stepper(DATA, spec(dtype, float(lr)), start=START)
        stepper.step(STEPS)
        runs.append(stepper)
    return runs


def main() -> list[Row]:
    print(__doc__.splitlines()[0])
    t_cold = run_once(lambda: ours("float32"))
    rows = []
    for dtype in ("float32", "float64"):
        t_ours, t_base = compare(
            lambda d=dtype: ours(d), lambda d=dtype: baseline(d), repeats=3, ours_per_turn=3
        )
        rows.append(
            Row(
                f"P3 sweep 50×1000, {dtype}",
                t_ours,
                t_base,
                f"≥ {GOAL:g}×",
                t_base / t_ours >= GOAL,
            )
        )
        # Same answers? Final θ of the runs that did not diverge, and which ones diverged.
        sweep, runs = ours(dtype), baseline(dtype)
        ok = sweep.diverged_at < 0
        seq = np.array([run.params for run in runs])
        diff = np.abs(sweep.params[ok] - seq[ok]).max()
        same_div = np.array_equal(~ok, np.array([run.diverged_at is not None for run in runs]))
        print(
            f"  {dtype}: {(~ok).sum()} of {len(RATES)} rates diverge "
            f"({'the same' if same_div else 'NOT the same'} in both); final θ of the others "
            f"agree to {diff:.1e}"
        )
    rows.append(Row("P3 sweep, float32, cold (first call)", t_cold, rows[0].baseline))
    met = all(row.met for row in rows[:2])
    print(f"  goal ≥ {GOAL:g}× (warm, float32 and float64): {'met' if met else 'NOT met'}")
    finish(rows)
    return rows


if __name__ == "__main__":
    main()
