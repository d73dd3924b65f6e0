"""P6: the live page in headless Chromium, against a `streamlit run app.py` this script starts.

    python bench/p6_browser.py [--loads 3] [--clicks 5] [--window 5]

Measured on /Fit_a_line at the default settings:

  load     page load (navigation start) -> all four charts drawn            goal <= 3 s
  step     Step click -> the Step metric and all four charts updated         goal <= 300 ms
  live     while running: how often the Step metric changes (server updates)
           and how often the fit chart's trace data changes (frames shown),
           per second over a --window of seconds                             goal >= 10 /s
  live 2-D the same with ?3d=false (no WebGL surface: Chromium renders WebGL in
           software here, without a GPU, so the 3-D chart is the expensive one)
  replay   frames per second of the in-browser Plotly replay                 goal >= 30 fps

How an update is detected, in the page (times from performance.now(), so the Python side's
polling adds nothing):
  * the Step metric: a MutationObserver on the document notes each change of the first
    [data-testid=stMetricValue]'s text;
  * a chart: Plotly's own events on its graph div. An update arrives either as Plotly.react
    (event 'plotly_afterplot') or, when only the moving traces changed, as Plotly.animate
    ('plotly_animatingframe' per frame drawn); the first of these after the click counts.
    The chart's `data-revision` attribute cannot be used: the app sends the same revision
    (0) with every update;
  * the fit chart's data, for the live rate: a requestAnimationFrame loop compares the
    last point of each moving trace (those without a uid), so it counts frames in which
    the fitted line was actually different.
  * the click: a capture-phase listener for *trusted* clicks (the app's own ticker
    component also dispatches synthetic clicks).

Baseline, measured in the same run: a bare Streamlit app (written to a temp dir) whose
fragment shows one st.metric and a Step button, with run_every=0.05 s for the tick rate. Its
load, click and tick rate are Streamlit's own round trips on this machine: the ceiling the
live page can reach. Ratios are baseline time / ours (for rates: ours / baseline).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from _common import ROOT, Row, finish, fmt_time

sys.path.insert(0, str(ROOT / "tests" / "browser"))
import harness  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

BARE_APP = """
import streamlit as st

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


panel()
"""

RECORDER = """
(() => {
  const rec = window.__p6 = { clicks: [], metric: [], events: {}, data: {} };
  const onClick = (e) => { if (e.isTrusted) rec.clicks.push(performance.now()); };
  document.addEventListener("click", onClick, true);
  const metric = () => document.querySelector("[data-testid=stMetricValue]")?.textContent;
  let shown = undefined;
  new MutationObserver(() => {
    const now = metric();
    if (now !== shown && now !== undefined) rec.metric.push([performance.now(), now]);
    shown = now;
  }).observe(document, { subtree: true, childList: true, characterData: true });
  const last = (a) => (a && a.length ? a[a.length - 1] : null);
  const moving = (g) => g.data.filter((t) => !t.uid)
    .map((t) => [t.x && t.x.length, last(t.x), last(t.y), last(t.z)].join(",")).join(";");
  const seen = {};
  const frame = (now) => {
    for (const g of document.querySelectorAll("div.linreg-plot.js-plotly-plot")) {
      const key = g.dataset.key;
      if (!g.__p6 && g.on) {
        g.__p6 = true;
        for (const name of ["plotly_afterplot", "plotly_animatingframe"])
          g.on(name, () => (rec.events[key] = rec.events[key] || []).push(performance.now()));
      }
      if (!g.data) continue;
      const sig = moving(g);
      if (sig !== seen[key]) (rec.data[key] = rec.data[key] || []).push(now);
      seen[key] = sig;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();
"""


def new_page(browser):
    context = browser.new_context(viewport=harness.VIEWPORT)
    context.set_default_timeout(120_000)
    page = context.new_page()
    harness.instrument(page)
    page.add_init_script(RECORDER)
    return page


def load_time(browser, url: str, charts: int) -> float:
    """Navigation start -> `charts` live charts drawn (or, with 0, the first metric shown)."""
    page = new_page(browser)
    page.goto(url)
    if charts:
        done = harness.wait_charts(page, charts, timeout=120_000)
    else:
        done = page.wait_for_function(
            "() => document.querySelector('[data-testid=stMetricValue]') && performance.now()"
        ).json_value()
    page.context.close()
    return done / 1000


def quiet(page, ms: int = 400) -> None:
    """Wait for the app to be idle and no chart to have drawn for `ms`."""
    harness.wait_idle(page)
    page.wait_for_function(
        "(ms) => { const t = Object.values(window.__p6.events).flat();"
        " return performance.now() - Math.max(0, ...t) > ms; }",
        arg=ms,
    )


def click_latency(page, charts: tuple[str, ...]) -> tuple[float, float, list[float]]:
    """Click Step once: seconds to the metric's change, to every chart's update, and to each
    chart's."""
    before = page.evaluate("window.__p6.clicks.length")
    runs = harness.runs(page)
    harness.button(page, "Step").click()
    got = page.wait_for_function(
        """([n, keys]) => {
          const r = window.__p6; if (r.clicks.length <= n) return false;
          const t0 = r.clicks[n];
          const m = r.metric.find((e) => e[0] > t0);
          const c = keys.map((k) => (r.events[k] || []).find((t) => t > t0));
          if (!m || c.some((t) => t === undefined)) return false;
          return [m[0] - t0, Math.max(m[0], ...c) - t0, c.map((t) => t - t0)];
        }""",
        arg=[before, list(charts)],
    ).json_value()
    harness.wait_idle(page, after=runs)
    return got[0] / 1000, got[1] / 1000, [t / 1000 for t in got[2]]


def live_rate(page, window: float, run: str = "▶ Run", pause: str | None = "⏸ Pause"):
    """Start the live run, skip its first update, then count over `window` seconds:
    (metric changes /s, fit-chart data changes /s, fit-chart draws /s, still running?)."""
    n = page.evaluate("window.__p6.metric.length")
    harness.button(page, run).click()
    page.wait_for_function("(n) => window.__p6.metric.length >= n + 2", arg=n)
    t0 = page.evaluate("performance.now()")
    page.wait_for_timeout(window * 1000)  # the measuring window itself
    t1 = page.evaluate("performance.now()")
    counts = page.evaluate(
        """([a, b]) => {
          const r = window.__p6, within = (t) => t > a && t <= b;
          return [r.metric.filter((e) => within(e[0])).length,
                  (r.data["chart.fit"] || []).filter(within).length,
                  (r.events["chart.fit"] || []).filter(within).length];
        }""",
        [t0, t1],
    )
    running = pause is not None and harness.button(page, pause).count() > 0
    if running:
        runs = harness.runs(page)
        harness.button(page, pause).click()
        harness.wait_idle(page, after=runs)
    seconds = (t1 - t0) / 1000
    return *(c / seconds for c in counts), running


def replay_fps(page) -> tuple[float, int, int]:
    """Play the replay: (frames per second, frames counted, script runs meanwhile)."""
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
    total = page.evaluate(
        "(sel) => { const g = document.querySelector(sel); window.__replay = [];"
        " window.__replayDone = false;"
        " g.on('plotly_animatingframe', () => window.__replay.push(performance.now()));"
        " g.on('plotly_animated', () => { window.__replayDone = true; });"
        " return ((g._transitionData && g._transitionData._frames) || []).length; }",
        sel,
    )
    quiet_runs = harness.runs(page)
    page.locator(f"{sel} .updatemenu-button").filter(has_text="Play").click()
    page.wait_for_function("() => window.__replayDone", timeout=120_000)
    times = page.evaluate("window.__replay")
    fps = (len(times) - 1) / ((times[-1] - times[0]) / 1000) if len(times) > 1 else 0.0
    assert len(times) >= total - 1, (len(times), total)
    return fps, len(times), harness.runs(page) - quiet_runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--loads", type=int, default=3, help="page loads to time (after one warm)")
    ap.add_argument("--clicks", type=int, default=5, help="Step clicks to time")
    ap.add_argument("--window", type=float, default=5.0, help="seconds to count live updates")
    a = ap.parse_args()
    print(f"P6 in headless Chromium {harness.CHROMIUM}; load average {os.getloadavg()}")
    tmp = Path(tempfile.mkdtemp(prefix="p6-"))
    ours, bare = harness.app_and_bare(tmp, BARE_APP)
    with ours, bare, sync_playwright() as p:
        browser = harness.launch(p)
        fit = f"{ours.url}/Fit_a_line"

        # -- load: one warm-up (imports, first landscape), then --loads fresh sessions
        first = load_time(browser, fit, 4)
        loads = [load_time(browser, fit, 4) for _ in range(a.loads)]
        load_time(browser, bare.url, 0)
        bare_loads = [load_time(browser, bare.url, 0) for _ in range(a.loads)]
        print(
            f"load -> 4 charts drawn: first session {first:.2f} s, then "
            f"{', '.join(f'{t:.2f}' for t in loads)} s; bare app -> metric: "
            f"{', '.join(f'{t:.2f}' for t in bare_loads)} s"
        )

        # -- Step click latency
        page = new_page(browser)
        page.goto(fit)
        harness.wait_idle(page)
        harness.wait_charts(page)
        quiet(page)
        clicks = []
        for _ in range(a.clicks):
            clicks.append(click_latency(page, harness.CHART_KEYS))
            quiet(page)
        bp = new_page(browser)
        bp.goto(bare.url)
        harness.wait_idle(bp)
        bare_clicks = []
        for _ in range(a.clicks):
            bare_clicks.append(click_latency(bp, ())[0])
            harness.wait_idle(bp)
        step_metric = statistics.median(c[0] for c in clicks)
        step_all = statistics.median(c[1] for c in clicks)
        bare_click = statistics.median(bare_clicks)
        each = ", ".join(
            f"{k} {statistics.median(c[2][i] for c in clicks) * 1e3:.0f}"
            for i, k in enumerate(harness.CHART_KEYS)
        )
        print(
            "Step click -> metric / all charts (ms): "
            + ", ".join(f"{m * 1e3:.0f}/{c * 1e3:.0f}" for m, c, _ in clicks)
            + f"; medians per chart: {each}"
            + f"; bare app click -> metric: {', '.join(f'{c * 1e3:.0f}' for c in bare_clicks)}"
        )

        # -- live rates, with and without the 3-D chart
        live = live_rate(page, a.window)
        page.context.close()
        flat = new_page(browser)
        flat.goto(fit + "?3d=false")
        harness.wait_idle(flat)
        harness.wait_charts(flat, 3)
        quiet(flat)
        live2d = live_rate(flat, a.window)
        flat.context.close()
        bp.goto(bare.url + "?tick=1")
        harness.wait_idle(bp)
        bp.wait_for_function("() => window.__p6.metric.length >= 3")
        t0 = bp.evaluate("performance.now()")
        bp.wait_for_timeout(a.window * 1000)
        ticks = bp.evaluate("(a) => window.__p6.metric.filter((e) => e[0] > a).length", t0)
        bare_rate = ticks / ((bp.evaluate("performance.now()") - t0) / 1000)
        bp.context.close()
        for name, (m, d, e, running) in (("3-D on", live), ("?3d=false", live2d)):
            print(
                f"live ({name}): Step metric {m:.1f}/s, fit chart data {d:.1f}/s, fit chart "
                f"draw events {e:.1f}/s" + ("" if running else "  (the run had stopped!)")
            )
        print(f"bare app, run_every=0.05: {bare_rate:.1f} metric updates/s")

        # -- replay: 200 steps recorded, 150 frames at 30 fps
        page = new_page(browser)
        page.goto(fit + "?k=200")
        harness.wait_idle(page)
        harness.wait_charts(page)
        runs = harness.runs(page)
        harness.button(page, "Step ×200").click()
        harness.wait_idle(page, after=runs)
        fps, frames, server_runs = replay_fps(page)
        page.context.close()
        print(f"replay: {frames} frames at {fps:.1f} fps; script runs meanwhile: {server_runs}")
        browser.close()

    period = lambda rate: 1 / rate if rate > 0 else float("inf")  # noqa: E731
    rows = [
        Row(
            "P6 load -> 4 charts drawn",
            statistics.median(loads),
            statistics.median(bare_loads),
            "<= 3 s",
            statistics.median(loads) <= 3,
            "bare app -> metric",
        ),
        Row(
            "P6 Step click -> 4 charts updated",
            step_all,
            bare_click,
            "<= 300 ms",
            step_all <= 0.3,
            "bare app click -> metric",
        ),
        Row(
            "P6 Step click -> Step metric",
            step_metric,
            bare_click,
            "(info)",
            None,
            "bare app click -> metric",
        ),
    ]
    for name, (m, d, _, _) in (("", live), (" ?3d=false", live2d)):
        rows += [
            Row(
                f"P6 live{name}: Step metric period",
                period(m),
                period(bare_rate),
                ">= 10/s",
                m >= 10,
                "bare run_every=0.05",
            ),
            Row(
                f"P6 live{name}: fit chart frame period",
                period(d),
                period(bare_rate),
                ">= 10/s",
                d >= 10,
                "bare run_every=0.05",
            ),
        ]
    rows.append(
        Row(
            "P6 replay frame period",
            period(fps),
            1 / 30,
            ">= 30 fps",
            fps >= 30,
            "the 30 fps asked for",
        )
    )
    print("\nRates as periods (1/rate); ratio = baseline / ours (for rates: ours / baseline).")
    print(
        f"  live: {live[0]:.1f} and {live[1]:.1f} /s, ?3d=false: {live2d[0]:.1f} and "
        f"{live2d[1]:.1f} /s, bare {bare_rate:.1f} /s; replay {fps:.1f} fps; "
        f"load {fmt_time(statistics.median(loads))}; step {fmt_time(step_all)}"
    )
    print(f"load average at the end {os.getloadavg()}")
    finish(rows)


if __name__ == "__main__":
    main()
