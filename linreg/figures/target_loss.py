"""The loss per step, overall and per target; and how far the two ways of training are
apart (max |Δθ|) per step."""

from __future__ import annotations

import numpy as np

from linreg.figures.loss_curve import loss_axis, loss_bounds, step_axis, step_marker
from linreg.figures.parity import target_colors
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
    colors = target_colors(style)
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
    traces.append(step_marker(current, current_loss, style, name="step shown"))
    # Fixed ranges (whole decades on a log axis): uirevision keeps an autorange from the
    # first draw, and a range that changes only in jumps lets most updates skip a redraw.
    log, low, top = loss_bounds(np.concatenate([overall, per_target.ravel()]), log_y)
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text="Loss, overall and per target", x=0.5, y=0.98),
            yaxis=loss_axis(log, low, top, "MSE"),
            xaxis=step_axis(steps[-1] if len(steps) else 0),
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
            xaxis=step_axis(steps[-1] if len(steps) else 0),
            showlegend=False,
        ),
    )
