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
import json
import os
from functools import cache

import numpy as np
import plotly.io as pio
import streamlit as st

JS = """
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
    .then(() => quick
      ? window.Plotly.animate(div, { data: moving, traces: indices },
          { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: "immediate" })
      : window.Plotly.react(div, spec))
    .then(() => {
      div.__layout = layout;
      div.__shape = shape;
      div.dataset.revision = data.revision;
    })
    .catch((err) => { div.textContent = "This chart could not be drawn: " + err; });
}
"""

CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


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
    """Big float arrays rounded to about 6 significant digits: the JSON is a third the size."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size > 50:
        finite = np.abs(value[np.isfinite(value)])
        top = float(finite.max()) if finite.size else 0.0
        digits = 6 - int(np.ceil(np.log10(top))) if top > 0 else 6
        return np.round(value, max(digits, 0))
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def live_chart(
    spec: dict, key: str, revisions: dict | None = None, height: int = 400, revision: int = 0
) -> None:
    """Draw (or update in place) a Plotly figure spec under a stable key."""
    payload = {
        "spec": pio.to_json(_rounded(spec), validate=False, remove_uids=False),
        "revisions": revisions or {},
        "chunk": _plotly_chunk(),
        "config": CONFIG,
        "height": height,
        "key": key,
        "revision": revision,
    }
    _component()(data=payload, key=key, height=height)


def spec_json(spec: dict) -> str:
    """The JSON a live chart receives, for tests and size budgets."""
    return json.dumps(json.loads(pio.to_json(_rounded(spec), validate=False, remove_uids=False)))
