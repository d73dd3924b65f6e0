"""A 2-D slice of the penalised loss J = MSE + P through two coefficients, with the picture
that explains regularisation: the penalty's outline (a circle for ridge, a diamond for the
lasso) through the penalised minimum, the MSE's own contour through the same point (the
two touch there), the unpenalised minimum of the slice, and the path so far.

The colours show log₁₀ of J above its lowest value on the grid (`figures.scale.log_scale`),
so the valley's shape shows at every λ. Only the path and the point on show move with the
step; the rest changes with λ.
"""

from __future__ import annotations

import numpy as np

from linreg.figures.contour import path_line
from linreg.figures.isolines import isolines
from linreg.figures.scale import log_scale
from linreg.figures.style import CLASSIC, Style, figure, point, trace

OUTLINE_COLOUR = "#00d5ff"  # bright cyan: seen on the dark valley, the yellow rim and white
OUTLINE_NAMES = {
    "circle": "Ridge circle",
    "diamond": "Lasso diamond",
    "rounded diamond": "Elastic-net outline",
}


def slice_window(*points, pad: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) corners of a square window (the same span on both axes, so a circle looks
    round) holding the origin (the penalty's centre) and every given point or (m, 2) array
    of points, padded."""
    pts = np.vstack([np.zeros((1, 2)), *[np.atleast_2d(p) for p in points]])
    pts = pts[np.isfinite(pts).all(1)]
    low, high = pts.min(0), pts.max(0)
    half = max(float((high - low).max()), 1e-3) * (0.5 + pad)
    middle = (low + high) / 2
    return middle - half, middle + half


def penalty_slice_figure(
    s_values,
    t_values,
    objective_grid,
    names: tuple[str, str],
    path,
    current,
    unpenalised,
    penalised,
    outline=None,
    shape: str = "",
    mse_grid=None,
    mse_level: float | None = None,
    penalty_label: str = "penalised loss",
    style: Style = CLASSIC,
    height: int = 520,
) -> dict:
    """`objective_grid` (len(t), len(s)) of J over (s, t); `outline` the (u, v) points of the
    penalty's level set through the penalised minimum (`Penalty.level_set`); `mse_grid` the
    MSE on the same grid and `mse_level` its value at the penalised minimum: that contour
    is drawn too."""
    s_values, t_values = np.asarray(s_values, float), np.asarray(t_values, float)
    grid = np.asarray(objective_grid, dtype=np.float64)
    shown, tickvals, ticktext = log_scale(grid)
    traces = [
        trace(
            "contour",
            x=s_values,
            y=t_values,
            z=shown,
            colorscale=style.colorscale,
            ncontours=22,
            contours=dict(coloring="heatmap", showlines=True),
            line=dict(width=0.5, color="rgba(255,255,255,0.45)"),
            colorbar=dict(
                title=dict(text=penalty_label, side="right"),
                thickness=12,
                tickvals=tickvals,
                ticktext=ticktext,
            ),
            customdata=grid,
            hovertemplate=f"{names[0]} %{{x:.4g}}<br>{names[1]} %{{y:.4g}}<br>"
            "J %{customdata:.5g}<extra></extra>",
        )
    ]
    penalised = np.asarray(penalised, dtype=np.float64)
    if mse_grid is not None and mse_level is not None:
        xs, ys = isolines(s_values, t_values, np.asarray(mse_grid, float), [mse_level])
        traces.append(
            trace(
                "scatter",
                x=xs,
                y=ys,
                mode="lines",
                name="MSE contour through it",
                line=dict(color="#ff4fa3", width=style.line_width * 0.8),
                hoverinfo="skip",
            )
        )
    if outline is not None:
        u, v = outline
        traces.append(
            trace(
                "scatter",
                x=np.asarray(u),
                y=np.asarray(v),
                mode="lines",
                name=OUTLINE_NAMES.get(shape, "Penalty outline"),
                line=dict(color=OUTLINE_COLOUR, width=style.line_width * 0.8, dash="dash"),
                hoverinfo="skip",
            )
        )
    edge = dict(color="white", width=1.5)
    dark_edge = dict(color=style.current, width=1.5)
    big = style.marker_size + 8
    now = dict(color=style.current, size=style.marker_size + 5, line=dict(width=2, color="white"))
    traces += [
        path_line(np.asarray(path, dtype=np.float64).reshape(-1, 2), "Path", style),
        point(
            unpenalised,
            "Minimum without penalty",
            dict(symbol="x", size=big, color="white", line=dark_edge),
        ),
        point(
            penalised,
            "Penalised minimum",
            dict(symbol="x", size=big, color=style.minimum, line=edge),
        ),
        point(current, "Step shown", now),
    ]
    axis = dict(
        constrain="domain",  # a square plot area, not a stretched range
        showgrid=False,
        zeroline=True,
        zerolinecolor="rgba(255,255,255,0.8)",
        zerolinewidth=1.5,
    )
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text=f"Slice of the {penalty_label}", x=0.5, y=0.98),
            xaxis=dict(title=dict(text=names[0]), range=[s_values[0], s_values[-1]], **axis),
            yaxis=dict(
                title=dict(text=names[1]),
                range=[t_values[0], t_values[-1]],
                scaleanchor="x",
                scaleratio=1,
                **axis,
            ),
        ),
    )
