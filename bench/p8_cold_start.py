"""P8: cold start, from launching `streamlit run app.py` to the first chart drawn on
/Fit_a_line (goal <= 10 s here), and the landing page's first paint.

    python bench/p8_cold_start.py [--repeat 1]

Each start is a new server process (Python's bytecode caches and the OS file cache stay warm,
as they would on a redeploy of the same image). Chromium is started beforehand and not
counted. Two separate cold starts:

  fit      launch -> GET /_stcore/health says ok -> open /Fit_a_line -> the first live chart
           drawn (a Plotly graph div with its SVG) -> all four drawn
  landing  launch -> health ok -> open / -> its first paint and first contentful paint
           (the browser's paint timing, from navigation start) and its title shown

Baseline, same run: a cold start of a bare Streamlit app (one st.metric), launch -> the metric
shown: what Streamlit itself costs on this machine. Ratio = baseline time / ours.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, Row, finish

sys.path.insert(0, str(ROOT / "tests" / "browser"))
import harness  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

BARE_APP = 'import streamlit as st\n\nst.metric("Step", 0)\n'
PAINTS = (
    "() => Object.fromEntries(performance.getEntriesByType('paint')"
    ".map((e) => [e.name, e.startTime / 1000]))"
)


def fresh_page(browser):
    page = browser.new_context(viewport=harness.VIEWPORT).new_page()
    page.context.set_default_timeout(120_000)
    return page


def cold(
    browser,
    log: Path,
    path: str,
    ready,
    app: str = "app.py",
    cwd: Path = ROOT,
    args: tuple[str, ...] = (),
) -> dict[str, float]:
    """Launch a server, wait for health, open `path`; `ready(page, since)` adds its times."""
    server = harness.Server(log=log, app=app, cwd=cwd, args=args).start()
    try:
        times = {"health": server.wait_healthy(120)}
        page = fresh_page(browser)
        page.goto(server.url + path)
        times.update(ready(page, server.started_at))
        page.context.close()
        return times
    finally:
        server.stop()


def fit_ready(page, t0: float) -> dict[str, float]:
    harness.wait_charts(page, 1, timeout=120_000)
    first = time.perf_counter() - t0
    harness.wait_charts(page, len(harness.CHART_KEYS), timeout=120_000)
    return {"first chart": first, "all charts": time.perf_counter() - t0}


def landing_ready(page, t0: float) -> dict[str, float]:
    page.locator("[data-testid=stMain] h1").first.wait_for()  # the page's st.title
    shown = time.perf_counter() - t0
    page.wait_for_function("() => performance.getEntriesByType('paint').length >= 2")
    paints = page.evaluate(PAINTS)
    return {
        "title shown": shown,
        "first paint": paints.get("first-paint", float("nan")),
        "first contentful paint": paints.get("first-contentful-paint", float("nan")),
    }


def bare_ready(page, t0: float) -> dict[str, float]:
    page.wait_for_selector("[data-testid=stMetricValue]")
    shown = time.perf_counter() - t0
    page.wait_for_function("() => performance.getEntriesByType('paint').length >= 2")
    paints = page.evaluate(PAINTS)
    return {
        "metric shown": shown,
        "first contentful paint": paints.get("first-contentful-paint", float("nan")),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=1, help="cold starts of each kind")
    a = ap.parse_args()
    print(f"P8 cold start; load average {os.getloadavg()}")
    tmp = Path(tempfile.mkdtemp(prefix="p8-"))
    (tmp / "bare.py").write_text(BARE_APP)
    fits, landings, bares = [], [], []
    with sync_playwright() as p:
        browser = harness.launch(p)
        for i in range(a.repeat):
            bares.append(
                cold(
                    browser,
                    tmp / f"bare{i}.log",
                    "/",
                    bare_ready,
                    "bare.py",
                    tmp,
                    ("--browser.gatherUsageStats", "false"),
                )
            )
            fits.append(cold(browser, tmp / f"fit{i}.log", "/Fit_a_line", fit_ready))
            landings.append(cold(browser, tmp / f"landing{i}.log", "/", landing_ready))
        browser.close()

    def med(runs: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    for name, runs in (("fit", fits), ("landing", landings), ("bare app", bares)):
        for r in runs:
            print(f"{name}: " + ", ".join(f"{k} {v:.2f} s" for k, v in r.items()))
    print(
        "(health, first chart, title and metric: seconds since launch; paints: seconds "
        "since the page's navigation start)"
    )
    rows = [
        Row(
            "P8 launch -> first chart on /Fit_a_line",
            med(fits, "first chart"),
            med(bares, "metric shown"),
            "<= 10 s",
            med(fits, "first chart") <= 10,
            "bare app launch -> metric",
        ),
        Row(
            "P8 launch -> all 4 charts",
            med(fits, "all charts"),
            med(bares, "metric shown"),
            "(info)",
            None,
            "bare app launch -> metric",
        ),
        Row(
            "P8 launch -> health ok",
            med(fits, "health"),
            med(bares, "health"),
            "(info)",
            None,
            "bare app",
        ),
        Row(
            "P8 landing: first contentful paint",
            med(landings, "first contentful paint"),
            med(bares, "first contentful paint"),
            "(info)",
            None,
            "bare app",
        ),
        Row(
            "P8 landing: launch -> title shown",
            med(landings, "title shown"),
            med(bares, "metric shown"),
            "(info)",
            None,
            "bare app launch -> metric",
        ),
    ]
    print(f"load average at the end {os.getloadavg()}")
    finish(rows)


if __name__ == "__main__":
    main()
