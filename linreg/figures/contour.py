"""Contour of the loss over (weight, bias): path, current point, gradient and step arrows."""

from __future__ import annotations

import numpy as np

from linreg.figures.isolines import isolines
from linreg.figures.raster import colourise, png_data_uri
from linreg.figures.scale import log_scale
from linreg.figures.style import CLASSIC, Style, figure, point, trace


def arrow(
    x0: float,
    y0: float,
    dx: float,
    dy: float,
    name: str,
    color: str,
    width: float,
    dash: str = "solid",
) -> dict:
    """A straight arrow from (x0, y0), its head a marker turned along the line."""
    return trace(
        "scatter",
        x=[x0, x0 + dx],
        y=[y0, y0 + dy],
        mode="lines+markers",
        name=name,
        line=dict(color=color, width=width, dash=dash),
        marker=dict(symbol=["circle", "arrow"], size=[1, 16], color=color, angleref="previous"),
        hoverinfo="name",
    )


def landmarks(start, truth, minimum, loss_label: str, style: Style, others=None) -> list[dict]:
    """Markers for the start, the true (weight, bias) and the minimum of the chosen loss;
    `others` maps other losses' labels to their minima, drawn small and hollow."""
    s = style.marker_size + 6
    out = [
        point(
            p,
            f"Minimum of {label}",
            dict(
                symbol="x-thin-open", size=s - 4, color="white", line=dict(color="white", width=2)
            ),
            mode="markers+text",
            text=[label.split(" ")[0]],
            textposition="top center",
            showlegend=False,
            textfont=dict(color="white", size=style.font_size - 2),
        )
        for label, p in (others or {}).items()
    ]
    edge = dict(color="white", width=1)
    square = dict(
        symbol="square", size=s - 2, color="white", line=dict(color=style.current, width=2)
    )
    out.append(point(start, "Start", square))
    if truth is not None:
        star = dict(symbol="star", size=s + 2, color=style.truth, line=edge)
        out.append(point(truth, "True (w, b)", star))
    cross = dict(symbol="x", size=s, color=style.minimum, line=edge)
    out.append(point(minimum, f"Minimum of {loss_label}", cross))
    return out


def path_line(path: np.ndarray, name: str, style: Style) -> dict:
    """The path taken so far, (m, 2) rows of the two parameters, as a line."""
    return trace(
        "scatter",
        x=path[:, 0],
        y=path[:, 1],
        mode="lines",
        name=name,
        line=dict(color=style.path, width=style.line_width),
    )


# The backdrop's static parts: the uids of its traces, then the name of its picture.
STATIC = ("contour-lines", "contour-scale", "contour-hover", "contour-picture")


def backdrop(weights, biases, loss, loss_label: str = "loss", style: Style = CLASSIC) -> dict:
    """The still part of the contour view: the loss as a picture under the axes, its contour
    lines, a colour bar in loss units and an invisible grid that reports the loss on hover.
    Build it once per surface; `contour_figure` puts the moving parts on top."""
    weights, biases, loss = np.asarray(weights), np.asarray(biases), np.asarray(loss)
    shown, tickvals, ticktext = log_scale(loss)
    lo, hi = float(shown.min()), float(shown.max())
    xs, ys = isolines(weights, biases, shown, np.linspace(lo, hi, 18)[1:-1])
    every = max(1, len(weights) // 30)
    gw, gb = np.meshgrid(weights[::every], biases[::every])
    image = dict(
        name=STATIC[3],
        source=png_data_uri(colourise(shown[::-1], style.colorscale, lo, hi)),
        xref="x",
        yref="y",
        x=weights[0],
        y=biases[-1],
        sizex=weights[-1] - weights[0],
        sizey=biases[-1] - biases[0],
        sizing="stretch",
        layer="below",
    )
    traces = [
        trace(
            "scatter",
            uid=STATIC[0],
            x=xs,
            y=ys,
            mode="lines",
            name="contours",
            line=dict(color="rgba(255,255,255,0.55)", width=1),
            hoverinfo="skip",
            showlegend=False,
        ),
        trace(
            "scatter",
            uid=STATIC[1],
            x=[weights[0]],
            y=[biases[0]],
            mode="markers",
            hoverinfo="skip",
            showlegend=False,
            marker=dict(
                size=0.1,
                opacity=0,
                color=[lo],
                cmin=lo,
                cmax=hi,
                colorscale=style.colorscale,
                showscale=True,
                colorbar=dict(
                    title=dict(text="loss", side="right"),
                    thickness=14,
                    tickvals=tickvals,
                    ticktext=ticktext,
                ),
            ),
        ),
        trace(
            "scatter",
            uid=STATIC[2],
            x=gw.ravel(),
            y=gb.ravel(),
            mode="markers",
            marker=dict(size=8, opacity=0),
            customdata=loss[::every, ::every].ravel(),
            name=loss_label,
            showlegend=False,
            hovertemplate="weight %{x:.3f}<br>bias %{y:.3f}<br>loss %{customdata:.4g}"
            "<extra></extra>",
        ),
    ]
    return dict(image=image, traces=traces)


def contour_figure(
    weights,
    biases,
    back: dict,
    path,
    current,
    grad,
    taken=None,
    taken_from=None,
    field=None,
    start=None,
    truth=None,
    minimum=None,
    loss_label: str = "loss",
    style: Style = CLASSIC,
    height: int = 430,
    other_minima: dict | None = None,
) -> dict:
    """The loss seen from above (`back` from `backdrop`), with what gradient descent is
    doing on it: the path, the negative gradient, the step taken and the landmarks."""
    weights, biases = np.asarray(weights), np.asarray(biases)
    traces = list(back["traces"])
    if field is not None:
        fw, fb, dw, db = field
        nan = np.full_like(fw, np.nan)
        traces.append(
            trace(
                "scatter",
                x=np.column_stack([fw, fw + dw, nan]).ravel(),
                y=np.column_stack([fb, fb + db, nan]).ravel(),
                mode="lines+markers",
                name="−gradient field",
                line=dict(color="rgba(255,255,255,0.75)", width=1.2),
                marker=dict(
                    symbol=np.tile(["circle", "arrow", "circle"], len(fw)).tolist(),
                    size=np.tile([0, 7, 0], len(fw)).tolist(),
                    color="rgba(255,255,255,0.85)",
                    angleref="previous",
                ),
                hoverinfo="skip",
            )
        )
    path = np.asarray(path)
    traces.append(path_line(path, "Path", style))
    traces += landmarks(
        start if start is not None else path[0], truth, minimum, loss_label, style, other_minima
    )
    span = np.array([np.ptp(weights), np.ptp(biases)])
    g = -np.asarray(grad, dtype=np.float64) / span
    norm = float(np.linalg.norm(g))
    if norm > 0 and np.isfinite(norm):
        d = g / norm * 0.14 * span
        traces.append(
            arrow(
                current[0],
                current[1],
                d[0],
                d[1],
                "−gradient (direction)",
                style.gradient,
                style.line_width,
            )
        )
    if taken is not None and np.all(np.isfinite(taken)) and np.any(taken != 0):
        x0, y0 = current if taken_from is None else taken_from
        traces.append(
            arrow(
                x0,
                y0,
                taken[0],
                taken[1],
                "Step taken",
                style.step,
                style.line_width,
                dash="dot",
            )
        )
    now = dict(size=style.marker_size + 7, color=style.current, line=dict(color="white", width=2))
    traces.append(point(current, "Now", now))
    return contour_layout(traces, back, weights, biases, "Loss contour", style, height)


def plane_axes(weights, biases) -> tuple[dict, dict]:
    """The weight (x) and bias (y) axes over a loss grid: the grid's range, no grid lines."""
    weight = dict(
        title=dict(text="weight"), range=[weights[0], weights[-1]], showgrid=False, zeroline=False
    )
    bias = dict(
        title=dict(text="bias"), range=[biases[0], biases[-1]], showgrid=False, zeroline=False
    )
    return weight, bias


def contour_layout(
    traces: list[dict], back: dict, weights, biases, title: str, style: Style, height: int
) -> dict:
    """`traces` over the loss picture of `back` (see `backdrop`), on the plane's axes."""
    xaxis, yaxis = plane_axes(weights, biases)
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text=title, x=0.5, y=0.98),
            images=[back["image"]],
            xaxis=xaxis,
            yaxis=yaxis,
        ),
    )
