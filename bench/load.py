"""Load: a lecture hall on one Streamlit server, every student running Fit a line live.

    python bench/load.py --quick        # N = 2, 5 for 10 s each, and the bare app (~1.5 min)
    python bench/load.py                # N = 10, 25, 50 for 60 s each, and the bare app
    python bench/load.py --soak 600     # 50 sessions live for 10 minutes: memory over time
    python bench/load.py --url http://127.0.0.1:8700 --pids 11,12 -n 10   # a running server

Each session is one browser tab speaking Streamlit's own websocket protocol (the BackMsg and
ForwardMsg protobufs of the installed streamlit) as its frontend does: it fetches the page,
opens /_stcore/stream, asks for the page by name, keeps the frontend's message cache (sending
the hashes it holds, resolving `ref_hash` answers, forgetting a message two runs after its
last use), and presses a button by sending a rerun with the button's trigger and the id of
the fragment the button was drawn in. While a run is live, the page's ticker asks for the
next update once the browser has painted this one (two frames, `--think-ms`) and its own
`delay` later; the driver does the same, one request in flight per session. So updates per
second are what a browser would see, minus the browser's own drawing time.

Measured in a window after a warm-up, per N:

- live update latency: the ticker's click → script finished, every update of every session;
- Step latency: one more session, paused, presses Step once a second → script finished;
- updates per second per session (mean and the slowest session);
- server CPU per update: the server's utime + stime (/proc/<pid>/stat) over the window,
  divided by the fragment runs it finished in the window (live updates and Steps);
- memory: RSS (/proc/<pid>/status) idle (after a warm-up session, before the first level),
  with N sessions live, and after they close; (live − idle) / N per session. The allocator
  keeps what a level freed for the next one, so a level's RSS after close is the high-water
  mark of the largest hall so far, not a leak. Closed sessions stay for reconnection for
  server.disconnectedSessionTTL; the bench sets it to `--ttl` seconds (default 2) so that the
  return can be seen, and waits for it.

Baseline, same run: bench/bare_app.py, the same buttons, ticker and fragment with one metric:
Streamlit's own floor for this loop. Every loop here is bounded in count and in time, and
all traffic goes to 127.0.0.1 (or the `--url` given).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.Common_pb2 import FileURLsRequest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect


def run(coro):
    """`asyncio.run(coro)` in a thread of its own, so that it works where an event loop is
    already running in this thread (Playwright's sync API keeps one when the browser tests
    run in the same pytest session)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


ROOT = Path(__file__).resolve().parents[1]
PAGE = "Fit_a_line"
# A run that neither stops at convergence nor reaches its step limit within the test.
LIVE_QUERY = "stop=false&max=100000"
BARE_APP = "bench/bare_app.py"
DONE = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
}


class Session:
    """One browser tab on a Streamlit app: opens a page, presses buttons, follows a live run."""

    def __init__(self, base_url: str, page: str = PAGE, query: str = "", timeout: float = 120):
        self.base, self.page, self.query = base_url.rstrip("/"), page, query
        self.timeout = timeout
        self.page_hash = ""  # the page on show (new_session, navigation); sent with every rerun
        self.session_id = ""
        self.cookies: dict[str, str] = {}
        self.upstreams: list[str] = []  # X-Upstream of each HTTP answer (deploy/nginx adds it)
        self.widgets: dict[str, WidgetState] = {}  # values the browser resends with every rerun
        self.elements: dict[tuple, tuple] = {}  # delta path -> (run, fragment id, key, Element)
        self.cache: dict[str, list] = {}  # hash -> [message bytes, run last used, fragment id]
        self.max_age = 2  # global.maxCachedMessageAge, from new_session
        self.runs = 0  # script runs finished
        self.received = 0  # bytes received
        self.errors: list[str] = []
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._done: asyncio.Future | None = None
        self._urls: asyncio.Future | None = None
        self._fragments: list[str] = []  # the fragment ids of the run in flight

    # --- HTTP: what the browser fetches besides the websocket ---
    def http(self, path: str, body: bytes | None = None, headers: dict | None = None) -> bytes:
        """GET (or PUT with a body) on the server, with this tab's cookies."""
        request = urllib.request.Request(
            self.base + path, data=body, method="PUT" if body is not None else "GET"
        )
        for name, value in {**(headers or {}), "Cookie": self._cookie()}.items():
            request.add_header(name, value)
        with urllib.request.urlopen(request, timeout=30) as answer:
            for header in answer.headers.get_all("Set-Cookie") or []:
                name, _, value = header.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip()
            self.upstreams.append(answer.headers.get("X-Upstream", ""))
            return answer.read()

    def put_file(self, path: str, name: str, content: bytes) -> bytes:
        """PUT a file as the frontend's uploader does: one multipart field "file", and the
        XSRF token (the `_streamlit_xsrf` cookie's value) in a header."""
        boundary = uuid.uuid4().hex
        part = f'Content-Disposition: form-data; name="file"; filename="{name}"'
        head = f"--{boundary}\r\n{part}\r\nContent-Type: text/csv\r\n\r\n"
        body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        if "_streamlit_xsrf" in self.cookies:
            headers["X-Xsrftoken"] = self.cookies["_streamlit_xsrf"]
        return self.http(path, body, headers)

    def _cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    # --- the websocket ---
    async def open(self) -> float:
        """Load the page as a browser does; the seconds until its first run finished."""
        start = time.perf_counter()
        page = f"/{self.page}?{self.query}" if self.query else f"/{self.page}"
        await asyncio.to_thread(self.http, page)
        await asyncio.to_thread(self.http, "/_stcore/health")
        url = "ws" + self.base.removeprefix("http") + "/_stcore/stream"
        self._ws = await connect(
            url,
            subprotocols=["streamlit"],
            additional_headers={"Cookie": self._cookie()} if self.cookies else None,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,  # a browser does not ping; the server pings it
        )
        self.upstreams.append(self._ws.response.headers.get("X-Upstream", ""))
        self._reader = asyncio.create_task(self._read())
        await self.rerun()
        return time.perf_counter() - start

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.wait([self._reader], timeout=10)

    async def rerun(self, fragment_id: str = "", trigger: str = "") -> float:
        """Send a rerun as the frontend does; the seconds until its script finished."""
        state = ClientState(
            query_string=self.query,
            page_script_hash=self.page_hash,
            page_name="" if self.page_hash else self.page,
            fragment_id=fragment_id,
            context_info=ContextInfo(
                timezone="UTC", timezone_offset=0, locale="en-US", url=self.base + "/" + self.page
            ),
        )
        widgets = list(self.widgets.values())
        if trigger:
            widgets.append(WidgetState(id=trigger, trigger_value=True))
        state.widget_states.widgets.extend(widgets)
        state.cached_message_hashes.extend(self.cache)
        self._fragments = [fragment_id] if fragment_id else []
        self._done = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        await self._ws.send(BackMsg(rerun_script=state).SerializeToString())
        await asyncio.wait_for(self._done, self.timeout)
        return time.perf_counter() - start

    def find(self, key: str) -> tuple[str, str, object] | None:
        """(element id, fragment id, Element) of the widget whose key is `key` or ends in
        `.key` (so "run" finds "btn.run" and "fit.run"), or None."""
        for _, fragment, own, element in self.elements.values():
            if own == key or own.endswith("." + key):
                kind = element.WhichOneof("type")
                return getattr(element, kind).id, fragment, element
        return None

    async def click(self, key: str) -> float:
        """Press the button `key` (see find); the seconds until its run finished."""
        found = self.find(key)
        if found is None:
            raise LookupError(f"no widget with key {key!r} on the page")
        widget_id, fragment, _ = found
        return await self.rerun(fragment, trigger=widget_id)

    def ticker(self) -> dict:
        """The live ticker's data: running, count, delay (ms) and the button it presses."""
        found = self.find("ticker")
        return json.loads(found[2].bidi_component.json) if found else {}

    async def follow(self, seconds: float, think: float, record=None) -> int:
        """While the run is live, do what the ticker does in a browser: after the paint
        (`think` s) and its delay, press its button. Returns the number of updates."""
        deadline = time.perf_counter() + seconds
        count = 0
        while count < seconds * 200 and time.perf_counter() < deadline:
            data = self.ticker()
            if not data.get("running"):
                break
            await asyncio.sleep(think + data.get("delay", 0) / 1000)
            latency = await self.click(data["button"])
            count += 1
            if record is not None:
                record(latency)
        return count

    async def upload(self, key: str, name: str, content: bytes) -> float:
        """Upload a file into st.file_uploader `key` as the frontend does: ask for upload URLs,
        PUT the file (with the XSRF token from the cookie), then rerun with the widget's new
        state. Returns the seconds from the rerun to its script finished."""
        widget_id, fragment, _ = self.find(key) or (None, "", None)
        if widget_id is None:
            raise LookupError(f"no file uploader with key {key!r}")
        self._urls = asyncio.get_running_loop().create_future()
        ask = FileURLsRequest(request_id=uuid.uuid4().hex, session_id=self.session_id)
        ask.file_names.append(name)
        await self._ws.send(BackMsg(file_urls_request=ask).SerializeToString())
        urls = (await asyncio.wait_for(self._urls, self.timeout)).file_urls[0]
        await asyncio.to_thread(self.put_file, urls.upload_url, name, content)
        state = WidgetState(id=widget_id)
        info = state.file_uploader_state_value.uploaded_file_info.add(
            name=name, size=len(content), file_id=urls.file_id
        )
        info.file_urls.CopyFrom(urls)
        self.widgets[widget_id] = state
        return await self.rerun(fragment)

    def text(self) -> str:
        """Everything on the page as text (protobuf text format of every element)."""
        return "\n".join(str(element) for *_, element in self.elements.values())

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                self.received += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
        except Exception as err:  # a dropped connection fails the run waiting on it
            if self._done is not None and not self._done.done():
                self._done.set_exception(err)
        if self._done is not None and not self._done.done():
            self._done.set_exception(ConnectionError("the server closed the websocket"))

    def _handle(self, msg: ForwardMsg) -> None:
        if msg.WhichOneof("type") == "ref_hash":
            entry = self.cache.get(msg.ref_hash)
            if entry is None:
                self.errors.append(f"cache miss: {msg.ref_hash}")
                return
            entry[1] = self.runs
            metadata, msg = msg.metadata, ForwardMsg.FromString(entry[0])
            msg.metadata.CopyFrom(metadata)
        elif msg.metadata.cacheable and msg.hash:
            if msg.hash in self.cache:
                self.cache[msg.hash][1] = self.runs
            else:
                self.cache[msg.hash] = [msg.SerializeToString(), self.runs, msg.delta.fragment_id]
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self.max_age = msg.new_session.config.max_cached_message_age or self.max_age
        elif kind == "navigation":  # st.navigation: the page actually shown
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            widget_id = getattr(getattr(element, element.WhichOneof("type")), "id", "")
            key = widget_id.split("-", 2)[2] if widget_id.count("-") >= 2 else ""
            path = tuple(msg.metadata.delta_path)
            self.elements[path] = (self.runs, msg.delta.fragment_id, key, element)
            if element.WhichOneof("type") == "exception":
                self.errors.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self.errors.append(msg.session_event.script_compilation_exception.message)
        elif kind == "file_urls_response" and self._urls is not None and not self._urls.done():
            self._urls.set_result(msg.file_urls_response)
        elif kind == "script_finished" and msg.script_finished in DONE:
            self._finished()

    def _finished(self) -> None:
        """The frontend's bookkeeping at the end of a run: drop the elements this run did not
        draw (in its fragment, for a fragment run) and age the message cache."""
        ran, fragments = self.runs, self._fragments
        self.elements = {
            path: entry
            for path, entry in self.elements.items()
            if entry[0] == ran or (fragments and entry[1] not in fragments)
        }
        self.runs += 1
        for hash_, (_, used, fragment) in list(self.cache.items()):
            if fragments and fragment not in fragments:
                continue
            if self.runs - used > self.max_age:
                del self.cache[hash_]
        if self._done is not None and not self._done.done():
            self._done.set_result(None)


class Server:
    """`streamlit run <app>` on a free loopback port, from the repository root (so its
    .streamlit/config.toml applies), with extra `--option value` flags; with `freeze`, through
    a launcher that imports the app's libraries and calls gc.freeze() first."""

    def __init__(self, app: str = "app.py", flags=(), root: Path = ROOT, freeze=False):
        self.app, self.flags, self.root, self.freeze = app, tuple(flags), Path(root), freeze
        self.log = Path("/tmp") / f"linreg-load-{os.getpid()}-{Path(app).stem}.log"
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def command(self) -> list[str]:
        head = ["-c", FREEZE] if self.freeze else ["-m", "streamlit"]
        return [sys.executable, *head, "run", self.app, "--server.address", "127.0.0.1",
                "--server.port", str(self.port), "--server.headless", "true",
                *self.flags]  # fmt: skip

    def start(self, timeout: float = 90) -> Server:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                self.command, cwd=self.root, stdin=subprocess.DEVNULL, stdout=out, stderr=out
            )
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited; see {self.log}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"no healthy server after {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes, from /proc/<pid>/stat."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / os.sysconf("SC_CLK_TCK")


def rss_bytes(pids: list[int]) -> int:
    """VmRSS of the processes, from /proc/<pid>/status."""
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


@dataclass
class Level:
    """One load level: N live sessions measured over a window."""

    app: str
    sessions: int
    seconds: float
    updates: list[int] = field(default_factory=list)  # live updates per session, in the window
    tick: list[float] = field(default_factory=list)  # live update latencies (s)
    step: list[float] = field(default_factory=list)  # the paused session's Step latencies (s)
    cpu: float = 0.0  # server CPU seconds in the window
    driver_cpu: float = 0.0  # this process's CPU seconds in the window (the same 2 cores)
    received: int = 0  # bytes the sessions received in the window
    rss_idle: int = 0  # the server after its warm-up session closed, before any level
    rss_live: int = 0
    rss_after: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def served(self) -> int:
        return sum(self.updates) + len(self.step)

    def row(self) -> str:
        def pct(values, q):
            return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else float("nan")

        rate = [u / self.seconds for u in self.updates] or [0.0]
        per_session = (self.rss_live - self.rss_idle) / self.sessions / 2**20
        return (
            f"| {self.app} | {self.sessions} | {statistics.mean(rate):.2f} (min {min(rate):.2f})"
            f" | {sum(rate):.1f} | {pct(self.tick, 50):.2f} / {pct(self.tick, 95):.2f} s"
            f" | {pct(self.step, 50):.2f} / {pct(self.step, 95):.2f} s"
            f" | {1e3 * self.cpu / max(self.served, 1):.0f} ms"
            f" | {self.received / max(self.served, 1) / 1e3:.0f} kB"
            f" | {self.rss_idle / 2**20:.0f} → {self.rss_live / 2**20:.0f}"
            f" → {self.rss_after / 2**20:.0f} MB | {per_session:.1f} MB |"
        )


HEADER = (
    "| app | N | updates/s per session (slowest) | updates/s, all | live update p50 / p95 "
    "| Step p50 / p95 | server CPU per update | bytes per update | RSS idle → live → after "
    "| MB per session |\n|---|---|---|---|---|---|---|---|---|---|"
)


async def hall(url: str, pids: list[int], app: str, n: int, seconds: float, warmup: float,
               think: float, page: str, query: str, settle: float, idle: int) -> Level:  # fmt: skip
    """N sessions open the page at once and press Run; one more, paused, presses Step once
    a second. Measured over `seconds` after `warmup`."""
    level = Level(app, n, seconds, rss_idle=idle)
    sessions = [Session(url, page, query) for _ in range(n)]
    probe = Session(url, page, query)
    await asyncio.gather(*(s.open() for s in [*sessions, probe]))
    await asyncio.gather(*(s.click("run") for s in sessions))
    start = time.perf_counter() + warmup
    end = start + seconds
    done: list[list[float]] = [[] for _ in sessions]  # (finish time) of each update
    ticks: list[tuple[float, float]] = []

    def recorder(i):
        def record(latency):
            now = time.perf_counter()
            done[i].append(now)
            ticks.append((now, latency))

        return record

    async def press_step():
        steps = []
        await asyncio.sleep(max(0.0, start - time.perf_counter()))
        while len(steps) < seconds * 2 and time.perf_counter() < end:
            latency = await probe.click("step")
            steps.append((time.perf_counter(), latency))
            await asyncio.sleep(max(0.0, 1.0 - latency))
        return steps

    async def window():
        await asyncio.sleep(max(0.0, start - time.perf_counter()))
        before = cpu_seconds(pids), sum(s.received for s in [*sessions, probe])
        driver = time.process_time()
        await asyncio.sleep(max(0.0, end - time.perf_counter()))
        level.driver_cpu = time.process_time() - driver
        level.cpu = cpu_seconds(pids) - before[0]
        level.received = sum(s.received for s in [*sessions, probe]) - before[1]
        level.rss_live = rss_bytes(pids)

    follows = [s.follow(warmup + seconds, think, recorder(i)) for i, s in enumerate(sessions)]
    results = await asyncio.gather(window(), press_step(), *follows)
    level.step = [lat for t, lat in results[1] if start <= t <= end]
    level.updates = [sum(start <= t <= end for t in times) for times in done]
    level.tick = [lat for t, lat in ticks if start <= t <= end]
    for s in [*sessions, probe]:
        level.errors += s.errors
        await s.close()
    level.rss_after = await after_close(url, pids, page, settle)
    return level


async def after_close(url: str, pids: list[int], page: str, settle: float) -> int:
    """RSS once closed sessions have outlived their reconnection TTL: wait `settle` s, then
    open and close one session (the session store drops expired entries when it next saves
    one), and wait a little more."""
    await asyncio.sleep(settle)
    poke = Session(url, page)
    await poke.open()
    await poke.close()
    await asyncio.sleep(3)
    return rss_bytes(pids)


async def soak(url: str, pids: list[int], n: int, seconds: float, think: float, settle: float,
               every: float = 30) -> None:  # fmt: skip
    """N sessions live for `seconds`: RSS, CPU and updates every `every` s, then the return."""
    sessions = [Session(url, PAGE, LIVE_QUERY) for _ in range(n)]
    idle = rss_bytes(pids)
    await asyncio.gather(*(s.open() for s in sessions))
    await asyncio.gather(*(s.click("run") for s in sessions))
    print(f"soak: {n} sessions, RSS idle {idle / 2**20:.0f} MB", flush=True)
    print("| t (s) | RSS (MB) | updates/s, all | CPU per update |\n|---|---|---|---|", flush=True)
    counts = [0] * n

    def counter(i):
        def count(_):
            counts[i] += 1

        return count

    async def sample():
        t0, last = time.perf_counter(), (cpu_seconds(pids), 0)
        for _ in range(int(seconds / every)):
            await asyncio.sleep(every)
            cpu, served = cpu_seconds(pids), sum(counts)
            rate = (served - last[1]) / every
            per = 1e3 * (cpu - last[0]) / max(served - last[1], 1)
            print(f"| {time.perf_counter() - t0:.0f} | {rss_bytes(pids) / 2**20:.0f} "
                  f"| {rate:.1f} | {per:.0f} ms |", flush=True)  # fmt: skip
            last = cpu, served

    await asyncio.gather(sample(), *(s.follow(seconds, think, counter(i))
                                     for i, s in enumerate(sessions)))  # fmt: skip
    errors = [e for s in sessions for e in s.errors]
    for s in sessions:
        await s.close()
    after = await after_close(url, pids, PAGE, settle)
    print(f"soak: after the sessions closed, RSS {after / 2**20:.0f} MB "
          f"({after / idle - 1:+.0%} of idle); errors: {errors[:3] or 'none'}")  # fmt: skip


FREEZE = """
import gc, importlib, runpy, sys
for name in ("numpy", "torch", "plotly.graph_objects", "plotly.io", "streamlit", "linreg",
             "linreg.scene", "linreg.ui.session", "linreg.ui.live", "linreg.ui.fit_view"):
    try:
        importlib.import_module(name)
    except ImportError:
        pass
gc.freeze()  # what is imported by now is never scanned again
sys.argv = ["streamlit", *sys.argv[1:]]
runpy.run_module("streamlit", run_name="__main__")
"""


GC_MODES = ("config", "on", "off", "freeze", "freeze-off")


def gc_flags(mode: str) -> tuple[list[str], bool]:
    """Server flags for a GC mode, and whether to start through the gc.freeze() launcher."""
    return {
        "config": ([], False),  # whatever .streamlit/config.toml says
        "on": (["--runner.postScriptGC", "true"], False),  # Streamlit's default
        "off": (["--runner.postScriptGC", "false"], False),
        "freeze": (["--runner.postScriptGC", "true"], True),  # gc.freeze() after imports
        "freeze-off": (["--runner.postScriptGC", "false"], True),  # both
    }[mode]


def start_server(app: str, mode: str, ttl: int, root: Path = ROOT) -> Server:
    flags, freeze = gc_flags(mode)
    flags = (*flags, "--server.disconnectedSessionTTL", str(ttl))
    return Server(app, flags, root, freeze).start()


async def warm(url: str, page: str, query: str, think: float) -> None:
    """One session loads the page and runs for a few seconds: imports and caches done."""
    first = Session(url, page, query)
    await first.open()
    await first.click("run")
    await first.follow(3, think)
    await first.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 2, 5 for 10 s each")
    parser.add_argument("-n", type=int, nargs="*", help="the session counts")
    parser.add_argument("--seconds", type=float, help="measured seconds per level")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--think-ms", type=float, default=33.0, help="the browser's paint")
    gc_help = "Streamlit's GC after each run: config (as in .streamlit/config.toml), on, off, "
    gc_help += "freeze (gc.freeze() after the imports, and on), freeze-off"
    parser.add_argument("--gc", choices=GC_MODES, default="config", help=gc_help)
    parser.add_argument("--ttl", type=int, default=2, help="server.disconnectedSessionTTL")
    parser.add_argument("--soak", type=float, help="seconds of a soak run (50 sessions)")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare-app baseline")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--url", help="drive this server instead of starting one")
    parser.add_argument("--pids", help="with --url: the server processes, comma-separated")
    args = parser.parse_args()
    counts = args.n or ([2, 5] if args.quick else [50] if args.soak else [10, 25, 50])
    seconds = args.seconds or (10.0 if args.quick else 60.0)
    think = args.think_ms / 1000
    settle = args.ttl + 2
    apps = [("linreg", "app.py", PAGE, LIVE_QUERY)]
    if not (args.no_bare or args.url or args.soak):
        apps.append(("bare", str(ROOT / BARE_APP), "", ""))
    print(f"load: N = {counts}, {seconds:.0f} s each after {args.warmup:.0f} s warm-up; "
          f"GC mode {args.gc}; think {args.think_ms:.0f} ms; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)  # fmt: skip
    rows = []
    for name, app, page, query in apps:
        server = None
        if args.url:
            url, pids = args.url, [int(p) for p in (args.pids or "").split(",") if p]
        else:
            server = start_server(app, args.gc, args.ttl, args.root)
            url, pids = server.url, [server.proc.pid]
            print(f"{name}: {url}, server pid {pids[0]} (py-spy record --pid {pids[0]})")
        try:
            asyncio.run(warm(url, page, query, think))
            idle = asyncio.run(after_close(url, pids, page, settle))
            if args.soak:
                asyncio.run(soak(url, pids, counts[0], args.soak, think, settle))
                continue
            for n in counts:
                level = asyncio.run(hall(url, pids, name, n, seconds, args.warmup, think, page,
                                         query, settle, idle))  # fmt: skip
                if not rows:
                    print(HEADER, flush=True)
                rows.append(level)
                print(level.row(), flush=True)
                print(f"  (server {level.cpu / seconds:.0%} of a core, this driver "
                      f"{level.driver_cpu / seconds:.0%})", flush=True)  # fmt: skip
                if level.errors:
                    print(f"  errors ({len(level.errors)}): {level.errors[:3]}", flush=True)
        finally:
            if server is not None:
                server.stop()
    if rows:
        print("\nresult:\n" + HEADER)
        print("\n".join(level.row() for level in rows))


if __name__ == "__main__":
    main()
