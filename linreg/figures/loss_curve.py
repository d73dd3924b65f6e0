"""Loss curve: train and test loss per step, with the step on show marked."""

from __future__ import annotations

import numpy as np

from linreg.figures.style import CLASSIC, Style, figure, point, trace


def loss_figure(
    steps,
    train_loss,
    test_loss,
    current: int,
    log_y: bool = False,
    stopped_at: int | None = None,
    style: Style = CLASSIC,
    height: int = 340,
    changes=(),
) -> dict:
    """Both losses against the step; log_y for a log axis (positive losses only).

    `changes` lists the mid-run settings changes as (step, label, (train, test) before):
    each gets a labelled vertical line, and each line of the curve ends a segment at the
    loss its old settings gave at that step, then starts again at the new settings' loss
    (the same parameters, scored another way), so no jump is drawn that never happened."""
    steps = np.asarray(steps)
    train = np.asarray(train_loss, dtype=np.float64)
    test = np.asarray(test_loss, dtype=np.float64)
    line_x, line_train, line_test = broken(steps, train, test, changes)
    traces = [
        trace(
            "scatter",
            x=line_x,
            y=line_train,
            mode="lines",
            name="Train loss",
            line=dict(color=style.train, width=style.line_width),
        )
    ]
    if np.isfinite(test).any():
        traces.append(
            trace(
                "scatter",
                x=line_x,
                y=line_test,
                mode="lines",
                name="Test loss",
                line=dict(color=style.test, width=style.line_width),
            )
        )
    i = int(np.clip(current, 0, len(steps) - 1))
    log, low, top = loss_bounds(np.concatenate([train, test]), log_y)
    # The step marker is a trace and the axes move in nice jumps, so that most updates
    # change only trace data: the browser can then move the traces without a redraw.
    traces.append(step_line(steps[i], low, top, style.current))
    traces.append(step_marker(steps[i], train[i], style))
    shapes = [] if stopped_at is None else [vline(float(stopped_at), style.minimum, 2, "dash")]
    shapes += [vline(float(at), style.change, 1.5, "dashdot") for at, _, _ in changes]
    notes = [
        dict(
            x=float(at),
            y=1 - 0.08 * (i % 3),
            yref="paper",
            text=label,
            showarrow=False,
            xanchor="left",
            font=dict(size=style.font_size - 2, color=style.change),
            bgcolor="rgba(255,255,255,0.8)",
        )
        for i, (at, label, _) in enumerate(changes)
    ]
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text="Loss", x=0.5, y=0.98),
            shapes=shapes,
            annotations=notes,
            yaxis=loss_axis(log, low, top, "loss"),
            xaxis=step_axis(steps[-1]),
        ),
    )


def broken(steps, train, test, changes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The curves' points with, at each change that has a `before`, the old settings' value
    ending the segment and a gap (NaN) before the new settings' value starts the next."""
    x, a, b = [steps], [train], [test]
    for at, _, before in sorted(changes, key=lambda c: -c[0]):
        if before is None or not 0 < at < len(steps):
            continue
        cut = int(at)
        head = [part[:cut] for part in (x[0], a[0], b[0])]
        tail = [part[cut:] for part in (x[0], a[0], b[0])]
        x = [np.concatenate([head[0], [at, at], tail[0]])]
        a = [np.concatenate([head[1], [before[0], np.nan], tail[1]])]
        b = [np.concatenate([head[2], [before[1], np.nan], tail[2]])]
    return x[0], a[0], b[0]


def loss_bounds(values, log_y: bool) -> tuple[bool, float, float]:
    """(log, low, top) for an axis that holds every finite value: log only if asked and
    some value is positive, low the smallest positive value (0 on a linear axis), top the
    nice ceiling of the largest."""
    values = np.asarray(values, dtype=np.float64).ravel()
    values = values[np.isfinite(values)]
    log = log_y and bool((values > 0).any())
    low = float(values[values > 0].min()) if log else 0.0
    top = nice_ceiling(float(values.max()) if values.size else 1.0)
    return log, low, top


def decades(low: float, top: float) -> list[float]:
    """A log axis's range in whole decades around [low, top], one decade at least.

    Whole decades: the range changes rarely, and it is explicit, because a redraw-free
    update in the browser never recomputes an autorange."""
    bottom = float(np.floor(np.log10(low)))
    return [bottom, max(float(np.ceil(np.log10(top))), bottom + 1)]


def loss_axis(log: bool, low: float, top: float, title: str) -> dict:
    """A loss axis from `loss_bounds`: whole decades on a log axis, else 0 to top."""
    if log:
        return dict(type="log", title=dict(text=f"{title} (log scale)"), range=decades(low, top))
    return dict(title=dict(text=title), range=[0, top])


def step_axis(last_step: float) -> dict:
    """The step axis: 0 to a nice ceiling of the last step (10 at least)."""
    return dict(title=dict(text="step"), range=[0, nice_ceiling(max(float(last_step), 10))])


def step_line(step: float, low: float, top: float, color: str) -> dict:
    """A dotted vertical line at the step on show, from low to top (a trace, not a shape,
    so that moving it needs no redraw)."""
    return trace(
        "scatter",
        x=[step, step],
        y=[low, top],
        mode="lines",
        name="Step shown",
        showlegend=False,
        hoverinfo="skip",
        line=dict(color=color, width=1, dash="dot"),
    )


def step_marker(step: float, loss: float, style: Style, name: str = "Step shown") -> dict:
    """A hollow ring on a loss curve at the step on show."""
    ring = dict(
        color=style.current, size=style.marker_size + 4, symbol="circle-open", line=dict(width=3)
    )
    return point((step, loss), name, ring)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is at least value (and positive)."""
    if not np.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= value * (1 - 1e-12):
            return float(m * power)
    return float(10 * power)


def vline(
    x: float, color: str, width: float, dash: str, xref: str | None = None, yref: str = "paper"
) -> dict:
    """A vertical line at x across the whole plot (or, with yref "y2 domain", across the
    panel of axis y2)."""
    where = {} if xref is None else {"xref": xref}
    return dict(
        type="line",
        x0=x,
        x1=x,
        y0=0,
        y1=1,
        yref=yref,
        line=dict(color=color, width=width, dash=dash),
        **where,
    )
