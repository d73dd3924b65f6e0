"""Predicted against actual, one colour per target: a perfect model puts every point on
the diagonal."""

from __future__ import annotations

import numpy as np

from linreg.figures.loss_curve import nice_ceiling
from linreg.figures.style import CLASSIC, Style, figure, trace

COLORS = ("#d62728", "#ff8c00", "#1f4fd6")  # apples red, oranges orange, a third blue
PROJECTOR_COLORS = ("#D55E00", "#E69F00", "#0072B2")


def parity_range(*arrays) -> list[float]:
    """A fixed square range that holds every finite value given, in round numbers."""
    values = np.concatenate([np.ravel(a) for a in arrays])
    values = values[np.isfinite(values)]
    if not values.size:
        return [0.0, 1.0]
    low, high = float(values.min()), float(values.max())
    pad = 0.05 * max(high - low, 1e-9)
    top = nice_ceiling(high + pad) if high + pad > 0 else -nice_ceiling(-(high + pad)) / 2
    bottom = -nice_ceiling(-(low - pad)) if low - pad < 0 else 0.0
    return [bottom, top]


def target_colors(style: Style) -> tuple[str, ...]:
    """One colour per target, in the style's look."""
    return PROJECTOR_COLORS if style.font_size > 16 else COLORS


def diagonal(axis_range: list[float], style: Style) -> dict:
    """The dashed line predicted = actual, where a perfect model puts every point."""
    lo, hi = axis_range
    return trace(
        "scatter",
        x=[lo, hi],
        y=[lo, hi],
        mode="lines",
        name="perfect",
        hoverinfo="skip",
        line=dict(color=style.truth, width=1, dash="dash"),
    )


def target_points(
    actual: np.ndarray, predicted: np.ndarray, target_names, axis_range: list[float], style: Style
) -> list[dict]:
    """Predicted (n, k) against actual (n, k), one trace per target; a prediction far off
    the range is drawn at one range's width beyond it."""
    colors = target_colors(style)
    lo, hi = axis_range
    return [
        trace(
            "scatter",
            x=actual[:, j],
            y=np.clip(predicted[:, j], lo - (hi - lo), hi + (hi - lo)),
            mode="markers",
            name=str(name),
            marker=dict(color=colors[j % len(colors)], size=style.marker_size + 3),
            hovertemplate=f"actual %{{x:.4g}}<br>predicted %{{y:.4g}}<extra>{name}</extra>",
        )
        for j, name in enumerate(target_names)
    ]


def parity_figure(
    actual: np.ndarray,
    predicted: np.ndarray,
    target_names,
    axis_range: list[float],
    style: Style = CLASSIC,
    height: int = 360,
) -> dict:
    """Scatter of predicted (y axis) against actual (x axis) for each target."""
    traces = [diagonal(axis_range, style)] + target_points(
        actual, predicted, target_names, axis_range, style
    )
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text="Predicted vs actual", x=0.5, y=0.98),
            xaxis=dict(title=dict(text="actual"), range=axis_range),
            yaxis=dict(title=dict(text="predicted"), range=axis_range),
        ),
    )
