"""Memory: the server's resident memory after every page has been opened once in the browser,
and after a live run of 300 steps. Goal: under Streamlit Community Cloud's smallest tier,
690 MB.

    python bench/memory.py

RSS is VmRSS from /proc/<pid>/status, summed over the `streamlit run app.py` process and all
its descendants (a sum counts pages the processes share once per process: an upper bound).
The peak (VmHWM) of the server process is reported too. The pages are those listed in
linreg.ui.page.PAGES, each opened in its own tab and kept open (one live session each), the
live page with ?max=300&stop=false so that its Run stops by itself at step 300.

Baseline, same run: a bare Streamlit app (one st.metric) after its page is opened: the memory
of Streamlit itself. Ratio = ours / baseline.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from _common import ROOT

sys.path.insert(0, str(ROOT / "tests" / "browser"))
import harness  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from linreg.ui.page import PAGES  # noqa: E402

GOAL_MB = 690
STEPS = 300
BARE_APP = 'import streamlit as st\n\nst.metric("Step", 0)\n'


def status(pid: int, field: str) -> int:
    """A /proc/<pid>/status field in kB (0 if the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    m = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) if m else 0


def descendants(pid: int) -> list[int]:
    """pid and every process below it."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += parents.get(p, [])
    return out


def rss_mb(pid: int) -> tuple[float, int]:
    """(summed VmRSS in MB, number of processes) of pid's tree."""
    tree = descendants(pid)
    return sum(status(p, "VmRSS") for p in tree) / 1024, len(tree)


def url_path(script: str) -> str:
    """Streamlit's URL for a page file: '' for the entry point, else the file's name without
    its number prefix (pages/1_Fit_a_line.py -> Fit_a_line)."""
    if script == "app.py":
        return ""
    return re.sub(r"^\d+_", "", Path(script).stem)


def open_page(browser, url: str):
    page = browser.new_context(viewport=harness.VIEWPORT).new_page()
    page.context.set_default_timeout(120_000)
    harness.instrument(page)
    page.goto(url)
    harness.wait_idle(page)
    if page.locator("[data-testid=stException]").count():
        raise AssertionError(
            f"{url} shows an exception:\n"
            + "\n".join(page.locator("[data-testid=stException]").all_inner_texts())
        )
    count = page.locator("div.linreg-plot").count()
    if count:
        harness.wait_charts(page, count, timeout=120_000)
    return page


def main() -> None:
    print(f"Memory; load average {os.getloadavg()}")
    tmp = Path(tempfile.mkdtemp(prefix="memory-"))
    ours, bare = harness.app_and_bare(tmp, BARE_APP)
    with ours, bare, sync_playwright() as p:
        pid = ours.proc.pid
        idle, _ = rss_mb(pid)
        browser = harness.launch(p)
        tabs = {}
        for script, label, _icon in PAGES:
            path = url_path(script)
            query = f"?max={STEPS}&stop=false" if path == "Fit_a_line" else ""
            tabs[path] = open_page(browser, f"{ours.url}/{path}{query}")
            print(f"  opened /{path}{query} ({label}): {rss_mb(pid)[0]:.0f} MB")
        opened, processes = rss_mb(pid)

        live = tabs.get("Fit_a_line")
        if live is None:
            raise SystemExit("PAGES has no Fit_a_line page to run.")
        runs = harness.runs(live)
        harness.button(live, "▶ Run").click()
        harness.wait_idle(live, after=runs)
        live.locator("[data-testid=stMetricValue]").first.filter(
            has_text=re.compile(rf"^{STEPS}$")
        ).wait_for(timeout=600_000)
        harness.button(live, "▶ Run").wait_for(timeout=60_000)  # the run stopped itself
        harness.wait_idle(live)
        ran, _ = rss_mb(pid)
        peak = status(pid, "VmHWM") / 1024

        bare_page = open_page(browser, bare.url)
        bare_page.wait_for_selector("[data-testid=stMetricValue]")
        base, _ = rss_mb(bare.proc.pid)
        browser.close()

    print(f"server tree: {processes} process(es); idle after start {idle:.0f} MB")
    print(f"bare Streamlit app after its page was opened: {base:.0f} MB")
    print(f"\nresult (goal < {GOAL_MB} MB; ratio = ours / the bare app's, same run):")
    for name, mb in (
        (f"every page opened once ({len(PAGES)} pages, tabs kept open)", opened),
        (f"after a live run of {STEPS} steps", ran),
        ("peak of the server process (VmHWM)", peak),
    ):
        met = "yes" if mb < GOAL_MB else "NO"
        print(
            f"  memory, {name}: {mb:.0f} MB, baseline {base:.0f} MB, ratio {mb / base:.1f}×; "
            f"goal < {GOAL_MB} MB: met? {met}"
        )


if __name__ == "__main__":
    main()
