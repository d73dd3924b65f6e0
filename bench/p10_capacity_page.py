"""P10: the server's side of the Capacity and regularisation page, measured with AppTest.

- a full rerun of the page at its defaults (goal: median ≤ 150 ms), after the first run
  has computed views 5 and 6 (they are kept until what they depend on changes);
- a Step click, which reruns only the page's fragment (views 1-4, the numbers).

Baseline: a bare page with one st.metric, rerun the same way in the same process: Streamlit's
own floor on this machine; the printed ratio is bare / ours.
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
PAGE = "pages/5_Capacity.py"


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_of(action, repeats: int = REPEATS) -> float:
    return statistics.median(timed(action) for _ in range(repeats))


def main() -> list[Row]:
    print(__doc__.splitlines()[0])
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page(PAGE)
    app.run()
    assert not app.exception, app.exception
    app.run()  # warm: the page's modules and views 5 and 6 are ready
    rerun = median_of(app.run)
    step = median_of(lambda: app.button(key="capacity.btn.step").click().run())
    assert app.metric[0].value == str(REPEATS), app.metric[0].value

    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text("import streamlit as st\nst.metric('Step', 1)\n")
        floor_app = AppTest.from_file(str(bare))
        floor_app.run()
        floor = median_of(floor_app.run)
    print(f"  bare Streamlit rerun (floor): {fmt_time(floor)}")
    print(f"  full rerun at defaults: {fmt_time(rerun)} (ratio bare/ours {floor / rerun:.2f})")
    print(f"  Step click (fragment): {fmt_time(step)} (ratio bare/ours {floor / step:.2f})")
    rows = [
        Row("P10 capacity: full rerun at defaults", rerun, floor, "≤ 150 ms", rerun <= 0.150),
        Row("P10 capacity: Step click (fragment rerun)", step, floor, "(info)", None),
    ]
    print("  (ratio = bare rerun / ours: 0.1× means one of ours costs about ten bare reruns)")
    finish(rows)
    return rows


if __name__ == "__main__":
    main()
