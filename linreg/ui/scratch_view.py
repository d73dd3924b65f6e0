"""The From scratch page's panels: controls, the three programs' agreement per step, the
code walk-through, the run on the contour, the long runs and the float32 stall."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from linreg import precision
from linreg.figures.scratch_figures import long_run_figure, path_figure
from linreg.figures.style import CLASSIC
from linreg.scratch_code import LINES, WAY_LABELS, marked, source
from linreg.scratch_steps import disagreement, walk
from linreg.settings.scratch import STAGES
from linreg.ui import scratch_state as state
from linreg.ui import widgets
from linreg.ui.controls import buttons, shown_step
from linreg.ui.plot import live_chart

TUTORIAL = {"float64": (10.00000008, 19.99999994), "float32": (10.0429, 19.9661)}
DIGITS = {"float64": 8, "float32": 4}


def widget(name: str, **kw):
    return widgets.widget(name, table=state.TABLE, **kw)


def sync_view(run: state.Session) -> None:
    """The view settings drawn inside the fragment, read when only the fragment reruns."""
    values = {n: st.session_state[widgets.key(n, state.TABLE)] for n in ("way", "stage")}
    config, _ = state.TABLE.from_mapping(values, run.config)
    run.config = config


def controls(run: state.Session) -> None:
    steps = run.ways.steps
    label = (
        ":blue-badge[Running]"
        if run.running
        else (":gray-badge[Paused]" if steps else ":gray-badge[Ready]")
    )
    buttons(
        "scratch.btn",
        run.step,
        run.toggle,
        run.reset,
        running=run.running,
        stopped=False,
        k=run.config.steps_per_click,
        badge=f"{label} epoch {steps:,} · {run.config.dtype}",
        speed=(run.TABLE, run.config.speed),
    )


def timeline(run: state.Session) -> int:
    """The epoch on show."""
    return shown_step(
        run, run.ways.steps, "scratch.timeline", "Epoch 0 of 0: press Step or Run.", "Epoch shown"
    )


def _g(v: float, digits: int = 10) -> str:
    return f"{v:.{digits}g}"


def agreement(run: state.Session, t: int) -> None:
    """w and the gradient of each program at epoch t, and how far apart they are."""
    ways = run.ways
    rows = []
    for way, (w, g) in ways.at(t).items():
        rows.append(
            {
                "Program": WAY_LABELS[way],
                "w₁": _g(w[0]),
                "w₂": _g(w[1]),
                "∂MSE/∂w₁": _g(g[0]),
                "∂MSE/∂w₂": _g(g[1]),
                "MSE": _g(ways.loss(way)[t], 8),
            }
        )
    dw, dg = disagreement(ways, t)
    rows.append(
        {
            "Program": "max |Δ| between them",
            "w₁": f"{dw:.2g}",
            "w₂": "",
            "∂MSE/∂w₁": f"{dg:.2g}",
            "∂MSE/∂w₂": "",
            "MSE": "",
        }
    )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="scratch.table")
    eps = float(np.finfo(run.config.dtype).eps)
    st.caption(
        f"Notice: three different programs, one set of numbers. At epoch {t:,} they differ by "
        f"at most {dw:.2g} in w and {dg:.2g} in the gradient — rounding noise "
        f"({run.config.dtype}'s machine ε is {eps:.2g}), not a different algorithm."
    )


def derivation() -> None:
    st.latex(
        r"\mathrm{MSE}(w) = \frac{1}{n}\sum_{i=1}^{n}\left(y_i - x_i\cdot w\right)^2"
        r"= \frac{1}{n}\,\lVert y - Xw\rVert^2"
    )
    st.latex(
        r"\frac{\partial\,\mathrm{MSE}}{\partial w_j} = -\frac{2}{n}\sum_{i=1}^{n}"
        r"x_{ij}\left(y_i - x_i\cdot w\right)\quad\Longrightarrow\quad"
        r"\frac{\partial\,\mathrm{MSE}}{\partial w} = -\frac{2}{n}\,X^\top(y - Xw)"
    )
    st.latex(r"w \leftarrow w - \eta\,\frac{\partial\,\mathrm{MSE}}{\partial w}")
    st.caption(
        "Notice: NumPy needs this derivative written by hand; torch's autograd "
        "computes the very same vector from the loss alone."
    )


def _array(v: np.ndarray) -> str:
    return np.array2string(
        np.asarray(v), precision=9, floatmode="maxprec", separator=", ", max_line_width=60
    )


def _line(run: state.Session, t: int, move: int) -> None:
    """Walk the loop body line by line; past its last line, on to the next epoch (taking
    a step if it is the newest), and before its first, back to the previous epoch."""
    key = widgets.key("stage", state.TABLE)
    index = STAGES.index(st.session_state[key]) + move
    if 0 <= index < len(STAGES):
        st.session_state[key] = STAGES[index]
        return
    epoch = t + move
    if epoch < 0:
        return
    st.session_state[key] = STAGES[index % len(STAGES)]
    if epoch > run.ways.steps:
        run.step(1)
    else:
        st.session_state["scratch.timeline"] = epoch
        run.follow = False


def code_walk(run: state.Session, t: int) -> None:
    """One program's code, a line pointed at, and every intermediate value at epoch t."""
    c = run.config
    left, right = st.columns([3, 2])
    with left:
        widget("way")
        pick, back, forth = st.columns([3, 1, 1], vertical_alignment="bottom")
        with pick:
            widget("stage")
        back.button(
            "◀ Line",
            key="scratch.line_prev",
            on_click=_line,
            args=(run, t, -1),
            disabled=run.running,
            width="stretch",
            help="The previous line (from the first line: the previous epoch).",
        )
        forth.button(
            "Line ▶",
            key="scratch.line_next",
            on_click=_line,
            args=(run, t, 1),
            disabled=run.running,
            width="stretch",
            help="The next line (after the update: the next epoch).",
        )
        index = STAGES.index(c.stage)
        stage = LINES[c.way][index][0]
        code = source(c.way, c.start, c.learning_rate, c.dtype, max(run.ways.steps, 1))
        st.code(marked(code, c.way, stage), language="python", line_numbers=True)
    with right:
        w = run.ways.params(c.way)[t]
        st.markdown(f"**Epoch {t:,} → {t + 1:,}**, the values this program computes:")
        for i, (name, expr, value) in enumerate(walk(c.way, w, c.learning_rate, c.dtype)):
            pointer = " ◀" if i == index + 1 else ""
            st.markdown(f"`{name}` = `{expr}`{pointer}")
            st.code(_array(value), language=None)
    st.caption(
        "Notice: the gradient is X's columns weighted by the errors; the update is it "
        "times the learning rate, which is why w creeps while the errors are small."
    )


def path_chart(run: state.Session, t: int) -> None:
    paths = {f"{run.config.dtype} run": run.ways.params("numpy")[: max(t, 1) + 1]}
    spec = path_figure(paths, run.ways.params("numpy")[t])
    # No `revisions` here: a contour reused from the browser's cache went blank after an
    # in-place update (seen in Chromium); re-sending this 90×90 grid is cheap.
    live_chart(spec, key="scratch.chart.path", height=420)
    st.caption(
        "Notice: the first epochs drop straight into the valley; after that the path "
        "crawls along its flat floor towards the star, the true w = [10, 20]."
    )


def long_run(run: state.Session) -> None:
    """All the epochs: float64 by the fast path, float32 epoch by epoch to its fixed point."""
    c = run.config
    steps64, w64 = state.long_run64(c.start, c.learning_rate, c.epochs)
    res32 = state.long_run32(c.start, c.learning_rate, c.epochs)
    shown = {"float64": w64[-1], "float32": res32.weights}
    cols = st.columns(2)
    for col, dtype in zip(cols, ("float64", "float32"), strict=True):
        here = " (the precision selected)" if dtype == c.dtype else ""
        w, d = shown[dtype], DIGITS[dtype]
        col.metric(f"w after {c.epochs:,} epochs, {dtype}{here}", f"[{w[0]:.{d}f}, {w[1]:.{d}f}]")
    seed_note = ""
    if (c.start, c.learning_rate, c.epochs) == ((0.1, 0.1), 1e-4, 1_000_000):
        t64, t32 = TUTORIAL["float64"], TUTORIAL["float32"]
        seed_note = (
            f" The tutorial printed [{t64[0]}, {t64[1]}] (NumPy, float64) and "
            f"[{t32[0]}, {t32[1]}] (torch, float32)."
        )
    frozen = res32.frozen_from
    how = (
        f"float32 stood still from epoch {frozen:,}: that epoch left w unchanged bit for "
        f"bit, so every later epoch repeats it, and the page stopped computing there."
        if frozen is not None
        else f"float32 diverged by epoch {res32.epochs_run:,} (the rate is too large)."
        if res32.diverged
        else f"float32 was still moving after {res32.epochs_run:,} epochs (no fixed point yet)."
    )
    st.caption(
        f"float64: {c.epochs:,} epochs through the matrix-power fast path "
        f"(w_t = Mᵗ w₀, float64). {how}{seed_note}"
    )
    steps = precision.log_steps(c.epochs)
    runs = {"float32": res32.at(steps), "float64": w64}  # float64 on top
    live_chart(long_run_figure(steps, runs, frozen), key="scratch.chart.long", height=400)
    st.caption(
        "Notice (right): float64 keeps closing in on [10, 20]; float32's distance "
        "flattens into a floor at the epoch it freezes."
    )
    spec = path_figure({"float64 path": w64, "float32 path": runs["float32"]}, None, CLASSIC)
    live_chart(spec, key="scratch.chart.longpath", height=420)
    st.caption("Notice: both paths share the valley; float32 stops short of the star.")
    if frozen is not None:
        stall_table(res32.weights, c.learning_rate)


def stall_table(weights: np.ndarray, learning_rate: float) -> None:
    s = precision.stall(weights, learning_rate)
    rows = []
    for k in range(2):
        rows.append(
            {
                "": f"w{'₁₂'[k]}",
                "w (float32)": f"{s.weights[k]:.9g}",
                "gradient (float32)": f"{s.gradient32[k]:.4g}",
                "lr · gradient": f"{s.update32[k]:.4g}",
                "float32 spacing at w": f"{s.spacing[k]:.4g}",
                "w − lr·gradient": f"{s.new_weights[k]:.9g}",
                "rounds back to w?": "yes" if s.rounds_away[k] else "no",
            }
        )
    st.markdown(
        "**Why float32 stalls**: at the frozen point, each update next to the gap "
        "between neighbouring float32 numbers, `np.spacing(np.float32(w))`:"
    )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="scratch.stall")
    st.caption(
        f"Notice: the gradient is not zero (exactly it is [{s.gradient64[0]:.3g}, "
        f"{s.gradient64[1]:.3g}]), but lr·gradient is at most half a float32 spacing, so "
        "w − lr·gradient rounds back to w (an exact half goes to the even neighbour). "
        "float64's spacing near 10 is 1.8e-15: its updates still land."
    )
