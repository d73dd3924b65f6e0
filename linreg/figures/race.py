"""The race's views: every optimizer's path on one contour, their loss curves together,
and the whole recorded race as Plotly frames that play in the browser.

Each optimizer keeps one colour and one marker shape in every view. The colours are
Okabe and Ito's (distinct under the common colour-vision deficiencies, with black in place
of their yellow), drawn over a grey loss picture so that none of them fights the
background; the shapes tell the racers apart even in greyscale.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from linreg.figures.contour import backdrop, landmarks
from linreg.figures.loss_curve import nice_ceiling
from linreg.figures.raster import colourise, png_data_uri
from linreg.figures.scale import log_scale
from linreg.figures.style import CLASSIC, figure, trace

COLOURS = {
    "sgd": "#000000",
    "momentum": "#E69F00",
    "nesterov": "#56B4E9",
    "adam": "#009E73",
    "rmsprop": "#D55E00",
    "adagrad": "#CC79A7",
}
SYMBOLS = {
    "sgd": "circle",
    "momentum": "square",
    "nesterov": "diamond",
    "adam": "triangle-up",
    "rmsprop": "hexagon",
    "adagrad": "triangle-down",
}
# A light grey picture of the loss (low = white), so the six coloured paths stand out.
RACE_STYLE = replace(CLASSIC, colorscale="Greys", current="#333333")
LIGHT = [[0, "rgb(255,255,255)"], [1, "rgb(128,128,128)"]]  # Greys at half strength
FRAMES = 150
RECENT = 40  # steps before each frame's that its paths draw in full


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


def _path(name: str, label: str, path: np.ndarray, width: float) -> dict:
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


def _point(name: str, label: str, x: float, y: float, size: int) -> dict:
    return trace(
        "scatter",
        x=[x],
        y=[y],
        mode="markers",
        name=f"{label} now",
        legendgroup=name,
        showlegend=False,
        marker=dict(
            symbol=SYMBOLS[name],
            size=size,
            color=COLOURS[name],
            line=dict(color="white", width=1.5),
        ),
        hovertemplate=f"{label} now<br>weight %{{x:.4f}}<br>bias %{{y:.4f}}<extra></extra>",
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
        traces.append(_path(name, labels[name], np.asarray(path), s.line_width))
    traces += landmarks(start, truth, minimum, loss_label, s)
    for name, path in paths.items():
        w, b = np.asarray(path)[-1]
        traces.append(_point(name, labels[name], w, b, s.marker_size + 7))
    return figure(
        traces,
        s.layout(
            height=height,
            title=dict(text="Paths on the loss contour", x=0.5, y=0.98),
            images=[back["image"]],
            xaxis=dict(
                title=dict(text="weight"),
                range=[weights[0], weights[-1]],
                showgrid=False,
                zeroline=False,
            ),
            yaxis=dict(
                title=dict(text="bias"),
                range=[biases[0], biases[-1]],
                showgrid=False,
                zeroline=False,
            ),
        ),
    )


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
    traces, values = [], [np.array([])]
    for name, loss in losses.items():
        loss = np.asarray(loss, dtype=np.float64)
        values.append(loss[np.isfinite(loss)])
        traces.append(
            trace(
                "scatter",
                x=np.arange(len(loss)),
                y=loss,
                mode="lines",
                name=labels[name],
                legendgroup=name,
                line=dict(color=COLOURS[name], width=s.line_width),
            )
        )
        t = min(current, len(loss) - 1)
        traces.append(
            trace(
                "scatter",
                x=[t],
                y=[loss[t]],
                mode="markers",
                name=f"{labels[name]} now",
                legendgroup=name,
                showlegend=False,
                marker=dict(symbol=SYMBOLS[name], size=s.marker_size + 5, color=COLOURS[name]),
            )
        )
    every = np.concatenate(values)
    log = log_y and bool((every > 0).any())
    top = nice_ceiling(float(every.max()) if every.size else 1.0)
    low = float(every[every > 0].min()) if log else 0.0
    for name, at in diverged.items():
        if at is not None and at <= current:
            traces.append(
                trace(
                    "scatter",
                    x=[at],
                    y=[top],
                    mode="markers",
                    name=f"{labels[name]} diverged",
                    legendgroup=name,
                    showlegend=False,
                    marker=dict(symbol="x", size=14, color="#d62728", line=dict(width=1)),
                    hovertemplate=f"{labels[name]} diverged at step {at}<extra></extra>",
                )
            )
    traces.append(
        trace(
            "scatter",
            x=[current, current],
            y=[low, top],
            mode="lines",
            name="Step shown",
            showlegend=False,
            hoverinfo="skip",
            line=dict(color=s.current, width=1, dash="dot"),
        )
    )
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
            xaxis=dict(title=dict(text="step"), range=[0, nice_ceiling(max(longest - 1, 10))]),
        ),
    )


def race_replay(
    weights,
    biases,
    loss_grid,
    paths: dict[str, np.ndarray],
    losses: dict[str, np.ndarray],
    labels: dict[str, str],
    log_y: bool = True,
    fps: int = 30,
    height: int = 480,
) -> dict:
    """The recorded race as up to FRAMES frames: the contour with every path growing (left)
    and the loss curves with a marker per racer (right), one Play button, one slider."""
    s = RACE_STYLE
    back = race_backdrop(weights, biases, loss_grid, "loss")
    names = list(paths)
    longest = max(len(p) for p in paths.values())
    pick = np.unique(np.linspace(0, longest - 1, min(FRAMES, longest)).round().astype(int))
    data = [back["traces"][0]]
    for name in names:
        loss = np.asarray(losses[name], dtype=np.float64)
        data.append(
            trace(
                "scatter",
                x=np.arange(len(loss)),
                y=loss,
                mode="lines",
                name=labels[name],
                legendgroup=name,
                showlegend=False,
                line=dict(color=COLOURS[name], width=1.5),
                opacity=0.45,
                xaxis="x2",
                yaxis="y2",
            )
        )
    fixed = len(data)

    def moving(t: int) -> list[dict]:
        out = []
        for name in names:
            p, loss = np.asarray(paths[name]), np.asarray(losses[name])
            i = min(t, len(p) - 1)
            # The frames' steps, then the last RECENT steps in full: light, exact near the head.
            rows = np.union1d(pick[pick <= i], np.arange(max(0, i - RECENT), i + 1))
            out.append(_path(name, labels[name], p[rows], s.line_width))
            out.append({**_point(name, labels[name], *p[i], s.marker_size + 6)})
            out.append({**_point(name, labels[name], i, loss[i], s.marker_size + 4)})
            out[-1].update(xaxis="x2", yaxis="y2")
        return out

    data += moving(0)
    indices = list(range(fixed, len(data)))
    frames = [dict(name=str(int(t)), data=moving(int(t)), traces=indices) for t in pick]
    finite = np.concatenate([np.asarray(v)[np.isfinite(v)] for v in losses.values()])
    log = log_y and bool((finite > 0).any())
    yaxis2 = dict(anchor="x2", title=dict(text="train loss"))
    if log:
        lo, hi = np.log10(finite[finite > 0].min()), np.log10(finite.max())
        yaxis2.update(type="log", range=[lo - 0.1, hi + 0.1], dtick=1 if hi - lo > 2 else "D2")
    else:
        yaxis2.update(range=[0, float(finite.max()) * 1.05 if finite.size else 1])
    layout = s.layout(
        height=height,
        margin=dict(l=60, r=20, t=50, b=110),
        images=[{**back["image"], "xref": "x", "yref": "y"}],
        xaxis=dict(
            domain=[0, 0.48],
            range=[weights[0], weights[-1]],
            title=dict(text="weight"),
            showgrid=False,
            zeroline=False,
        ),
        yaxis=dict(
            range=[biases[0], biases[-1]], title=dict(text="bias"), showgrid=False, zeroline=False
        ),
        xaxis2=dict(domain=[0.58, 1.0], range=[0, longest - 1], title=dict(text="step")),
        yaxis2=yaxis2,
        updatemenus=[_play_buttons(1000 / fps)],
        sliders=[_slider(frames)],
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
    )
    return {"data": data, "layout": layout, "frames": frames}


def _play_buttons(duration: float) -> dict:
    animate = dict(transition=dict(duration=0), mode="immediate")
    play = dict(
        label="▶ Play",
        method="animate",
        args=[None, dict(frame=dict(duration=duration, redraw=False), fromcurrent=True, **animate)],
    )
    pause = dict(
        label="❚❚ Pause",
        method="animate",
        args=[[None], dict(frame=dict(duration=0, redraw=False), **animate)],
    )
    return dict(
        type="buttons",
        direction="left",
        x=0.0,
        y=-0.12,
        xanchor="right",
        yanchor="top",
        buttons=[play, pause],
        showactive=False,
    )


def _slider(frames: list[dict]) -> dict:
    go = dict(frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0))
    return dict(
        active=0,
        y=-0.12,
        x=0.08,
        len=0.9,
        currentvalue=dict(prefix="step "),
        steps=[dict(label=f["name"], method="animate", args=[[f["name"]], go]) for f in frames],
    )
