"""The loss per step, overall and per target; and how far the two ways of training are
apart (max |Δθ|) per step."""

from __future__ import annotations

import numpy as np

from linreg.figures.loss_curve import nice_ceiling
from linreg.figures.parity import COLORS, PROJECTOR_COLORS
from linreg.figures.style import CLASSIC, Style, figure, trace


def target_loss_figure(
    steps: np.ndarray,
    overall: np.ndarray,
    per_target: np.ndarray,
    target_names,
    current: int,
    current_loss: float,
    log_y: bool = True,
    style: Style = CLASSIC,
    height: int = 360,
) -> dict:
    """The overall train MSE (thick) and each target's (thin) against the step."""
    colors = PROJECTOR_COLORS if style.font_size > 16 else COLORS
    traces = [
        trace(
            "scatter",
            x=steps,
            y=overall,
            mode="lines",
            name="overall",
            line=dict(color=style.train, width=style.line_width + 1),
        )
    ]
    for j, name in enumerate(target_names):
        traces.append(
            trace(
                "scatter",
                x=steps,
                y=per_target[:, j],
                mode="lines",
                name=str(name),
                line=dict(color=colors[j % len(colors)], width=max(style.line_width - 1, 1)),
            )
        )
    traces.append(
        trace(
            "scatter",
            x=[current],
            y=[current_loss],
            mode="markers",
            name="step shown",
            marker=dict(
                color=style.current,
                size=style.marker_size + 4,
                symbol="circle-open",
                line=dict(width=3),
            ),
        )
    )
    values = np.concatenate([overall, per_target.ravel()])
    values = values[np.isfinite(values)]
    log = log_y and bool((values > 0).any())
    top = nice_ceiling(float(values.max()) if values.size else 1.0)
    # Fixed ranges (whole decades on a log axis): uirevision keeps an autorange from the
    # first draw, and a range that changes only in jumps lets most updates skip a redraw.
    if log:
        positive = values[values > 0]
        low = np.floor(np.log10(positive.min()))
        high = max(np.ceil(np.log10(positive.max())), low + 1)
    yaxis = (
        dict(type="log", title=dict(text="MSE (log scale)"), range=[low, high])
        if log
        else dict(title=dict(text="MSE"), range=[0, top])
    )
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text="Loss, overall and per target", x=0.5, y=0.98),
            yaxis=yaxis,
            xaxis=dict(
                title=dict(text="step"),
                range=[0, nice_ceiling(max(float(steps[-1]) if len(steps) else 0, 10))],
            ),
        ),
    )


def agreement_figure(
    steps: np.ndarray,
    delta: np.ndarray,
    names: tuple[str, str],
    style: Style = CLASSIC,
    height: int = 260,
) -> dict:
    """max |θ_a - θ_b| per step on a log axis from 1e-18 (where exact zeros are drawn: the
    two ways gave bit-identical numbers) up to 1e-2, or higher if the gap is larger."""
    shown = np.maximum(np.asarray(delta, dtype=np.float64), 1e-18)
    finite = shown[np.isfinite(shown)]
    top = max(-2.0, float(np.ceil(np.log10(finite.max())))) if finite.size else -2.0
    return figure(
        [
            trace(
                "scatter",
                x=steps,
                y=shown,
                mode="lines",
                name="max |Δθ|",
                line=dict(color=style.gradient, width=style.line_width),
            )
        ],
        style.layout(
            height=height,
            title=dict(text=f"{names[0]} vs {names[1]}: max |Δθ| per step", x=0.5, y=0.98),
            yaxis=dict(
                type="log",
                title=dict(text="max |Δθ|"),
                exponentformat="power",
                range=[-18, top],
                dtick=4,
            ),
            xaxis=dict(
                title=dict(text="step"),
                range=[0, nice_ceiling(max(float(steps[-1]) if len(steps) else 0, 10))],
            ),
            showlegend=False,
        ),
    )
