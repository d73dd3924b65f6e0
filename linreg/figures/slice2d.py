"""A 2-D slice of the loss through two chosen parameters, with the path projected on it.

The contour shows log₁₀ of the loss, so a valley whose walls differ by factors of a
thousand (raw crop data) still shows its shape."""

from __future__ import annotations

import numpy as np

from linreg.figures.contour import path_line
from linreg.figures.style import CLASSIC, Style, figure, point, trace


def slice_figure(
    s_values: np.ndarray,
    t_values: np.ndarray,
    grid: np.ndarray,
    path: np.ndarray,
    current: np.ndarray,
    optimum: np.ndarray,
    names: tuple[str, str],
    style: Style = CLASSIC,
    height: int = 400,
    uid: str = "slice",
    title: str = "Loss slice",
) -> dict:
    """Contour of log₁₀ loss over (s, t) = (parameter i, parameter j), the path (m, 2), the
    point on show (`current`) and the optimum."""
    floor = max(float(np.nanmin(grid[grid > 0])) if (grid > 0).any() else 1e-12, 1e-12)
    z = np.log10(np.maximum(grid, floor))
    now = dict(color=style.current, size=style.marker_size + 5, line=dict(width=2, color="white"))
    cross = dict(color=style.minimum, size=style.marker_size + 8, symbol="x")
    traces = [
        trace(
            "contour",
            x=s_values,
            y=t_values,
            z=z,
            uid=uid,
            colorscale=style.colorscale,
            ncontours=24,
            contours=dict(coloring="heatmap", showlines=True),
            line=dict(width=0.5, color="rgba(255,255,255,0.5)"),
            colorbar=dict(title=dict(text="log₁₀ loss", side="right"), thickness=12),
            hovertemplate=f"{names[0]} %{{x:.4g}}<br>{names[1]} %{{y:.4g}}<br>"
            "log₁₀ loss %{z:.3f}<extra></extra>",
        ),
        path_line(path, "path", style),
        point(current, "step shown", now),
        point(optimum, "optimum", cross),
    ]
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text=title, x=0.5, y=0.98),
            xaxis=dict(title=dict(text=names[0]), range=[s_values[0], s_values[-1]]),
            yaxis=dict(title=dict(text=names[1]), range=[t_values[0], t_values[-1]]),
        ),
    )


def slice_frame(path: np.ndarray, optimum: np.ndarray, pad: float = 0.15) -> tuple:
    """Ranges for both axes that hold the path and the optimum, padded."""
    pts = np.vstack([path, optimum[None]])
    pts = pts[np.isfinite(pts).all(1)]
    low, high = pts.min(0), pts.max(0)
    span = np.maximum(high - low, 1e-3 * np.maximum(np.abs(high), 1.0))
    return low - pad * span, high + pad * span
