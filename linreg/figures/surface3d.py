"""The loss surface over (weight, bias) in 3-D, with the path walked on it."""

from __future__ import annotations

import numpy as np

from linreg.figures.scale import clip_top
from linreg.figures.style import CLASSIC, Style, figure, trace


def surface_figure(
    weights,
    biases,
    loss,
    path,
    path_loss,
    current,
    current_loss: float,
    minimum=None,
    minimum_loss: float | None = None,
    style: Style = CLASSIC,
    height: int = 430,
) -> dict:
    """One WebGL surface (browsers allow few contexts), the path and the current point."""
    loss = np.asarray(loss, dtype=np.float64)
    path = np.asarray(path)
    top = clip_top(loss, float(np.asarray(path_loss)[0]) if len(path_loss) else np.nan)
    shown = np.minimum(loss, top)
    lift = 0.004 * (top - float(loss.min()))  # keep the path just above the surface
    # Path points above the ceiling or outside the box are left out (gaps in the line),
    # rather than pressed flat onto the box's lid.
    path_loss = np.asarray(path_loss, dtype=np.float64)
    inside = (
        (path[:, 0] >= weights[0])
        & (path[:, 0] <= weights[-1])
        & (path[:, 1] >= biases[0])
        & (path[:, 1] <= biases[-1])
        & (path_loss <= top)
    )
    path_z = np.where(inside, path_loss + lift, np.nan)
    traces = [
        trace(
            "surface",
            x=weights,
            y=biases,
            z=shown,
            colorscale=style.colorscale,
            showscale=False,
            opacity=0.92,
            name="loss",
            contours=dict(z=dict(show=True, width=1, usecolormap=True)),
            hovertemplate="w %{x:.3f}<br>b %{y:.3f}<br>loss %{z:.4g}<extra></extra>",
        ),
        trace(
            "scatter3d",
            x=path[:, 0],
            y=path[:, 1],
            z=path_z,
            mode="lines",
            name="Path",
            line=dict(color=style.path, width=6),
        ),
        trace(
            "scatter3d",
            x=[current[0]],
            y=[current[1]],
            z=[current_loss + lift if current_loss <= top else None],
            mode="markers",
            name="Now",
            marker=dict(size=6, color=style.current, line=dict(color="white", width=2)),
        ),
    ]
    if minimum is not None:
        traces.append(
            trace(
                "scatter3d",
                x=[minimum[0]],
                y=[minimum[1]],
                z=[minimum_loss + lift],
                mode="markers",
                name="Minimum",
                marker=dict(size=5, color=style.minimum, symbol="x"),
            )
        )
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text="Loss surface", x=0.5, y=0.98),
            margin=dict(l=0, r=0, t=35, b=0),
            showlegend=False,
            scene=dict(
                xaxis=dict(title=dict(text="weight"), range=[weights[0], weights[-1]]),
                yaxis=dict(title=dict(text="bias"), range=[biases[0], biases[-1]]),
                zaxis=dict(title=dict(text="loss"), range=[float(loss.min()), top + 2 * lift]),
                camera=dict(eye=dict(x=1.5, y=-1.5, z=1.0)),
                uirevision="keep",
                aspectmode="manual",
                aspectratio=dict(x=1, y=1, z=0.7),
            ),
        ),
    )
