"""P6: the live views in headless Chromium, against two baselines measured in the same run.

    python bench/p6_browser.py [--loads 3] [--clicks 12] [--window 5] [--trace trace.json]

Three subjects draw the same four views (data and fit, loss curve, 3-D surface, contour):

  ours    `streamlit run app.py`, /Fit_a_line at its defaults: the live chart component;
  bare    a bare Streamlit app with four `st.plotly_chart` charts from the same figure builders
          (a NumPy gradient descent on MSE, one step per click or per run_every=0.05 s tick);
  static  a static page with plotly.min.js animating the same four figures client-side, with
          no server at all. On every animation frame it moves the moving scatter traces with
          Plotly.animate (no redraw) where the layout stayed the same, else calls
          Plotly.react; the 3-D view is redrawn as soon as its last redraw is done. What the
          browser alone can draw.

Measured:

  load     navigation start -> first chart drawn, -> all four drawn (a fresh context each)
  step     Step click -> every chart's data changed: median and p95, and the first Step after
           loading on its own (the 3-D view's first redraw; issue 13 item 5)
  live     while running, per second: server updates (the Step metric's changes) and frames shown
           of each chart (its moving traces' data changed, seen by requestAnimationFrame);
           Chromium's CPU (all its processes, from /proc) per frame of the fit chart
  bytes    websocket bytes received per Step (the four charts' updates)
  replay   frames per second of the replay in the page and of the exported HTML page (played by
           the figure's own Play button), against Plotly's own player on the same frames
  trace    (--trace PATH) a Chromium trace of one load of ours, saved and summarised

How a chart counts as drawn or updated: a requestAnimationFrame loop in the page looks at every
Plotly graph div (`.js-plotly-plot`): drawn once it has `_fullLayout` and its SVG; updated when
the last point of its moving traces (those without a `uid`) changes. The same probe works for
our component, for `st.plotly_chart` and for the static page. Clicks count only when trusted
(the app's own ticker dispatches synthetic ones). Times are the page's performance.now().

Ratios are baseline / ours for times and ours / baseline for rates (printed as periods).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import plotly
from _common import ROOT, Row, finish

sys.path.insert(0, str(ROOT / "tests" / "browser"))
import harness  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
KEYS = ("fit", "loss", "surface", "contour")

# The four views of one run, from linreg's own figure builders; imported by the bare app and by
# this script (which writes the static page from it).
SCENE = '''
"""Four views of a NumPy gradient descent on MSE, built by linreg's figure builders."""
import numpy as np

from linreg.figures import contour_figure, fit_figure, loss_figure, surface_figure
from linreg.figures.contour import backdrop

STEPS = 150
rng = np.random.default_rng(0)
x = rng.uniform(0, 1, 100)
y = 0.5 * x + 0.4 + 0.1 * rng.standard_normal(100)
xtr, ytr, xte, yte = x[:80], y[:80], x[80:], y[80:]
W, B = np.linspace(-0.7, 1.0, 61), np.linspace(0.05, 0.9, 61)
GW, GB = np.meshgrid(W, B)
LOSS = np.mean((GW[..., None] * xtr + GB[..., None] - ytr) ** 2, axis=-1)
BACK = backdrop(W, B, LOSS, "MSE")
i = np.unravel_index(np.argmin(LOSS), LOSS.shape)
MIN, MIN_LOSS = np.array([W[i[1]], B[i[0]]]), float(LOSS[i])


def losses(p, xs, ys):
    return float(np.mean((p[0] * xs + p[1] - ys) ** 2))


P, G = [np.array([-0.5, 0.8])], []
for _ in range(STEPS):
    r = P[-1][0] * xtr + P[-1][1] - ytr
    G.append(np.array([2 * np.mean(r * xtr), 2 * np.mean(r)]))
    P.append(P[-1] - 0.5 * G[-1])
P, G = np.array(P[:STEPS]), np.array(G)
TRAIN = np.array([losses(p, xtr, ytr) for p in P])
TEST = np.array([losses(p, xte, yte) for p in P])


def figures(t: int) -> dict:
    """The four figure specs at step t."""
    surface = surface_figure(W[::2], B[::2], LOSS[::2, ::2], P[: t + 1], TRAIN[: t + 1], P[t],
                             TRAIN[t], MIN, MIN_LOSS)
    surface["data"][0]["uid"] = "loss-surface"
    return {
        "fit": fit_figure(xtr, ytr, xte, yte, *P[t], (0.5, 0.4)),
        "loss": loss_figure(np.arange(t + 1), TRAIN[: t + 1], TEST[: t + 1], t),
        "surface": surface,
        "contour": contour_figure(W, B, BACK, P[: t + 1], P[t], G[t],
                                  P[t] - P[t - 1] if t else None, P[t - 1] if t else None,
                                  None, P[0], (0.5, 0.4), MIN, "MSE"),
    }
'''

BARE_APP = """
import sys

sys.path[:0] = [{root!r}, {here!r}]
import streamlit as st
from scene4 import STEPS, figures

tick = st.query_params.get("tick") == "1"
st.session_state.setdefault("n", 0)


def bump():
    st.session_state.n += 1


@st.fragment(run_every=0.05 if tick else None)
def panel():
    if tick:
        st.session_state.n += 1
    st.button("Step", on_click=bump)
    st.metric("Step", st.session_state.n)
    specs = figures(st.session_state.n % STEPS)
    for row in (("fit", "loss"), ("surface", "contour")):
        for col, key in zip(st.columns(2), row):
            with col:
                st.plotly_chart(specs[key], key="chart_" + key)


panel()
"""

STATIC_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><script src="{plotly}"></script>
<style>body {{ font-family: sans-serif; margin: 16px; }}
.grid {{ display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }}</style></head>
<body><button id="step">Step</button> step <span data-testid="stMetricValue">0</span>
<div class="grid">{divs}</div>
<script>const SCENE = {scene};</script>
<script>
// Every chart's spec at step t: its static traces (those with a uid) stay the same objects.
const charts = Object.entries(SCENE).map(([key, steps]) => {{
  const statics = {{}};
  for (const t of steps[0].data) if (t.uid) statics[t.uid] = t;
  const div = document.querySelector(`[data-key="${{key}}"]`);
  const gl = steps[0].data.some((t) => t.type === "surface");
  return {{ key, steps, statics, div, gl, layout: null }};
}});
const config = {{ displaylogo: false, responsive: true }};
function spec(c, t) {{
  const s = c.steps[t];
  if (s.layout) c.layout = s.layout;
  const data = s.data.map((tr) => (tr.uid ? c.statics[tr.uid] : tr));
  return {{ data, layout: c.layout, config }};
}}
let t = 0;
const still = {{ frame: {{ duration: 0, redraw: false }}, transition: {{ duration: 0 }},
                mode: "immediate" }};
const shape = (s) => s.data.map((tr) => tr.uid || tr.type).join();
function draw() {{
  for (const c of charts) {{
    if (c.gl) {{
      if (c.busy) c.pending = true;
      else redraw3d(c);
      continue;
    }}
    // Same layout, same traces: move the moving ones without a redraw; else Plotly.react.
    const s = c.steps[t];
    const moving = s.data.map((tr, i) => i).filter((i) => !s.data[i].uid);
    if (!s.layout && c.shape === shape(s)) {{
      Plotly.animate(c.div, {{ data: moving.map((i) => s.data[i]), traces: moving }}, still);
    }} else Plotly.react(c.div, spec(c, t));
    c.shape = shape(s);
  }}
}}
// The 3-D view in a task of its own, and again only once its last redraw is done.
function redraw3d(c) {{
  c.busy = true;
  c.pending = false;
  setTimeout(() => Plotly.react(c.div, spec(c, t)).then(() => {{
    c.busy = false;
    if (c.pending) redraw3d(c);
  }}));
}}
window.step = () => {{
  t = (t + 1) % {steps};
  document.querySelector("[data-testid=stMetricValue]").textContent = t;
  draw();
}};
document.getElementById("step").onclick = window.step;
Promise.all(charts.map((c) => Plotly.newPlot(c.div, spec(c, 0)))).then(() => {{
  if (location.hash === "#live") {{
    const loop = () => {{ window.step(); requestAnimationFrame(loop); }};
    requestAnimationFrame(loop);
  }}
}});
</script></body></html>
"""

RECORDER = """
(() => {
  const rec = window.__p6 = { clicks: [], metric: [], data: {}, drawn: {}, ws: [] };
  const onClick = (e) => { if (e.isTrusted) rec.clicks.push(performance.now()); };
  document.addEventListener("click", onClick, true);
  const Socket = window.WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => rec.ws.push(
        [performance.now(), e.data.byteLength ?? e.data.size ?? e.data.length]));
    }
  };
  const metric = () => document.querySelector("[data-testid=stMetricValue]")?.textContent;
  let shown;
  new MutationObserver(() => {
    const now = metric();
    if (now !== shown && now !== undefined) rec.metric.push([performance.now(), now]);
    shown = now;
  }).observe(document, { subtree: true, childList: true, characterData: true });
  // Python's plotly sends NumPy arrays as {dtype, bdata}, which stay so in gd.data.
  const last = (a) => (!a ? null : a.bdata ? a.bdata.length + a.bdata.slice(-12)
    : a.length ? a[a.length - 1] : null);
  const size = (a) => (!a ? 0 : a.bdata ? a.bdata.length : a.length);
  const moving = (g) => g.data.filter((t) => !t.uid)
    .map((t) => [size(t.x), last(t.x), last(t.y), last(t.z)].join(",")).join(";");
  const name = (g) => {
    const box = g.closest('[class*="st-key-"]');
    const k = g.dataset.key
      || [...(box ? box.classList : [])].find((c) => c.startsWith("st-key-"))?.slice(7) || "?";
    return k.replace(/^chart[._-]/, "");
  };
  const seen = {};
  const frame = () => {
    const now = performance.now(); // not the frame's start time, which a long task makes stale
    // A chart may briefly have two graph divs (st.plotly_chart remounting): one signature each.
    const sigs = {};
    for (const g of document.querySelectorAll(".js-plotly-plot")) {
      if (!g._fullLayout || !g.data || !g.querySelector(".main-svg")) continue;
      const key = name(g);
      if (rec.drawn[key] === undefined) rec.drawn[key] = now;
      sigs[key] = (sigs[key] || "") + "|" + moving(g);
    }
    for (const [key, sig] of Object.entries(sigs)) {
      if (sig !== seen[key]) (rec.data[key] = rec.data[key] || []).push(now);
      seen[key] = sig;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();
"""


# ---- Chromium's CPU time, from /proc -----------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> tuple[int, float] | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK  # ppid, utime + stime


def chromium_cpu(marker: str) -> float:
    """CPU seconds used so far by the Chromium launched with `marker` and all its children."""
    procs = {p: s for p in os.listdir("/proc") if p.isdigit() and (s := _stat(p))}
    roots = set()
    for pid in procs:
        try:
            if marker in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                roots.add(int(pid))
        except OSError:
            pass
    family, grew = set(roots), True
    while grew:
        grew = False
        for pid, (ppid, _) in procs.items():
            if ppid in family and int(pid) not in family:
                family.add(int(pid))
                grew = True
    return sum(procs[str(p)][1] for p in family if str(p) in procs)


# ---- the page probes ---------------------------------------------------------------------------


def new_page(browser):
    context = browser.new_context(viewport=harness.VIEWPORT, accept_downloads=True)
    context.set_default_timeout(120_000)
    page = context.new_page()
    harness.instrument(page)
    page.add_init_script(RECORDER)
    return page


def wait_drawn(page, count: int = 4) -> tuple[float, float]:
    """Wait until `count` charts are drawn: (first drawn, last drawn), ms since navigation."""
    return tuple(
        page.wait_for_function(
            "(n) => { const t = Object.values(window.__p6.drawn);"
            " return t.length >= n && [Math.min(...t), Math.max(...t)]; }",
            arg=count,
        ).json_value()
    )


def load_times(browser, url: str, count: int = 4) -> tuple[float, float]:
    """A fresh context opens `url`: seconds to the first chart drawn and to all drawn."""
    page = new_page(browser)
    page.goto(url)
    first, last = wait_drawn(page, count)
    page.context.close()
    return first / 1000, last / 1000


def quiet(page, ms: int = 500, server: bool = True) -> None:
    """Wait for the app to be idle and no chart's data to have changed for `ms`."""
    if server:
        harness.wait_idle(page)
    page.wait_for_function(
        "(ms) => { const t = Object.values(window.__p6.data).flat();"
        " return performance.now() - Math.max(0, ...t) > ms; }",
        arg=ms,
    )


def click_step(page, keys=KEYS, server: bool = True) -> tuple[float, dict, int]:
    """Click Step once: (seconds to every chart's data changed, per chart, websocket bytes)."""
    before = page.evaluate("window.__p6.clicks.length")
    runs = harness.runs(page) if server else 0
    harness.button(page, "Step").click()
    got = page.wait_for_function(
        """([n, keys]) => {
          const r = window.__p6; if (r.clicks.length <= n) return false;
          const t0 = r.clicks[n];
          const c = keys.map((k) => (r.data[k] || []).find((t) => t > t0));
          if (c.some((t) => t === undefined)) return false;
          return [Math.max(...c) - t0, c.map((t) => t - t0), t0];
        }""",
        arg=[before, list(keys)],
    ).json_value()
    if server:
        harness.wait_idle(page, after=runs)
    quiet(page, server=server)
    sent = page.evaluate(
        "(t0) => window.__p6.ws.filter((m) => m[0] > t0).reduce((s, m) => s + m[1], 0)", got[2]
    )
    return got[0] / 1000, dict(zip(keys, (t / 1000 for t in got[1]), strict=True)), sent


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def steps_of(page, clicks: int, server: bool = True) -> dict:
    """The first Step after loading, then `clicks` more, each from a quiet page."""
    first = click_step(page, server=server)
    rest = [click_step(page, server=server) for _ in range(clicks)]
    times = [r[0] for r in rest]
    return {
        "first": first[0],
        "median": statistics.median(times),
        "p95": p95(times),
        "each": {k: statistics.median(r[1][k] for r in rest) for k in KEYS},
        "bytes": statistics.median(r[2] for r in rest),
    }


def live_window(page, window: float, marker: str, start=None, stop=None) -> dict:
    """Run `start`, wait two server updates, then count over `window` seconds: server updates
    per second, frames per second of each chart, Chromium's CPU per fit-chart frame."""
    n = page.evaluate("window.__p6.metric.length")
    if start:
        start()
    page.wait_for_function("(n) => window.__p6.metric.length >= n + 2", arg=n)
    cpu0, t0 = chromium_cpu(marker), page.evaluate("performance.now()")
    page.wait_for_timeout(window * 1000)  # the measuring window itself
    cpu1, t1 = chromium_cpu(marker), page.evaluate("performance.now()")
    counts = page.evaluate(
        """([a, b]) => {
          const r = window.__p6, within = (t) => t > a && t <= b, out = {};
          out.metric = r.metric.filter((e) => within(e[0])).length;
          for (const k of Object.keys(r.data)) out[k] = r.data[k].filter(within).length;
          out.bytes = r.ws.filter((m) => within(m[0])).reduce((s, m) => s + m[1], 0);
          return out;
        }""",
        [t0, t1],
    )
    running = stop() if stop else True
    seconds = (t1 - t0) / 1000
    rates = {k: counts.get(k, 0) / seconds for k in ("metric", *KEYS)}
    frames = counts.get("fit", 0)
    return {
        **rates,
        "cpu_per_frame": (cpu1 - cpu0) / frames if frames else float("inf"),
        "cpu_share": (cpu1 - cpu0) / seconds,
        "bytes_per_s": counts["bytes"] / seconds,
        "running": running,
    }


def ours_live(browser, url: str, window: float, marker: str, charts: int) -> dict:
    page = new_page(browser)
    page.goto(url)
    harness.wait_idle(page)
    wait_drawn(page, charts)
    quiet(page)

    def stop() -> bool:
        running = harness.button(page, "⏸ Pause").count() > 0
        if running:
            runs = harness.runs(page)
            harness.button(page, "⏸ Pause").click()
            harness.wait_idle(page, after=runs)
        return running

    got = live_window(page, window, marker, lambda: harness.button(page, "▶ Run").click(), stop)
    page.context.close()
    return got


# ---- replay ------------------------------------------------------------------------------------

# Plays a replay figure by its own Play button and records each frame drawn. Done when the
# slider stands on the last frame and no frame came for 400 ms, whichever player drew them.
PLAY = """
(sel) => new Promise((done) => {
  const g = document.querySelector(sel), times = [];
  const total = ((g._transitionData && g._transitionData._frames) || []).length;
  g.on("plotly_animatingframe", () => times.push(performance.now()));
  const check = () => {
    const end = g._fullLayout.sliders[0].active >= total - 1;
    if (times.length && end && performance.now() - times[times.length - 1] > 400)
      done([times, total]);
    else setTimeout(check, 100);
  };
  setTimeout(check, 100);
  [...g.querySelectorAll(".updatemenu-button")].find((b) => b.textContent.includes("Play"))
    .dispatchEvent(new MouseEvent("click", { bubbles: true }));
})
"""

# Plotly's own player on the same frames, at the Play button's frame duration (what the Play
# button did before the page had a player of its own).
PLOTLY_PLAYER = """
(sel) => new Promise((done) => {
  const g = document.querySelector(sel), times = [];
  const frames = g._transitionData._frames.map((f) => f.name);
  const ms = g.layout.updatemenus[0].buttons[0].args[1].frame.duration;
  g.on("plotly_animatingframe", () => times.push(performance.now()));
  Plotly.animate(g, [frames[0]], { frame: { duration: 0, redraw: false }, mode: "immediate",
                                   transition: { duration: 0 } })
    .then(() => Plotly.animate(g, frames.slice(1), {
      frame: { duration: ms, redraw: false }, mode: "immediate", transition: { duration: 0 } }))
    .then(() => done([times, frames.length]));
})
"""


def fps_of(result) -> tuple[float, int]:
    times, total = result
    assert len(times) >= 2, f"the replay drew {len(times)} frames of {total}"
    return (len(times) - 1) / ((times[-1] - times[0]) / 1000), len(times)


def replays(browser, fit: str, tmp: Path) -> dict:
    """200 steps recorded; the replay in the page, then the exported page and its baseline."""
    page = new_page(browser)
    page.goto(fit + "?k=200")
    harness.wait_idle(page)
    wait_drawn(page)
    runs = harness.runs(page)
    harness.button(page, "Step ×200").click()
    harness.wait_idle(page, after=runs)
    runs = harness.runs(page)
    page.get_by_text("Replay the recorded run in the browser").click()
    harness.wait_idle(page, after=runs)
    sel = harness.chart("chart.replay")
    page.wait_for_function(
        "(sel) => { const g = document.querySelector(sel);"
        " return g && g._fullLayout && g.querySelector('.updatemenu-button'); }",
        arg=sel,
    )
    page.locator(sel).scroll_into_view_if_needed()
    quiet_runs = harness.runs(page)
    in_page, frames = fps_of(page.evaluate(PLAY, sel))
    server_runs = harness.runs(page) - quiet_runs

    page.get_by_text("Export this run").click()
    with page.expect_download() as download:
        harness.button(page, "Animated page (HTML)").click()
    html = tmp / "replay.html"
    download.value.save_as(html)
    page.context.close()

    out = {"page": in_page, "frames": frames, "server_runs": server_runs}
    for name, script in (("export", PLAY), ("plotly", PLOTLY_PLAYER)):
        page = new_page(browser)
        page.goto(html.as_uri())
        page.wait_for_function("() => document.querySelector('.js-plotly-plot .updatemenu-button')")
        out[name] = fps_of(page.evaluate(script, ".js-plotly-plot"))[0]
        page.context.close()
    out["export_bytes"] = html.stat().st_size
    return out


# ---- the static page ---------------------------------------------------------------------------


def write_static_page(tmp: Path) -> Path:
    """The static page: for each chart, each step's data (static traces by uid only after the
    first step) and its layout whenever it changed."""
    from plotly.io.json import to_json_plotly  # NumPy arrays, and NaN as null

    sys.path.insert(0, str(tmp))
    import scene4

    scene = {k: [] for k in KEYS}
    last = {}
    for t in range(scene4.STEPS):
        for key, spec in scene4.figures(t).items():
            layout = to_json_plotly(spec["layout"])
            data = [{"uid": d["uid"]} if t and d.get("uid") else d for d in spec["data"]]
            scene[key].append(
                {"data": data, "layout": spec["layout"] if layout != last.get(key) else None}
            )
            last[key] = layout
    divs = "".join(f'<div class="chart" data-key="{k}"></div>' for k in KEYS)
    page = tmp / "static.html"
    page.write_text(
        STATIC_PAGE.format(
            plotly=PLOTLY_JS.as_uri(),
            divs=divs,
            steps=scene4.STEPS,
            scene=to_json_plotly(scene),
        )
    )
    return page


# ---- the trace of one load ---------------------------------------------------------------------


def trace_load(browser, url: str, path: Path) -> None:
    """One load of `url` (fresh context) under Chromium's tracing; print where the time went."""
    page = new_page(browser)
    browser.start_tracing(
        page=page,
        path=str(path),
        categories=[
            "devtools.timeline",
            "v8.execute",
            "toplevel",
            "blink.user_timing",
            "loading",
        ],
    )
    page.goto(url)
    harness.wait_idle(page)
    drawn = wait_drawn(page)
    page.wait_for_timeout(300)
    probe = page.evaluate(
        """() => ({ drawn: window.__p6.drawn, ws: window.__p6.ws,
          resources: performance.getEntriesByType("resource")
            .filter((r) => r.transferSize > 20000 || r.duration > 100
                           || /plotly|component[/]/i.test(r.name))
            .map((r) => [r.name.split("/").slice(-2).join("/"), Math.round(r.startTime),
                         Math.round(r.responseEnd), r.transferSize, r.decodedBodySize]),
          marks: performance.getEntriesByType("mark").map((m) => [m.name, Math.round(m.startTime)]),
          nav: performance.getEntriesByType("navigation").map((n) =>
            [Math.round(n.responseEnd), Math.round(n.domContentLoadedEventEnd),
             Math.round(n.loadEventEnd)])[0] })"""
    )
    browser.stop_tracing()
    page.context.close()
    summarise_trace(path, probe, drawn)


TASKS = ("RunTask", "ThreadControllerImpl::RunTask")  # a main-thread task, top level
NOISE = (
    *TASKS,
    "V8.StackGuard",
    "V8.HandleInterrupts",
    "V8.BytecodeBudgetInterrupt",
    "V8.BytecodeBudgetInterruptWithStackCheck",
    "Receive mojo message",
)


def summarise_trace(path: Path, probe: dict, drawn) -> None:
    events = json.loads(path.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    names = {
        (e["pid"], e["tid"]): e["args"]["name"]
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name"
    }
    start = [
        e["ts"]
        for e in events
        if e.get("name") == "navigationStart"
        and "Fit_a_line" in e.get("args", {}).get("data", {}).get("documentLoaderURL", "")
    ]
    main = [k for k, v in names.items() if v == "CrRendererMain"]
    busiest = max(main, key=lambda k: sum(1 for e in events if (e["pid"], e["tid"]) == k))
    t0 = max(start) if start else min(e["ts"] for e in events if e.get("ts"))
    mine = [e for e in events if (e.get("pid"), e.get("tid")) == busiest and e.get("ph") == "X"]
    tasks = sorted(
        (e for e in mine if e["name"] in TASKS and e.get("dur", 0) > 30_000),
        key=lambda e: e["ts"],
    )

    def inside(task):
        end = task["ts"] + task["dur"]
        return [e for e in mine if task["ts"] <= e["ts"] <= end and e is not task]

    def label(e):
        d = e.get("args", {}).get("data", {}) or {}
        url = (d.get("url") or d.get("fileName") or "").split("/")[-1][:40]
        return f"{e['name']}{' ' + url if url else ''}"

    print(f"\nTrace of one load (saved to {path}); ms since navigation start:")
    print(f"  navigation: response end, DOMContentLoaded, load = {probe['nav']}")
    for name, begin, end, size, body in probe["resources"]:
        print(
            f"  fetched {name}: {begin} -> {end} ms, {size / 1e3:.0f} kB on the wire, "
            f"{body / 1e3:.0f} kB"
        )
    ws = probe["ws"]
    if ws:
        big = [m for m in ws if m[1] > 5000]
        print(
            f"  websocket: first message at {ws[0][0]:.0f} ms; {len(ws)} messages, "
            f"{sum(m[1] for m in ws) / 1e3:.0f} kB; the big ones (time, kB): "
            + ", ".join(f"{t:.0f} {b / 1e3:.0f}" for t, b in big[:12])
        )
    print(
        "  marks (Streamlit's script state, our component's): "
        + ", ".join(f"{name} {t}" for name, t in probe["marks"])
    )
    print(
        "  charts drawn: "
        + ", ".join(f"{k} {v:.0f}" for k, v in sorted(probe["drawn"].items(), key=lambda kv: kv[1]))
    )
    print("  main-thread tasks over 30 ms (start, duration, the longest pieces inside):")
    for task in tasks:
        parts = sorted(inside(task), key=lambda e: -e.get("dur", 0))
        top, seen = [], set()
        for e in parts:
            name = label(e)
            if name in seen or e.get("dur", 0) < 0.2 * task["dur"] or e["name"] in NOISE:
                continue
            seen.add(name)
            top.append(f"{name} {e['dur'] / 1e3:.0f}")
            if len(top) == 3:
                break
        print(f"    {(task['ts'] - t0) / 1e3:7.0f} {task['dur'] / 1e3:6.0f}  " + "; ".join(top))
    end = t0 + drawn[1] * 1000
    busy = sum(e["dur"] for e in mine if e["name"] in TASKS and t0 <= e["ts"] <= end)
    print(f"  main thread busy {busy / 1e3:.0f} ms of the {drawn[1]:.0f} ms to the last chart")


# ---- main --------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--loads", type=int, default=3, help="page loads to time (after one warm)")
    ap.add_argument("--clicks", type=int, default=12, help="Step clicks to time")
    ap.add_argument("--window", type=float, default=5.0, help="seconds to count live updates")
    ap.add_argument("--trace", type=Path, help="save a Chromium trace of one load here")
    a = ap.parse_args()
    print(f"P6 in headless Chromium {harness.CHROMIUM}; load average {os.getloadavg()}")
    tmp = Path(tempfile.mkdtemp(prefix="p6-"))
    (tmp / "scene4.py").write_text(SCENE)
    bare_app = BARE_APP.format(root=str(ROOT), here=str(tmp))
    static = write_static_page(tmp).as_uri()
    marker = f"--p6-bench={uuid.uuid4().hex}"  # finds this Chromium's processes in /proc
    ours, bare = harness.app_and_bare(tmp, bare_app)
    r = {}
    with ours, bare, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=harness.CHROMIUM, args=[*harness.CHROMIUM_ARGS, marker]
        )
        fit = f"{ours.url}/Fit_a_line"

        # -- load: one warm-up each (imports, first landscape), then --loads fresh contexts
        for name, url in (("ours", fit), ("bare", bare.url), ("static", static)):
            load_times(browser, url)
            r[f"load {name}"] = [load_times(browser, url) for _ in range(a.loads)]
            print(
                f"load {name}: first chart / all four (s): "
                + ", ".join(f"{f:.2f}/{la:.2f}" for f, la in r[f"load {name}"])
            )
        if a.trace:
            trace_load(browser, fit, a.trace)

        # -- Step: the first one after loading, then --clicks from a quiet page
        for name, url, server in (
            ("ours", fit, True),
            ("bare", bare.url, True),
            ("static", static, False),
        ):
            page = new_page(browser)
            page.goto(url)
            if server:
                harness.wait_idle(page)
            wait_drawn(page)
            r[f"step {name}"] = s = steps_of(page, a.clicks, server)
            page.context.close()
            print(
                f"step {name}: first after load {s['first'] * 1e3:.0f} ms; then median "
                f"{s['median'] * 1e3:.0f}, p95 {s['p95'] * 1e3:.0f} ms; per chart "
                + ", ".join(f"{k} {v * 1e3:.0f}" for k, v in s["each"].items())
                + f"; websocket {s['bytes'] / 1e3:.1f} kB per Step"
            )

        # -- live
        r["live ours"] = ours_live(browser, fit, a.window, marker, 4)
        r["live ours 2-D"] = ours_live(browser, fit + "?3d=false", a.window, marker, 3)
        page = new_page(browser)
        page.goto(bare.url + "?tick=1")
        wait_drawn(page)  # (never idle: run_every keeps it running)
        r["live bare"] = live_window(page, a.window, marker)
        page.context.close()
        page = new_page(browser)
        page.goto(static + "#live")
        wait_drawn(page)
        r["live static"] = live_window(page, a.window, marker)
        page.context.close()
        for name in ("ours", "ours 2-D", "bare", "static"):
            v = r[f"live {name}"]
            print(
                f"live {name}: server updates {v['metric']:.1f}/s; frames/s "
                + ", ".join(f"{k} {v[k]:.1f}" for k in KEYS)
                + f"; Chromium CPU {v['cpu_per_frame'] * 1e3:.0f} ms per fit frame "
                f"({v['cpu_share']:.2f} cores); websocket {v['bytes_per_s'] / 1e3:.0f} kB/s"
                + ("" if v["running"] else "  (the run had stopped!)")
            )

        # -- replay
        r["replay"] = rp = replays(browser, fit, tmp)
        print(
            f"replay: {rp['frames']} frames, in the page {rp['page']:.1f} fps (script runs "
            f"meanwhile: {rp['server_runs']}); exported page {rp['export']:.1f} fps "
            f"({rp['export_bytes'] / 1e6:.1f} MB); Plotly's own player on it "
            f"{rp['plotly']:.1f} fps"
        )
        browser.close()

    def med(name, i):
        return statistics.median(x[i] for x in r[f"load {name}"])

    def period(rate):
        return 1 / rate if rate > 0 else float("inf")

    so, sb, ss = r["step ours"], r["step bare"], r["step static"]
    lo, l2, lb, ls = (r[f"live {n}"] for n in ("ours", "ours 2-D", "bare", "static"))
    rp = r["replay"]
    rows = [
        Row(
            "P6 load -> first chart",
            med("ours", 0),
            med("bare", 0),
            "(info)",
            None,
            "bare st.plotly_chart",
        ),
        Row(
            "P6 load -> first chart (vs static page)",
            med("ours", 0),
            med("static", 0),
            "(info)",
            None,
            "static page",
        ),
        Row(
            "P6 load -> 4 charts drawn",
            med("ours", 1),
            med("bare", 1),
            "<= 3 s",
            med("ours", 1) <= 3,
            "bare st.plotly_chart",
        ),
        Row(
            "P6 load -> 4 charts (vs static page)",
            med("ours", 1),
            med("static", 1),
            "(info)",
            None,
            "static page",
        ),
        Row(
            "P6 first Step after load -> 4 charts",
            so["first"],
            sb["first"],
            "<= 150 ms",
            so["first"] <= 0.15,
            "bare st.plotly_chart",
        ),
        Row(
            "P6 Step -> 4 charts, median",
            so["median"],
            sb["median"],
            "<= 150 ms",
            so["median"] <= 0.15,
            "bare st.plotly_chart",
        ),
        Row(
            "P6 Step -> 4 charts, p95", so["p95"], sb["p95"], "(info)", None, "bare st.plotly_chart"
        ),
        Row(
            "P6 Step -> 4 charts, median (vs static)",
            so["median"],
            ss["median"],
            "(info)",
            None,
            "static page, no server",
        ),
        Row(
            "P6 live: fit chart frame period",
            period(lo["fit"]),
            period(lb["fit"]),
            ">= 30/s",
            lo["fit"] >= 30,
            "bare run_every=0.05",
        ),
        Row(
            "P6 live: fit chart frame period (vs static)",
            period(lo["fit"]),
            period(ls["fit"]),
            "(info)",
            None,
            "static page",
        ),
        Row(
            "P6 live: server update period",
            period(lo["metric"]),
            period(lb["metric"]),
            ">= 10/s",
            lo["metric"] >= 10,
            "bare run_every=0.05",
        ),
        Row(
            "P6 live ?3d=false: fit chart frame period",
            period(l2["fit"]),
            period(lb["fit"]),
            ">= 30/s",
            l2["fit"] >= 30,
            "bare run_every=0.05",
        ),
        Row(
            "P6 live: Chromium CPU per fit frame",
            lo["cpu_per_frame"],
            lb["cpu_per_frame"],
            "(info)",
            None,
            "bare run_every=0.05",
        ),
        Row(
            "P6 live: Chromium CPU per fit frame (vs static)",
            lo["cpu_per_frame"],
            ls["cpu_per_frame"],
            "(info)",
            None,
            "static page",
        ),
        Row(
            "P6 replay in the page: frame period",
            period(rp["page"]),
            period(rp["plotly"]),
            ">= 30 fps",
            rp["page"] >= 30,
            "Plotly's player, same frames",
        ),
        Row(
            "P6 replay, exported page: frame period",
            period(rp["export"]),
            period(rp["plotly"]),
            ">= 30 fps",
            rp["export"] >= 30,
            "Plotly's player, same frames",
        ),
    ]
    print(
        f"\nload average at the end {os.getloadavg()}; "
        f"{time.strftime('%H:%M:%S')}; websocket per Step: ours {so['bytes'] / 1e3:.1f} kB, "
        f"bare {sb['bytes'] / 1e3:.1f} kB"
    )
    finish(rows)


if __name__ == "__main__":
    main()
