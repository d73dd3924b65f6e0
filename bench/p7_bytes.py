"""P7: bytes the server sends per rerun, at the default settings (goal <= 1 MB).

    python bench/p7_bytes.py

Counted in headless Chromium on /Fit_a_line, with Playwright's `page.on("websocket")` ->
`ws.on("framereceived")`: the payload sizes of the websocket messages the browser receives
(as decoded by the browser: if the connection compressed them, the wire carried less), for

  * one full page load (navigation -> all four charts drawn and the app idle),
  * one Step click (a rerun of the live panel's fragment),
  * one update of a live run (the bytes received while running / the Step metric's changes).

Next to them, for the Step click, the bytes that really left the server's sockets (from
`ss -tin`, bytes_sent of the server's TCP connections, before and after), and, for the page
load, the HTTP bytes of the static files (the JavaScript bundles; browsers cache them).

Baseline, same run: a bare Streamlit app (one st.metric and a Step button in a fragment),
its page load and its click: Streamlit's own fixed cost per message.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import ROOT

sys.path.insert(0, str(ROOT / "tests" / "browser"))
import harness  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

MB = 1_000_000
BARE_APP = """
import streamlit as st

st.session_state.setdefault("n", 0)


def bump():
    st.session_state.n += 1


@st.fragment
def panel():
    st.button("Step", on_click=bump)
    st.metric("Step", st.session_state.n)


panel()
"""


class Meter:
    """Websocket frames and HTTP bodies a page receives, in order."""

    def __init__(self, page):
        self.received: list[int] = []
        self.sent: list[int] = []
        self.http = 0
        page.on("websocket", self._socket)
        page.on("requestfinished", self._request)

    def _socket(self, ws) -> None:
        ws.on("framereceived", lambda payload: self.received.append(len(payload)))
        ws.on("framesent", lambda payload: self.sent.append(len(payload)))

    def _request(self, request) -> None:
        with contextlib.suppress(Exception):  # a request whose sizes went with its page
            self.http += request.sizes()["responseBodySize"]

    def mark(self) -> tuple[int, int]:
        return len(self.received), len(self.sent)

    def since(self, mark: tuple[int, int]) -> tuple[int, int, int]:
        """(bytes received, frames received, bytes sent) since `mark`."""
        got = self.received[mark[0] :]
        return sum(got), len(got), sum(self.sent[mark[1] :])


def server_bytes_sent(port: int) -> dict[str, int] | None:
    """bytes_sent of each established TCP connection of the server, by the peer's address
    (None without `ss`)."""
    try:
        out = subprocess.run(
            ["ss", "-tinH", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    sent, peer = {}, None
    for line in out.splitlines():
        fields = line.split()
        if fields and not line[:1].isspace() and len(fields) >= 4:
            peer = fields[-1]  # "Recv-Q Send-Q Local Peer" (the state column is left out)
        elif peer is not None and (m := re.search(r"bytes_sent:(\d+)", line)):
            sent[peer] = int(m.group(1))
    return sent


def wire_delta(before: dict | None, after: dict | None) -> int | None:
    """Bytes sent between two `server_bytes_sent` readings, over the connections alive at the
    second (a connection closed in between, e.g. an idle HTTP keep-alive, is left out)."""
    if before is None or after is None:
        return None
    return sum(n - before.get(peer, 0) for peer, n in after.items())


def settle(page, meter: Meter, quiet_ms: int = 800) -> None:
    """Idle app, and no websocket frame for `quiet_ms` (late messages count too)."""
    harness.wait_idle(page)
    while True:
        n = len(meter.received)
        page.wait_for_timeout(quiet_ms)
        if len(meter.received) == n:
            return


def open_metered(browser, url: str, charts: int):
    page = browser.new_context(viewport=harness.VIEWPORT).new_page()
    page.context.set_default_timeout(120_000)
    harness.instrument(page)
    meter = Meter(page)
    page.goto(url)
    harness.wait_idle(page)
    if charts:
        harness.wait_charts(page, charts)
    else:
        page.wait_for_selector("[data-testid=stMetricValue]")
    settle(page, meter)
    return page, meter


def click(page, meter: Meter, port: int, name: str) -> tuple[int, int, int, int | None]:
    """Bytes received, frames, bytes sent by the browser, and server wire bytes, for a click."""
    mark, wire = meter.mark(), server_bytes_sent(port)
    runs = harness.runs(page)
    harness.button(page, name).click()
    harness.wait_idle(page, after=runs)
    settle(page, meter)
    after = server_bytes_sent(port)
    return *meter.since(mark), wire_delta(wire, after)


def fmt(n: float) -> str:
    return f"{n / MB:.3f} MB" if n >= 100_000 else f"{n / 1000:.1f} kB"


def main() -> None:
    print(f"P7 bytes per rerun; load average {os.getloadavg()}")
    tmp = Path(tempfile.mkdtemp(prefix="p7-"))
    ours, bare = harness.app_and_bare(tmp, BARE_APP)
    with ours, bare, sync_playwright() as p:
        browser = harness.launch(p)
        # warm the server once (first imports), so the load below is an ordinary one
        warm, _ = open_metered(browser, f"{ours.url}/Fit_a_line", 4)
        warm.context.close()

        page, meter = open_metered(browser, f"{ours.url}/Fit_a_line", 4)
        load = meter.since((0, 0))
        step = click(page, meter, ours.port, "Step")
        step10 = click(page, meter, ours.port, "Step ×10")
        # a live run: bytes per update
        mark = meter.mark()
        metric0 = page.locator("[data-testid=stMetricValue]").first.inner_text()
        runs = harness.runs(page)
        harness.button(page, "▶ Run").click()
        harness.wait_runs(page, lambda log: log.finished >= runs + 4, what="4 live updates")
        harness.button(page, "⏸ Pause").click()
        settle(page, meter)
        live_bytes, live_frames, _ = meter.since(mark)
        # the fragment's script runs while running, less the Run and Pause clicks' own
        updates = max(harness.runs(page) - runs - 2, 1)
        metric1 = page.locator("[data-testid=stMetricValue]").first.inner_text()
        page.context.close()

        bpage, bmeter = open_metered(browser, bare.url, 0)
        bare_load = bmeter.since((0, 0))
        bare_step = click(bpage, bmeter, bare.port, "Step")
        bpage.context.close()
        browser.close()

    print(
        f"page load: {fmt(load[0])} in {load[1]} websocket messages received "
        f"(browser sent {fmt(load[2])}); static files over HTTP: {fmt(meter.http)}"
    )
    for name, (got, frames, sent, wire) in (("Step", step), ("Step ×10", step10)):
        print(
            f"{name} click: {fmt(got)} in {frames} messages; on the wire from the server "
            f"(ss bytes_sent): {'n/a' if wire is None else fmt(wire)}; browser sent {sent} B"
        )
    print(
        f"live run (step {metric0} -> {metric1}, {updates} updates): {fmt(live_bytes)} in "
        f"{live_frames} messages = {fmt(live_bytes / updates)} per update"
    )
    print(
        f"bare app: page load {fmt(bare_load[0])} in {bare_load[1]} messages; click "
        f"{fmt(bare_step[0])} in {bare_step[1]} messages"
    )
    print("\nresult (goal <= 1 MB per rerun; ratio = ours / the bare app's, same run):")
    for name, ours_b, base_b in (
        ("P7 page load (full run)", load[0], bare_load[0]),
        ("P7 Step click (fragment rerun)", step[0], bare_step[0]),
        ("P7 live run, per update", live_bytes / updates, bare_step[0]),
    ):
        print(
            f"  {name}: ours {fmt(ours_b)}, baseline {fmt(base_b)}, ratio "
            f"{ours_b / base_b:.0f}×; goal <= 1 MB: met? {'yes' if ours_b <= MB else 'NO'}"
        )


if __name__ == "__main__":
    main()
