"""A live Plotly chart that updates in place.

`st.plotly_chart` in this Streamlit gives a chart a new identity whenever its figure
changes, so every update remounts it: it flickers and the 3-D camera jumps back. This small
component keeps one Plotly div per key and calls `Plotly.react` on it, which honours
`layout.uirevision` (zoom and camera stay where the user put them). Big traces whose
`uid` and `revision` are unchanged are reused as the same objects, so Plotly does not
recompute them. Plotly itself is the copy Streamlit ships, imported on first use.
"""

from __future__ import annotations

import glob
import os
from functools import cache

import numpy as np
import plotly.io as pio
import streamlit as st

JS = """
// A chart whose moving parts can't be animated cheaply (the 3-D view) and that takes long
// to redraw (WebGL without a GPU) is redrawn at most once per four of its own redraw
// times; the newest figure always wins, so the last one of a run is never lost.
function redraw(div, spec) {
  div.__pending = spec;
  const wait = 4 * (div.__cost || 0) - (performance.now() - (div.__drawnAt || 0));
  if ((div.__cost || 0) > 40 && wait > 0) {
    if (!div.__timer) {
      div.__timer = setTimeout(() => { div.__timer = null; redraw(div, div.__pending); }, wait);
    }
    return Promise.resolve();
  }
  const began = performance.now();
  return window.Plotly.react(div, spec).then(() => {
    div.__drawnAt = performance.now();
    div.__cost = div.__drawnAt - began;
  });
}

export default function(component) {
  const { data, parentElement } = component;
  let div = parentElement.querySelector("div.linreg-plot");
  if (!div) {
    div = document.createElement("div");
    div.className = "linreg-plot";
    div.style.width = "100%";
    div.style.minHeight = data.height + "px";
    div.dataset.testid = "linreg-plot";
    parentElement.appendChild(div);
    div.__cache = {};
  }
  div.dataset.key = data.key;
  const spec = JSON.parse(data.spec);
  const between = spec.between || [];
  delete spec.between;
  spec.config = data.config;
  // Traces with a uid listed in data.revisions are big and static (a loss surface):
  // while their revision stays the same, reuse the very objects Plotly already has.
  const uids = spec.data.map((t) => t.uid);
  const fixed = uids.map((id) => id !== undefined && data.revisions[id] !== undefined);
  spec.data = spec.data.map((trace, i) => {
    if (!fixed[i]) return trace;
    const id = trace.uid, revision = data.revisions[id], kept = div.__cache[id];
    if (kept && kept.revision === revision) return kept.trace;
    div.__cache[id] = { revision, trace };
    return trace;
  });
  if (!window.__linregPlotly) {
    const index = document.querySelector('script[src*="static/js/index"]');
    const url = new URL(data.chunk, index ? index.src : document.baseURI).href;
    window.__linregPlotly = window.Plotly ? Promise.resolve() : import(url);
  }
  // When only the moving scatter traces changed (same layout, same static traces), an
  // animate call with redraw off moves them without repainting the rest: much cheaper than
  // a full react, which redraws contours and heatmaps every time.
  const layout = JSON.stringify(spec.layout);
  const shape = spec.data
    .map((t, i) => t.type + (fixed[i] ? ":" + data.revisions[uids[i]] : "")).join(",");
  const movable = spec.data.every((t, i) => fixed[i] || t.type === "scatter");
  const quick = div.__layout === layout && div.__shape === shape && movable && !spec.frames;
  const moving = spec.data.filter((t, i) => !fixed[i]);
  const indices = spec.data.map((t, i) => i).filter((i) => !fixed[i]);
  window.__linregPlotly
    .then(() => {
      if (!movable) return redraw(div, spec);
      if (!quick) return window.Plotly.react(div, spec);
      // The steps between the last update and this one, played at frame_ms each: a live
      // run looks smooth even when the server's updates come a few times a second.
      const frames = between.map((traces) => ({ data: traces, traces: indices }));
      frames.push({ data: moving, traces: indices });
      return window.Plotly.animate(div, frames, {
        transition: { duration: 0 }, mode: "immediate",
        frame: { duration: frames.length > 1 ? data.frame_ms : 0, redraw: false },
      });
    })
    .then(() => {
      div.__layout = layout;
      div.__shape = shape;
      div.dataset.revision = data.revision;
    })
    .catch((err) => {
      // A newer update interrupting an animation rejects it without an Error: that's fine.
      if (!(err instanceof Error)) return;
      let note = parentElement.querySelector("p.linreg-plot-error");
      if (!note) {
        note = document.createElement("p");
        note.className = "linreg-plot-error";
        parentElement.insertBefore(note, div);
      }
      note.textContent = "This chart could not be drawn: " + err.message;
    });
}
"""

CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


TICKER_JS = """
export default function(component) {
  // Paces a live run from the browser: once this update has been painted (and a short
  // breath later), ask the server for the next one. Never more than one request is in
  // flight, so a slow machine gets fewer, complete updates instead of a backlog. The
  // charts meanwhile play the steps between two updates (see `between` above).
  // It presses a hidden button that sits in the same fragment as the charts: a button in a
  // fragment reruns only that fragment (a component's own trigger would rerun the page).
  const { data } = component;
  clearTimeout(window.__linregTick);
  clearTimeout(window.__linregWatch);
  if (!data.running) return;
  const press = () => {
    const button = document.querySelector(".st-key-" + data.button + " button");
    if (button) button.click();
  };
  const ask = () => {
    clearTimeout(window.__linregTick);
    window.__linregTick = setTimeout(press, data.delay);
  };
  requestAnimationFrame(() => requestAnimationFrame(ask));
  // A watchdog, should an update get lost on the way.
  window.__linregWatch = setTimeout(ask, 3000);
}
"""


TICKER_CSS = ".st-key-live_tick { display: none; }"


@cache
def _ticker():
    return st.components.v2.component(
        "linreg_ticker", js=TICKER_JS, css=TICKER_CSS, isolate_styles=False
    )


def ticker(running: bool, count: int, delay_ms: int = 30) -> None:
    """While `running`, the browser asks for the next update as soon as it has painted this
    one. Call it inside the fragment that draws the charts, after them; `count` must change
    with every update (the step number does), or the browser sees nothing new."""
    st.button("next update", key="live_tick")
    data = {"running": running, "count": count, "delay": delay_ms, "button": "live_tick"}
    _ticker()(data=data, key="ticker", height=0)


@cache
def _component():
    return st.components.v2.component("linreg_plot", js=JS, isolate_styles=False)


@cache
def _plotly_chunk() -> str:
    """The file name of the Plotly bundle inside Streamlit's own static files."""
    folder = os.path.join(os.path.dirname(st.__file__), "static", "static", "js")
    found = sorted(glob.glob(os.path.join(folder, "PlotlyChart.*.js")))
    return os.path.basename(found[0]) if found else "PlotlyChart.js"


def _rounded(value):
    """Big float arrays rounded to 6 significant digits, each number on its own scale (so a
    loss of 1e-9 on a log axis stays 1e-9): the JSON is a third the size."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size > 50:
        return significant(value)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def significant(values: np.ndarray, digits: int = 6) -> np.ndarray:
    """Each number rounded to `digits` significant digits; zeros, NaN and inf kept. Integers
    are scaled by exact powers of ten, so each result prints as its short decimal form."""
    values = np.asarray(values, dtype=np.float64)
    out = values.copy()
    ok = np.isfinite(values) & (values != 0)
    decimals = digits - 1 - np.floor(np.log10(np.abs(values[ok]))).astype(int)
    decimals = np.minimum(decimals, 300)  # 10^decimals stays finite (denormals: ~0)
    x, up = values[ok], decimals >= 0
    rounded = np.empty_like(x)
    rounded[up] = np.round(x[up] * 10.0 ** decimals[up]) / 10.0 ** decimals[up]
    rounded[~up] = np.round(x[~up] / 10.0 ** -decimals[~up]) * 10.0 ** -decimals[~up]
    out[ok] = rounded
    return out


def live_chart(
    spec: dict,
    key: str,
    revisions: dict | None = None,
    height: int = 400,
    revision: int = 0,
    between: list[dict] | None = None,
    frame_ms: int = 40,
) -> None:
    """Draw (or update in place) a Plotly figure spec under a stable key.

    `between` holds the specs of the steps since the last update; when only moving traces
    differ, the browser plays them, one every `frame_ms`, before settling on `spec`.
    """
    revisions = revisions or {}
    moving = [[t for t in s["data"] if t.get("uid") not in revisions] for s in (between or [])]
    payload = {
        "spec": pio.to_json(
            _rounded({**spec, "between": moving}), validate=False, remove_uids=False
        ),
        "frame_ms": frame_ms,
        "revisions": revisions,
        "chunk": _plotly_chunk(),
        "config": CONFIG,
        "height": height,
        "key": key,
        "revision": revision,
    }
    _component()(data=payload, key=key, height=height)
