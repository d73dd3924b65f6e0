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
  spec.data = spec.data.map((trace) => {
    const id = trace.uid, revision = data.revisions[id];
    if (id === undefined || revision === undefined) return trace;
    const kept = div.__cache[id];
    if (kept && kept.revision === revision) return kept.trace;
    div.__cache[id] = { revision, trace };
    return trace;
  });
  if (!window.__linregPlotly) {
    const index = document.querySelector('script[src*="static/js/index"]');
    const url = new URL(data.chunk, index ? index.src : document.baseURI).href;
    window.__linregPlotly = window.Plotly ? Promise.resolve() : import(url);
  }
  window.__linregPlotly
    .then(() => window.Plotly.react(div, spec.data, spec.layout, data.config))
    .then(() => { div.dataset.revision = data.revision; })
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
    """Arrays rounded to 6 significant digits: the JSON is a third of the size."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size > 50:
        return np.asarray(
            [float(f"{v:.6g}") if np.isfinite(v) else None for v in value.ravel()], dtype=object
        ).reshape(value.shape)
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
        "spec": pio.to_json(_rounded(spec), validate=False),
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
    return json.dumps(json.loads(pio.to_json(_rounded(spec), validate=False)))
