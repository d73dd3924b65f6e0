"""Run every benchmark, each in a fresh Python process, and print a summary table.

    python bench/run_all.py            # all of them (about two minutes)
    python bench/run_all.py p2 p4      # only those whose file name starts so

Each benchmark prints its own report; the table at the end gathers their result rows: our
time, the baseline's (measured in the same run), the ratio baseline / ours, the goal and
whether this run met it. Timings are not pass/fail: the exit status is 0 whenever every
benchmark ran.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import Row, fmt_ratio, fmt_time

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["p1_seed000", "p2_seed002", "p3_sweep", "p4_surface", "p5_server"]


def run(name: str) -> list[Row]:
    """Run bench/<name>.py in its own process (so cold timings are cold); its rows."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rows.json"
        env = {**os.environ, "BENCH_ROWS": str(out)}
        subprocess.run([sys.executable, str(HERE / f"{name}.py")], env=env, check=True)
        return [Row(**row) for row in json.loads(out.read_text())]


def table(rows: list[Row]) -> str:
    head = ["benchmark", "ours", "baseline", "ratio", "goal", "met?"]
    body = [
        [
            r.name,
            fmt_time(r.ours),
            fmt_time(r.baseline) + (" *" if r.baseline_note else ""),
            fmt_ratio(r.ratio),
            r.goal,
            {True: "yes", False: "NO", None: "-"}[r.met],
        ]
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    lines = [
        " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True))
        for line in [head, *body]
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    chosen = [
        b for b in BENCHMARKS if not sys.argv[1:] or any(b.startswith(a) for a in sys.argv[1:])
    ]
    rows: list[Row] = []
    for name in chosen:
        print(f"\n=== {name} ===", flush=True)
        rows += run(name)
    print(
        "\nSummary (ratio = baseline time / our time; * = baseline extrapolated or "
        "run once, see above)\n"
    )
    print(table(rows))
    goals = [r.met for r in rows if r.met is not None]
    print(f"\ngoals met: {sum(goals)} of {len(goals)}")


if __name__ == "__main__":
    main()
