"""The live page's panels: run controls, timeline, numbers, the four linked views, the rule."""

from __future__ import annotations

import numpy as np
import streamlit as st

from linreg import optimizers, scene, schedules
from linreg.figures import STYLES, contour_figure, describe, fit_figure, loss_figure, surface_figure
from linreg.figures.contour import STATIC, backdrop
from linreg.figures.replay import replay_figure
from linreg.figures.rule import RULES, filled
from linreg.figures.style import trace
from linreg.settings import LOSS_LABELS
from linreg.ui import live
from linreg.ui.controls import badge, buttons, shown_step
from linreg.ui.plot import live_chart


def controls(run: live.Run) -> None:
    """Step, Step ×k, Run/Pause and Reset, the speed, the run's state, and the charts' text."""
    s = run.stepper
    shown = s.steps if run.follow else min(st.session_state.get("timeline", s.steps), s.steps)
    fr = scene.frame(s.history, shown)
    text = describe.fit_views(
        fr.step, *fr.params, fr.train_loss, fr.test_loss, len(s.data.x_train), len(s.data.x_test)
    )
    buttons(
        "btn",
        run.step,
        run.toggle,
        run.reset,
        running=run.running,
        stopped=s.diverged_at is not None,
        k=run.config.steps_per_click,
        badge=badge(s.steps, run.running, s.diverged_at, s.converged_at),
        presenting=run.config.presenter,
        speed=(run.TABLE, run.config.speed),
        describe=text,
    )


def timeline(run: live.Run) -> int:
    """The step on show."""
    return shown_step(run, run.stepper.steps, "timeline")


def short(value: float, form: str = "{:.4g}") -> str:
    """A number that fits a metric on a projector: big and tiny ones as 1.3e4."""
    if not np.isfinite(value):
        return "—"
    if value != 0 and not 1e-4 <= abs(value) < 1e4:
        mantissa, exponent = f"{value:.2e}".split("e")
        return f"{float(mantissa):.3g}e{int(exponent)}"
    return form.format(value)


def metrics(run: live.Run, fr: scene.Frame) -> None:
    """The live numbers for the step on show (the distance to the minimum of the loss in
    force at that step)."""
    land = run.land_at(fr.step)
    gap = float(np.linalg.norm(fr.params - land.minimum))
    cells = [
        ("Step", f"{fr.step}"),
        ("Weight", short(fr.params[0], "{:.4f}")),
        ("Bias", short(fr.params[1], "{:.4f}")),
        ("Train loss", short(fr.train_loss)),
        ("Test loss", short(fr.test_loss)),
        ("‖∇L‖", short(float(np.linalg.norm(fr.grad)), "{:.3g}")),
        ("To minimum", short(gap, "{:.3g}")),
    ]
    for col, (label, value) in zip(st.columns(len(cells)), cells, strict=True):
        col.metric(label, value)


def charts(run: live.Run, fr: scene.Frame) -> None:
    """Data and fit, loss curve, 3-D surface and contour, all at the same step."""
    # View settings are the page's; the loss and its surface are those of the step on show.
    c, data, h = run.config, run.stepper.data, run.stepper.history
    at = run.settings_at(fr.step)
    land = run.land_at(fr.step)
    s = STYLES["projector" if c.presenter else "classic"]
    truth = None if run.own is not None else (c.true_weight, c.true_bias)
    field = scene.gradient_field(data, land, at.loss, at.huber_delta) if c.show_field else None
    others = {LOSS_LABELS[k]: p for k, p in land.minima.items() if k != at.loss}
    rev = hash((run.land_key(at), c.presenter)) & 0xFFFFFFF
    revision = {uid: rev for uid in ("loss-surface", *STATIC)}
    if run.backdrop_key != rev:
        run.backdrop = backdrop(land.weights, land.biases, land.loss, LOSS_LABELS[at.loss], s)
        run.backdrop_key = rev

    def fit(f: scene.Frame) -> dict:
        return fit_figure(
            data.x_train,
            data.y_train,
            data.x_test,
            data.y_test,
            *f.params,
            truth if c.show_truth else None,
            c.show_residuals,
            s,
            x_title=data.feature_names[0] if run.own is not None else "x",
            y_title=data.target_names[0] if run.own is not None else "y",
        )

    def contour(f: scene.Frame) -> dict:
        return contour_figure(
            land.weights,
            land.biases,
            run.backdrop,
            f.path,
            f.params,
            f.grad,
            f.taken,
            h.params[f.taken_from],
            field,
            land.start,
            truth,
            land.minimum,
            LOSS_LABELS[at.loss],
            s,
            other_minima=others,
        )

    # While running, the steps since the last redraw are sent along and played in between.
    since = run.drawn if run.running and run.drawn < fr.step else fr.step
    gap = np.arange(since + 1, fr.step)
    between = (
        [scene.frame(h, t) for t in gap[np.linspace(0, len(gap) - 1, 12).astype(int)]]
        if len(gap) > 12
        else [scene.frame(h, t) for t in gap]
    )
    run.drawn = fr.step
    frame_ms = int(1000 * run.tick_gap / (len(between) + 1))
    left, right = st.columns(2)
    with left:
        live_chart(
            fit(fr),
            key="chart.fit",
            height=380,
            between=[fit(f) for f in between],
            frame_ms=frame_ms,
        )
    with right:
        stopped_at = run.stepper.diverged_at or run.stepper.converged_at
        log = c.log_loss or run.stepper.diverged_at is not None
        marks = change_marks(run)
        spec = loss_figure(
            h.steps, h.train_loss, h.test_loss, fr.step, log, stopped_at, s, 380, changes=marks
        )
        if scheduled(run):
            # marked at the rate of the step shown (the one the rule below writes out)
            rate = h.learning_rate[fr.taken_from]
            spec = with_rates(spec, h.steps, h.learning_rate, fr.step, rate, s)
        live_chart(spec, key="chart.loss", height=380)
    left, right = st.columns(2) if c.show_surface else (None, st.container())
    if left is not None:
        with left:
            # Every other grid line: half the triangles for WebGL, the same shape to the eye.
            spec = surface_figure(
                land.weights[::2],
                land.biases[::2],
                land.loss[::2, ::2],
                fr.path,
                fr.path_loss,
                fr.params,
                fr.train_loss,
                land.minimum,
                land.minimum_loss,
                s,
            )
            spec["data"][0]["uid"] = "loss-surface"
            live_chart(spec, key="chart.surface", revisions=revision, height=430)
    with right:
        live_chart(
            contour(fr),
            key="chart.contour",
            revisions=revision,
            height=430,
            between=[contour(f) for f in between],
            frame_ms=frame_ms,
        )


def scheduled(run: live.Run) -> bool:
    """Whether any stretch of the run had a learning-rate schedule (then the rate is drawn)."""
    return any(g.spec.schedule != "constant" for g in run.stepper.segments)


def with_rates(spec: dict, steps, rates, current: int, current_rate: float, style) -> dict:
    """The loss figure with a strip underneath, on the same step axis: the learning rate of
    each step, held from row t to row t + 1 (`rates[t]` is the rate of the step from θ_t),
    so a drop, a decay or a warm-up lines up with what it does to the loss. The step on
    show, `current`, is marked at its rate `current_rate`."""
    steps, rates = np.asarray(steps), np.asarray(rates, dtype=np.float64)
    finite = rates[np.isfinite(rates)]
    top = float(finite.max()) * 1.15 if finite.size and finite.max() > 0 else 1.0
    line = dict(color=style.step, width=style.line_width, shape="hv")
    spec["data"] += [
        trace("scatter", x=steps, y=rates, mode="lines", name="Learning rate η", line=line,
              yaxis="y2", hovertemplate="step %{x}<br>η = %{y:.4g}<extra></extra>"),
        trace("scatter", x=[current], y=[current_rate], mode="markers", yaxis="y2",
              name=f"η at step {current}: {current_rate:.3g}", showlegend=False,
              marker=dict(color=style.current, size=style.marker_size)),
    ]  # fmt: skip
    layout = spec["layout"]
    layout["yaxis"] = {**layout.get("yaxis", {}), "domain": [0.36, 1.0]}
    layout["xaxis"] = {**layout.get("xaxis", {}), "anchor": "y2"}
    layout["yaxis2"] = dict(
        domain=[0.0, 0.24], anchor="x", range=[0, top], nticks=3, title=dict(text="rate η")
    )
    layout["title"] = {**layout.get("title", {}), "text": "Loss and learning rate"}
    return spec


def change_marks(run: live.Run) -> list[tuple[int, str, tuple[float, float] | None]]:
    """The loss curve's marks: each mid-run change, its label and the losses before it."""
    segments = {g.start: g.before for g in run.stepper.segments}
    return [(at, label, segments.get(at)) for at, label in run.change_marks()]


def rule(run: live.Run, fr: scene.Frame) -> None:
    """The update rule of the step on show (its own optimizer and rate), with its numbers."""
    h = run.stepper.history
    t = fr.taken_from
    c = run.settings_at(t)
    st.latex(RULES[c.optimizer] + r",\qquad g_t = \nabla_\theta L(\theta_t)")
    if run.running:
        st.caption("This step's numbers show when the run is paused.")
        return
    if fr.taken is None:
        st.caption("The numbers of a step appear here once one has been taken.")
        return
    full = c.batch_size <= 0 or c.batch_size >= len(run.stepper.data.x_train)
    rate = float(h.learning_rate[t])  # the rate in force at this step (its schedule's)
    st.caption(f"Step {t} → {t + 1}, taken with {step_settings(c, rate)}:")
    for line in filled(
        c.optimizer, ["weight", "bias"], h.params[t], h.grad[t], fr.taken, rate, full
    ):
        st.latex(line)
    if not full:
        st.caption(
            f"g is the full-batch gradient; this step used a mini-batch of "
            f"{c.batch_size} points, so the step taken differs from −η·g."
        )


def step_settings(c, rate: float | None = None) -> str:
    """The settings a step was taken with, in words: optimizer, rate, its knobs, loss, and
    with a schedule, the rate it set for this step."""
    delta = f" (δ = {c.huber_delta:g})" if c.loss == "huber" else ""
    words = f"{optimizers.describe(c)}, {LOSS_LABELS[c.loss]} loss{delta}"
    if c.schedule != "constant" and rate is not None:
        words = words.replace("η = ", "base rate η₀ = ", 1)
        words += f"; {schedules.LABELS[c.schedule]} set this step's rate to η = {rate:.4g}"
    return words


def replay_spec(run: live.Run) -> dict:
    """The recorded run as an animated figure (for the page and for the HTML export)."""
    h, data, land = run.stepper.history, run.stepper.data, run.land
    return replay_figure(
        data.x_train,
        data.y_train,
        data.x_test,
        data.y_test,
        h.steps,
        h.params,
        h.train_loss,
        land.weights,
        land.biases,
        land.loss,
    )


def replay(run: live.Run) -> None:
    """The recorded run as Plotly frames, played by the browser at 30 fps."""
    if len(run.stepper.history) < 2:
        st.caption("Take a few steps first: the replay plays the recorded history.")
        return
    live_chart(replay_spec(run), key="chart.replay", height=440)
