"""P5: the server's side of the live page, measured with Streamlit's AppTest.

- a full rerun of "Fit a line" at the defaults (goal: median ≤ 150 ms);
- a Step click, which reruns only the page's fragment (goal: median ≤ 100 ms);
- a live tick (the per-update work: 4 steps, the charts' specs and their JSON).

Baseline: a bare page with one st.metric, rerun the same way: Streamlit's own floor on this
machine; the printed ratio is bare / ours.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import torch
from _common import ROOT, Row, finish, fmt_time
from streamlit.testing.v1 import AppTest

torch.set_num_threads(1)
REPEATS = 15


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_of(action, repeats: int = REPEATS) -> float:
    return statistics.median(timed(action) for _ in range(repeats))


def main() -> None:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page("pages/1_Fit_a_line.py")
    app.run()
    assert not app.exception, app.exception
    rerun = median_of(app.run)
    step = median_of(lambda: app.button(key="btn.step").click().run())
    assert app.metric[0].value == str(REPEATS), app.metric[0].value
    app.button(key="btn.reset").click().run()
    app.button(key="btn.run").click().run()  # running: each rerun of the panel is one tick
    tick = median_of(lambda: app.button(key="live_tick").click().run())

    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text("import streamlit as st\nst.metric('Step', 1)\n")
        floor_app = AppTest.from_file(str(bare))
        floor_app.run()
        floor = median_of(floor_app.run)
    print(f"  bare Streamlit rerun (floor): {fmt_time(floor)}")
    rows = [
        Row("P5 full rerun at defaults", rerun, floor, "≤ 150 ms", rerun <= 0.150),
        Row("P5 Step click (fragment rerun)", step, floor, "≤ 100 ms", step <= 0.100),
        Row("P5 live tick (4 steps + charts)", tick, floor, "(info)", None),
    ]
    print("  (ratio = bare rerun / ours: 0.1× means one of ours costs about ten bare reruns)")
    finish(rows)


if __name__ == "__main__":
    main()
