"""The pieces the browser tests and the browser benchmarks share: the real Streamlit server,
headless Chromium, and small JavaScript probes into the page.

Plain Python (no pytest), so `bench/p6_browser.py` and friends can import it too:

    sys.path.insert(0, str(ROOT / "tests" / "browser")); import harness

The live charts are `div.linreg-plot` elements that Plotly itself turns into its graph div:
the element with `data-key="chart.fit"` *is* the `.js-plotly-plot` (so the selector is the
compound `div.linreg-plot.js-plotly-plot`, not a descendant one), and `gd.data`,
`gd.layout`, `gd._fullLayout` are read straight off it.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import weakref
from pathlib import Path

from google.protobuf.message import DecodeError
from playwright.sync_api import Error as PlaywrightError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# No GPU, no sandbox (containers), and no calls home: nothing here can download anything.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1600, "height": 1200}
CHART_KEYS = ("chart.fit", "chart.loss", "chart.surface", "chart.contour")
PLOTS = "div.linreg-plot.js-plotly-plot"
APP = "[data-testid=stApp]"
CONNECTED = f"{APP}[data-test-connection-state=CONNECTED]"
IDLE = f"{APP}[data-test-script-state=notRunning]"


def chart(key: str) -> str:
    """A CSS selector for the live chart drawn under `key` (its Plotly graph div)."""
    return f'{PLOTS}[data-key="{key}"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m streamlit run <app> --server.headless true --server.port <port>`, from
    `cwd` (the repository root by default), with this process's environment (PYTHONPATH
    untouched). Output goes to `log`, so a full pipe can never stall the server."""

    def __init__(
        self,
        log: Path,
        app: str = "app.py",
        cwd: Path = ROOT,
        port: int | None = None,
        args: tuple[str, ...] = (),
    ):
        self.app, self.cwd, self.log, self.args = app, Path(cwd), Path(log), tuple(args)
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.started_at = 0.0
        self.restarts = 0

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "streamlit", "run", self.app,
            "--server.headless", "true", "--server.port", str(self.port), *self.args,
        ]  # fmt: skip

    def start(self) -> Server:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as out:
            self.started_at = time.perf_counter()
            self.proc = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=os.environ.copy(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                return r.status == 200 and r.read().strip() == b"ok"
        except (urllib.error.URLError, OSError):
            return False

    def wait_healthy(self, timeout: float = 60.0) -> float:
        """Wait for GET /_stcore/health to say ok; the seconds since start()."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if not self.alive:
                raise RuntimeError(
                    f"the server exited (code {self.proc.returncode}).\n" + self.log_tail()
                )
            if self.healthy():
                return time.perf_counter() - self.started_at
            time.sleep(0.05)
        raise TimeoutError(
            f"{self.url}/_stcore/health did not say ok within {timeout:.0f} s.\n" + self.log_tail()
        )

    def ensure_running(self, timeout: float = 60.0) -> bool:
        """Start the server again (same port) if it has exited; True if it had to."""
        if self.alive:
            return False
        self.restarts += 1
        with open(self.log, "a") as out:
            out.write(
                f"\n--- harness: the server had exited (code {self.proc.returncode}); "
                "starting it again ---\n"
            )
        self.start().wait_healthy(timeout)
        return True

    def stop(self) -> None:
        """Terminate, then kill if it has not gone within 10 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return "(no server log)"
        return f"server log ({self.log}), last lines:\n" + "\n".join(text)

    def __enter__(self) -> Server:
        self.start().wait_healthy()
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is not None and self.proc is not None and not self.alive:
            print(
                f"note: the server on port {self.port} had exited (code "
                f"{self.proc.returncode}) before this error: stopped from outside, or it "
                f"crashed.\n{self.log_tail(8)}",
                file=sys.stderr,
            )
        self.stop()


def app_and_bare(tmp: Path, bare_app: str) -> tuple[Server, Server]:
    """Our app and a bare Streamlit app (written to tmp/bare.py) as a same-run baseline;
    use them as context managers."""
    (tmp / "bare.py").write_text(bare_app)
    ours = Server(log=tmp / "app.log")
    bare = Server(
        log=tmp / "bare.log", app="bare.py", cwd=tmp, args=("--browser.gatherUsageStats", "false")
    )
    return ours, bare


def launch(playwright):
    """Headless Chromium from /usr/bin/chromium (Playwright never downloads a browser here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# ---- console noise ---------------------------------------------------------------------------

# Harmless console noise, known and understood:
#  * A page opened by its deep link (e.g. /Fit_a_line) makes Streamlit's frontend probe
#    `/Fit_a_line/_stcore/health` and `/Fit_a_line/_stcore/host-config` first: both 404,
#    Chromium logs "Failed to load resource ... 404" as a console *error*, and the frontend
#    then falls back to the root paths and connects normally.
#  * Chromium renders WebGL and canvases in software here (no GPU). It warns "GPU stall due
#    to ReadPixels" (WebGL driver) and "Canvas2D: Multiple readback operations ...
#    willReadFrequently" (Plotly reading a canvas). These are warnings, not errors, so the
#    error collector never sees them; they are listed here too in case a Chromium build
#    raises their level.
_PROBE_404 = re.compile(r"https?://[^/]+(/[^?#]*)?/[^/?#]+/_stcore/(health|host-config)$")
_SOFTWARE_RENDERING = ("GPU stall due to ReadPixels", "willReadFrequently")


def harmless(text: str, url: str = "") -> bool:
    """Whether a console error is known noise (see above)."""
    if "404" in text and _PROBE_404.match(url or ""):
        return True
    return any(s in text for s in _SOFTWARE_RENDERING)


_ERRORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # page -> its errors


def record_errors(page) -> list[str]:
    """From now on, keep `page`'s console errors (less known noise) and page errors."""
    errors = _ERRORS.setdefault(page, [])

    def on_console(msg) -> None:
        if msg.type == "error" and not harmless(msg.text, msg.location.get("url", "")):
            errors.append(f"console error: {msg.text} (at {msg.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    return errors


def console_errors(page) -> list[str]:
    """The errors `record_errors` has kept for `page` so far."""
    return list(_ERRORS.get(page, []))


def assert_clean(page) -> None:
    """No Streamlit exception box on the page, and no console or page error so far."""
    exceptions = page.locator("[data-testid=stException]")
    assert exceptions.count() == 0, "the app shows an exception:\n" + "\n".join(
        exceptions.all_inner_texts()
    )
    errors = console_errors(page)
    assert not errors, "\n".join(errors)


# ---- JavaScript probes -----------------------------------------------------------------------


# window.__linreg.surfacePrint(key): a short fingerprint of the loss surface a chart draws:
# every z array (contour, heatmap, surface traces), every layout image (a pre-rendered
# backdrop) and the x/y of the traces whose uid marks them as the static backdrop. It changes
# when the surface changes, whichever way the chart chooses to draw it.
SURFACE_PRINT = """
(key) => {
  const gd = document.querySelector(`div.linreg-plot.js-plotly-plot[data-key="${key}"]`);
  if (!gd || !gd.data) return null;
  const flat = (a, out) => {
    if (a === null || a === undefined) return out;
    if (typeof a === "number") { out.push(a); return out; }
    if (typeof a !== "string" && a.length !== undefined) for (const v of a) flat(v, out);
    return out;
  };
  const digest = (values) => values.length + ":" + values
    .reduce((s, v, i) => s + (Number.isFinite(v) ? v * (1 + (i % 7)) : 0), 0).toPrecision(12);
  const parts = [];
  gd.data.forEach((t, i) => {
    if (t.z !== undefined) parts.push(`z${i}=` + digest(flat(t.z, [])));
    if (t.uid && /contour|surface/.test(t.uid) && t.z === undefined)
      parts.push(`${t.uid}=` + digest(flat(t.x, [])) + "/" + digest(flat(t.y, [])));
  });
  for (const im of (gd.layout.images || [])) {
    const src = String(im.source);
    parts.push("image=" + src.length + ":" + src.slice(-48));
  }
  return parts.join(" ");
}
"""

# window.__linreg.axisRanges(key): every axis range of a chart,
# {xaxis: [lo, hi], ..., "scene.zaxis": [lo, hi]}
AXIS_RANGES = """
(key) => {
  const gd = document.querySelector(`div.linreg-plot.js-plotly-plot[data-key="${key}"]`);
  const L = gd._fullLayout, out = {};
  for (const k of Object.keys(L)) {
    if (/^[xy]axis\\d*$/.test(k)) out[k] = L[k].range;
    if (/^scene\\d*$/.test(k))
      for (const a of ["xaxis", "yaxis", "zaxis"]) out[`${k}.${a}`] = L[k][a].range;
  }
  return out;
}
"""


# window.__linreg.eye(key): the 3-D camera's eye [x, y, z] of a chart.
EYE = """
(key) => {
  const e = document.querySelector(`div.linreg-plot.js-plotly-plot[data-key="${key}"]`)
    ._fullLayout.scene.camera.eye;
  return [e.x, e.y, e.z];
}
"""

# The probes, installed before the page's own scripts (see `instrument`).
INIT_SCRIPT = (
    f"window.__linreg = {{ surfacePrint: {SURFACE_PRINT}, axisRanges: {AXIS_RANGES}, eye: {EYE} }};"
)


def surface_print(page, key: str) -> str | None:
    return page.evaluate("(k) => window.__linreg.surfacePrint(k)", key)


def axis_ranges(page, key: str) -> dict:
    return page.evaluate("(k) => window.__linreg.axisRanges(k)", key)


def eye(page, key: str = "chart.surface") -> list[float]:
    return page.evaluate("(k) => window.__linreg.eye(k)", key)


def drawn_charts(page) -> int:
    """How many live charts Plotly has drawn (a graph div with its SVG)."""
    return page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].filter((g) => g._fullLayout"
        " && g.querySelector('.main-svg')).length",
        PLOTS,
    )


def wait_charts(page, count: int = len(CHART_KEYS), timeout: float = 60_000) -> float:
    """Plotly draws asynchronously, after Streamlit has rendered: wait until `count` live
    charts exist and have been drawn (their graph div carries `_fullLayout` and an SVG).
    Returns the page's clock then (ms since navigation start, checked every animation
    frame). Fails at once, with the app's message, if the app shows an exception instead."""
    outcome = page.wait_for_function(
        """([sel, n]) => {
          if (document.querySelector("[data-testid=stException]")) return "exception";
          return [...document.querySelectorAll(sel)].filter((g) => g._fullLayout
            && g.querySelector(".main-svg")).length >= n && performance.now();
        }""",
        arg=[PLOTS, count],
        timeout=timeout,
    ).json_value()
    if outcome == "exception":
        text = "\n".join(page.locator("[data-testid=stException]").all_inner_texts())
        raise AssertionError(f"the app shows an exception instead of its charts:\n{text}")
    return float(outcome)


class RunLog:
    """The script runs of a page's Streamlit session, read off its websocket: every run, of
    the whole script or of a fragment, begins with a `new_session` message and ends with a
    `script_finished` one (Streamlit's own protobuf, decoded here). Unlike the DOM's
    `data-test-script-state`, which React may flip to "running" and back within one render
    when a run is quick, this misses no run."""

    def __init__(self) -> None:
        self.started = 0
        self.finished = 0
        self.socket = None

    def frame(self, payload) -> None:
        if isinstance(payload, str):
            return
        try:
            kind = ForwardMsg.FromString(payload).WhichOneof("type")
        except DecodeError:
            return
        if kind == "new_session":
            self.started += 1
        elif kind == "script_finished":
            self.finished += 1

    def attach(self, ws) -> None:
        if ws.url.endswith("/_stcore/stream"):
            self.socket = ws
            ws.on("framereceived", self.frame)


_RUNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # page -> RunLog


def instrument(page) -> None:
    """Prepare a page before it opens the app: the JavaScript probes and the run log."""
    page.add_init_script(INIT_SCRIPT)
    log = _RUNS[page] = RunLog()
    page.on("websocket", log.attach)


def runs(page) -> int:
    """Script runs started so far in this page's session (the page must be `instrument`ed)."""
    return _RUNS[page].started


def wait_runs(page, done, timeout: float = 60_000, what: str = "script runs") -> None:
    """Let Playwright deliver the page's websocket frames until `done(log)` holds."""
    log = _RUNS[page]
    deadline = time.monotonic() + timeout / 1000
    while not done(log):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(
                f"waited {timeout / 1000:.0f} s for {what} (runs started "
                f"{log.started}, finished {log.finished})"
            )
        try:
            if log.socket is None:
                raise PlaywrightError("no websocket yet")
            log.socket.wait_for_event("framereceived", timeout=min(left, 1.0) * 1000)
        except PlaywrightError:  # a timeout slice, or a socket that closed: look again
            page.wait_for_timeout(20)


def wait_idle(page, after: int | None = None, timeout: float = 60_000) -> None:
    """Wait for the app to be connected and its script not running. With `after` (a `runs()`
    count taken before an action), first wait for a run started since then to finish."""
    page.wait_for_selector(CONNECTED, timeout=timeout)
    if after is not None:
        wait_runs(
            page,
            lambda log: log.started > after and log.finished >= log.started,
            timeout,
            f"a script run after run {after} to finish",
        )
    page.wait_for_selector(IDLE, timeout=timeout)


def button(page, label: str):
    """The button labelled exactly `label` ("Step" is not "Step ×10"). When the app gives a
    button a keyboard shortcut, Streamlit shows it in a <kbd aria-label="Shortcut →"> inside
    the button, so the accessible name becomes "Step Shortcut →": both forms match."""
    name = re.compile("^" + re.escape(label) + r"( Shortcut .+)?$")
    return page.get_by_role("button", name=name)


def metric_values(page) -> list[str]:
    return page.locator("[data-testid=stMetricValue]").all_inner_texts()
