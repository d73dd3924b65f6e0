"""Helpers shared by the benchmarks: timing, formatting and the result rows.

Importing this module puts the repository root first on sys.path, so `import linreg` works
when a benchmark is run as `python bench/<name>.py`.

Timings are wall-clock (time.perf_counter), after warm-up calls, as the median of several
repeats. The machine may be noisy, so each benchmark times its baseline in the same run and
reports the ratio baseline time / our time; `compare` takes the two in turns so that a burst
of noise hits both alike.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def run_once(fn: Callable[[], object], number: int = 1) -> float:
    """Mean wall time of `number` calls of fn."""
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def median_time(
    fn: Callable[[], object], repeats: int = 5, warmup: int = 1, number: int = 1
) -> float:
    """Median over `repeats` of the mean time of `number` calls, after `warmup` calls."""
    for _ in range(warmup):
        fn()
    return statistics.median(run_once(fn, number) for _ in range(repeats))


def compare(
    ours: Callable[[], object],
    baseline: Callable[[], object],
    repeats: int = 5,
    warmup: int = 1,
    ours_per_turn: int = 1,
) -> tuple[float, float]:
    """Median times (ours, baseline): `repeats` turns, each timing the baseline once and ours
    `ours_per_turn` times (more samples of the quick side when the baseline is slow)."""
    for _ in range(warmup):
        baseline()
        ours()
    t_ours, t_base = [], []
    for _ in range(repeats):
        t_base.append(run_once(baseline))
        t_ours += [run_once(ours) for _ in range(ours_per_turn)]
    return statistics.median(t_ours), statistics.median(t_base)


def fmt_time(seconds: float) -> str:
    """1.23 s, 45.6 ms or 789 µs."""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:,.0f}×" if ratio >= 100 else f"{ratio:.1f}×"


@dataclass
class Row:
    """One line of the summary: our time, the baseline's, the goal and whether it is met."""

    name: str
    ours: float
    baseline: float
    goal: str = "(info)"
    met: bool | None = None  # None: no goal, reported for information
    baseline_note: str = ""  # e.g. "extrapolated"

    def __post_init__(self):  # plain Python numbers (not NumPy's), for JSON
        self.ours, self.baseline = float(self.ours), float(self.baseline)
        self.met = None if self.met is None else bool(self.met)

    @property
    def ratio(self) -> float:
        return self.baseline / self.ours

    def line(self) -> str:
        base = fmt_time(self.baseline) + (f" ({self.baseline_note})" if self.baseline_note else "")
        met = {True: "yes", False: "NO", None: "-"}[self.met]
        return (
            f"  {self.name}: ours {fmt_time(self.ours)}, baseline {base}, "
            f"ratio {fmt_ratio(self.ratio)}; goal {self.goal}: met? {met}"
        )


def finish(rows: list[Row]) -> None:
    """Print the rows; also write them as JSON to $BENCH_ROWS if set (run_all.py does)."""
    print("result:")
    for row in rows:
        print(row.line())
    path = os.environ.get("BENCH_ROWS")
    if path:
        Path(path).write_text(json.dumps([asdict(r) for r in rows]))
