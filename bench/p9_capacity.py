"""P9: capacity and regularisation, many penalised runs at once.

Data: the noisy cubic 3x³ - 2.5x + 0.5 (noise 0.3, 40 points on [-1, 1), half for
training), polynomial features of degree 12, standardised. Training: plain SGD at 0.05 from
nn.Linear's seeded start, float64.

1. The regularisation path: 50 λ from 1e-4 to 10 (log-spaced) × 1,000 steps.
   Baseline: 50 sequential runs, `PenalisedStepper(poly, spec).step(1000)`, one per λ.
   Ours: `regularisation_path(poly, spec, strengths, 1000)`: all 50 at once.
   For the lasso (proximal: soft-threshold after each step) and ridge (weight decay).
2. The validation curve against the degree: degrees 1..12 × 1,000 steps.
   Baseline: 12 sequential runs. Ours: `degree_curve(data, spec)`.

Each baseline run takes seconds, so the lasso path is timed in 3 turns (baseline once per
turn, ours 3 times), the rest in 2.

Goals: the path at least 10× faster than the sequential runs, and each batched view under
1 s (the path, which is also the validation curve against λ, and the curve against the
degree).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import torch
from _common import Row, compare, finish, fmt_time  # puts the repo on sys.path

from linreg.curves import sample_curve
from linreg.polyfeatures import polynomial
from linreg.regpath import degree_curve, log_strengths, regularisation_path
from linreg.regularised import PenalisedStepper, RegSpec

torch.set_num_threads(1)

DATA = sample_curve("cubic", 0.3, 40, -1.0, 1.0, 0.5, "shuffled", 0)
POLY = polynomial(DATA, 12)
STRENGTHS = log_strengths(1e-4, 10.0, 50)
STEPS = 1000
GOAL, VIEW_GOAL = 10.0, 1.0


def sequential_path(spec: RegSpec) -> np.ndarray:
    runs = []
    for lam in STRENGTHS:
        stepper = PenalisedStepper(POLY, replace(spec, strength=float(lam)))
        stepper.step(STEPS)
        runs.append(stepper.params)
    return np.array(runs)


def sequential_degrees(spec: RegSpec) -> list[np.ndarray]:
    runs = []
    for degree in range(1, 13):
        stepper = PenalisedStepper(polynomial(DATA, degree), spec)
        stepper.step(STEPS)
        runs.append(stepper.params)
    return runs


def main() -> list[Row]:
    print(__doc__.splitlines()[0])
    rows = []
    for penalty, repeats in (("lasso", 3), ("ridge", 2)):
        spec = RegSpec(penalty, learning_rate=0.05)
        t_ours, t_base = compare(
            lambda s=spec: regularisation_path(POLY, s, STRENGTHS, STEPS),
            lambda s=spec: sequential_path(s),
            repeats=repeats,
            ours_per_turn=3,
        )
        ratio = t_base / t_ours
        met = ratio >= GOAL and t_ours <= VIEW_GOAL
        name = f"P9 {penalty} path 50 λ × 1000, degree 12"
        rows.append(Row(name, t_ours, t_base, f"≥ {GOAL:g}×, ≤ {VIEW_GOAL:g} s", met))
        batched = regularisation_path(POLY, spec, STRENGTHS, STEPS).params
        diff = np.abs(batched - sequential_path(spec)).max()
        print(
            f"  {penalty}: ours {fmt_time(t_ours)}, sequential {fmt_time(t_base)}, "
            f"ratio {ratio:.1f}×; final θ agree to {diff:.1e}"
        )
    spec = RegSpec("none", optimizer="adam", learning_rate=0.05)
    t_ours, t_base = compare(
        lambda: degree_curve(DATA, spec, steps=STEPS), lambda: sequential_degrees(spec), repeats=2
    )
    name = "P9 validation curve against the degree, 12 × 1000"
    rows.append(Row(name, t_ours, t_base, f"≤ {VIEW_GOAL:g} s", t_ours <= VIEW_GOAL))
    curve = degree_curve(DATA, spec, steps=STEPS)
    diff = max(
        np.abs(curve.params[d - 1, :d] - run[:-1]).max()
        for d, run in enumerate(sequential_degrees(spec), start=1)
    )
    print(
        f"  degree curve: ours {fmt_time(t_ours)}, sequential {fmt_time(t_base)}; "
        f"weights agree to {diff:.1e}"
    )
    finish(rows)
    return rows


if __name__ == "__main__":
    main()
