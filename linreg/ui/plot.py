"""A live Plotly chart that updates in place, and the ticker that paces a live run.

`st.plotly_chart` in this Streamlit gives a chart a new identity whenever its figure
changes, so every update remounts it: it flickers and the 3-D camera jumps back. This small
component keeps one Plotly div per key and calls `Plotly.react` on it, which honours
`layout.uirevision` (zoom and camera stay where the user put them). The browser side is
`web/plot.js`; its header says how it draws.

What goes over the wire, and how often:

* Code, once per page. `web/plot.js`, `web/player.js` and Plotly itself, the
  `plotly.min.js` that the installed plotly package ships (so the browser draws with the
  plotly.js version Python's plotly targets), are files that Streamlit serves through its
  component file route: `declare_component(name, path=folder)` is public API and needs no
  build step. Each update carries only a loader of a few hundred bytes.
* Static items, once per chart. Traces (by `uid`) and layout images (by `name`) listed in
  `revisions` are sent in full only when this chart in this browser session has not been
  sent that revision; in between they travel as a stub. The record of what was sent lives in
  the session (a page reload is a new session, and starts empty) and is cleared when the
  session moves to another page (whose charts are all new elements). A chart element that
  was remounted otherwise (a view switched off and on) finds stubs it cannot fill: it asks
  (the trigger `missing`) and the server sends everything again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import numpy as np
import plotly
import plotly.io as pio
import streamlit as st
from plotly.offline import get_plotlyjs_version
from streamlit.components.v1 import declare_component

WEB = Path(__file__).parent / "web"  # plot.js and player.js
PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"  # plotly.min.js
KEPT = "linreg_kept"  # marks a stub: the browser has this item already
SENT = "_linreg_plot_sent"  # session state: {chart key: {id: revision sent}, PAGE: page}
SERVED = "_linreg_plot_served"  # session state: the files are registered for serving
PAGE = "\0page"

CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

# What each update sends as the component's JavaScript: it imports web/plot.js once per page
# (by URL, next to Streamlit's own index script, so a base URL path works) and hands over.
# The first one also starts fetching Plotly at once, while plot.js is still on its way.
LOADER = """
const index = document.querySelector('script[src*="static/js/index"]');
const root = new URL("../../component/", index ? index.src : document.baseURI);
const urls = {{ plotly: new URL("{plotly}", root).href }};
export default function (component) {{
  if (!window.__linregCode) {{
    const hint = Object.assign(document.createElement("link"),
                               {{ rel: "preload", as: "script", href: urls.plotly }});
    document.head.appendChild(hint);
  }}
  window.__linregCode = window.__linregCode || import(new URL("{code}", root).href)
    .catch((err) => {{ window.__linregCode = null; throw err; }});
  return window.__linregCode.then((m) => m.{entry}(component, urls));
}}
"""

TICKER_CSS = ".st-key-live_tick { display: none; }"


def served() -> dict[str, str]:
    """Let Streamlit serve web/ and plotly's package_data/ (each file once per page), and
    their URLs relative to Streamlit's component route, versioned so that a changed file is
    never taken from a cache. Registers once per session: the registry belongs to the
    runtime, and an AppTest runs a runtime of its own."""
    if not st.session_state.get(SERVED):
        declare_component("web", path=str(WEB))  # named after this module: {__name__}.web
        declare_component("plotly", path=str(PLOTLY_DIR))
        st.session_state[SERVED] = True
    return _urls()


@cache
def _urls() -> dict[str, str]:
    code = b"".join((WEB / name).read_bytes() for name in ("plot.js", "player.js"))
    return {
        "code": f"{__name__}.web/plot.js?v={hashlib.sha1(code).hexdigest()[:12]}",
        "plotly": f"{__name__}.plotly/plotly.min.js?v={get_plotlyjs_version()}",
    }


@cache
def _component(entry: str, css: str | None = None):
    urls = served()
    js = LOADER.format(entry=entry, **urls)
    return st.components.v2.component(f"linreg_{entry}", js=js, css=css, isolate_styles=False)


def ticker(running: bool, count: int, delay_ms: int = 30) -> None:
    """While `running`, the browser asks for the next update as soon as it has painted this
    one. Call it inside the fragment that draws the charts, after them; `count` must change
    with every update (the step number does), or the browser sees nothing new."""
    st.button("next update", key="live_tick")
    served()
    data = {"running": running, "count": count, "delay": delay_ms, "button": "live_tick"}
    _component("ticker", TICKER_CSS)(data=data, key="ticker", height=0)


def _page() -> str:
    """The page this run draws (its script's hash), or "" outside a script run."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(ctx, "page_script_hash", "") if ctx is not None else ""


def sent_to(key: str) -> dict:
    """What this session's chart `key` has been sent: {uid or image name: revision}."""
    book = st.session_state.setdefault(SENT, {})
    page = _page()
    if book.get(PAGE) != page:  # another page: every chart on it is a new element
        book.clear()
        book[PAGE] = page
    return book.setdefault(key, {})


def forget(key: str) -> None:
    """The browser lacks some of chart `key`'s static items: send them all next time."""
    st.session_state.setdefault(SENT, {}).pop(key, None)


def _once(item: dict, field: str, revisions: dict, sent: dict) -> dict:
    """`item` itself the first time its revision goes to this chart; a stub after that."""
    name = item.get(field)
    if name is None or name not in revisions:
        return item
    if sent.get(name) == revisions[name]:
        return {field: name, KEPT: True}
    sent[name] = revisions[name]
    return item


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

    `revisions` maps the uid of a static trace, or the name of a layout image, to its
    revision: each revision of each goes to the browser once (see the module's docstring).
    `between` holds the specs of the steps since the last update; when only moving traces
    differ, the browser plays them, one every `frame_ms`, before settling on `spec`.
    """
    revisions = revisions or {}
    served()
    sent = sent_to(key)
    layout = spec["layout"]
    if layout.get("images"):
        images = [_once(im, "name", revisions, sent) for im in layout["images"]]
        layout = {**layout, "images": images}
    body = {
        **spec,
        "data": [_once(t, "uid", revisions, sent) for t in spec["data"]],
        "layout": layout,
        "between": [[t for t in s["data"] if t.get("uid") not in revisions] for s in between or []],
    }
    payload = {
        "spec": pio.to_json(_rounded(body), validate=False, remove_uids=False),
        "frame_ms": frame_ms,
        "revisions": revisions,
        "config": CONFIG,
        "height": height,
        "key": key,
        "revision": revision,
    }
    _component("chart")(data=payload, key=key, height=height, on_missing_change=lambda: forget(key))
