"""The race's views: every optimizer's path on one contour, and their loss curves together
(the replay is in race_replay.py).

Each optimizer keeps one colour and one marker shape in every view. The colours are
Okabe and Ito's (distinct under the common colour-vision deficiencies, with black in place
of their yellow), drawn over a grey loss picture so that none of them fights the
background; the shapes tell the racers apart even in greyscale.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from linreg import optimizers
from linreg.figures.contour import backdrop, contour_layout, landmarks
from linreg.figures.loss_curve import loss_bounds, step_axis, step_line
from linreg.figures.raster import colourise, png_data_uri
from linreg.figures.scale import log_scale
from linreg.figures.style import CLASSIC, figure, point, trace

COLOURS = {o.name: o.colour for o in optimizers.ENTRIES}  # each racer's, from its entry
SYMBOLS = {o.name: o.marker for o in optimizers.ENTRIES}
# A light grey picture of the loss (low = white), so the six coloured paths stand out.
RACE_STYLE = replace(CLASSIC, colorscale="Greys", current="#333333")
LIGHT = [[0, "rgb(255,255,255)"], [1, "rgb(128,128,128)"]]  # Greys at half strength


def race_backdrop(weights, biases, loss, loss_label: str) -> dict:
    """The still part of the race's contour (see contour.backdrop), in grey."""
    back = backdrop(weights, biases, loss, loss_label, RACE_STYLE)
    shown = log_scale(np.asarray(loss))[0]
    grey = colourise(shown[::-1], "Greys", float(shown.min()), float(shown.max()))
    light = (255 - (255 - grey.astype(np.float64)) * 0.5).round().astype(np.uint8)
    image = {**back["image"], "source": png_data_uri(light)}
    lines, scale, hover = back["traces"]
    lines = {**lines, "line": dict(color="rgba(60,60,60,0.35)", width=1)}
    scale = {**scale, "marker": {**scale["marker"], "colorscale": LIGHT}}
    return {"image": image, "traces": [lines, scale, hover]}


def path_trace(name: str, label: str, path: np.ndarray, width: float) -> dict:
    return trace(
        "scatter",
        x=path[:, 0],
        y=path[:, 1],
        mode="lines",
        name=label,
        legendgroup=name,
        line=dict(color=COLOURS[name], width=width),
        hovertemplate=f"{label}<br>weight %{{x:.4f}}<br>bias %{{y:.4f}}<extra></extra>",
    )


def point_trace(name: str, label: str, x: float, y: float, size: int) -> dict:
    marker = dict(
        symbol=SYMBOLS[name], size=size, color=COLOURS[name], line=dict(color="white", width=1.5)
    )
    return point(
        (x, y),
        f"{label} now",
        marker,
        legendgroup=name,
        showlegend=False,
        hovertemplate=f"{label} now<br>weight %{{x:.4f}}<br>bias %{{y:.4f}}<extra></extra>",
    )


def loss_trace(name: str, label: str, loss: np.ndarray, width: float, **extra) -> dict:
    """One racer's loss against the step, in its colour."""
    return trace(
        "scatter",
        x=np.arange(len(loss)),
        y=loss,
        mode="lines",
        name=label,
        legendgroup=name,
        line=dict(color=COLOURS[name], width=width),
        **extra,
    )


def race_contour(
    weights,
    biases,
    back: dict,
    paths: dict[str, np.ndarray],
    labels: dict[str, str],
    start,
    truth,
    minimum,
    loss_label: str,
    height: int = 520,
) -> dict:
    """One contour with a path per optimizer (`paths`: name -> (m, 2) rows up to now) and a
    marker at each one's current point."""
    s = RACE_STYLE
    traces = list(back["traces"])
    for name, path in paths.items():
        traces.append(path_trace(name, labels[name], np.asarray(path), s.line_width))
    traces += landmarks(start, truth, minimum, loss_label, s)
    for name, path in paths.items():
        w, b = np.asarray(path)[-1]
        traces.append(point_trace(name, labels[name], w, b, s.marker_size + 7))
    return contour_layout(traces, back, weights, biases, "Paths on the loss contour", s, height)


def race_losses(
    losses: dict[str, np.ndarray],
    labels: dict[str, str],
    current: int,
    log_y: bool,
    diverged: dict[str, int | None],
    height: int = 520,
) -> dict:
    """Every racer's train loss against the step (`losses`: name -> loss at steps 0..);
    a cross where a racer diverged, a dotted line at the step on show."""
    s = RACE_STYLE
    traces = []
    for name, loss in losses.items():
        loss = np.asarray(loss, dtype=np.float64)
        traces.append(loss_trace(name, labels[name], loss, s.line_width))
        t = min(current, len(loss) - 1)
        now = dict(symbol=SYMBOLS[name], size=s.marker_size + 5, color=COLOURS[name])
        traces.append(
            point((t, loss[t]), f"{labels[name]} now", now, legendgroup=name, showlegend=False)
        )
    log, low, top = loss_bounds(np.concatenate([[], *map(np.ravel, losses.values())]), log_y)
    for name, at in diverged.items():
        if at is not None and at <= current:
            traces.append(
                point(
                    (at, top),
                    f"{labels[name]} diverged",
                    dict(symbol="x", size=14, color="#d62728", line=dict(width=1)),
                    legendgroup=name,
                    showlegend=False,
                    hovertemplate=f"{labels[name]} diverged at step {at}<extra></extra>",
                )
            )
    traces.append(step_line(current, low, top, s.current))
    longest = max((len(v) for v in losses.values()), default=1)
    if log:  # at least a decade, so that a flat start does not fill the chart with ticks
        hi = np.log10(top)
        lo = min(np.floor(np.log10(low) * 4) / 4, hi - 1)
        yaxis = dict(
            type="log",
            title=dict(text="train loss (log scale)"),
            range=[lo - 0.05, hi + 0.05],
            dtick=1 if hi - lo > 2 else "D2",
        )
    else:
        yaxis = dict(title=dict(text="train loss"), range=[0, top])
    return figure(
        traces,
        s.layout(
            height=height,
            title=dict(text="Loss of every racer", x=0.5, y=0.98),
            yaxis=yaxis,
            xaxis=step_axis(longest - 1),
        ),
    )
