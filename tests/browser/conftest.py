"""Browser tests: the real app (`python -m streamlit run app.py`) in headless Chromium.

Fixtures:
  app_server  (session)  the running server; restarted between tests if it has died
  base_url    (session)  its URL, e.g. http://localhost:41234
  browser     (session)  Chromium from /usr/bin/chromium
  page        (function) a fresh 1600×1200 page; console errors and page errors fail the test
  shot        (function) shot() saves shots/<test module>__<test name>.png

Helpers live in `harness.py` (shared with the browser benchmarks): wait_idle, wait_charts,
runs, button, chart, assert_clean, console_errors.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from harness import CHROMIUM, ROOT, VIEWPORT, Server, instrument, launch, record_errors

SHOTS = ROOT / "shots"
_SERVER: list[Server] = []  # the session's server, for failure reports


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)")


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """Start `python -m streamlit run app.py` on a free port and wait (60 s at most) for
    /_stcore/health to say ok; terminate it (then kill) at the end of the session."""
    _require_chromium()
    server = Server(log=tmp_path_factory.mktemp("streamlit") / "server.log")
    server.start()
    try:
        server.wait_healthy(60)
    except BaseException:
        server.stop()
        raise
    _SERVER.append(server)
    yield server
    server.stop()
    _SERVER.clear()


@pytest.fixture(scope="session")
def base_url(app_server) -> str:
    return app_server.url


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app_server, request):
    """A fresh page in its own context (own cookies, so its own Streamlit session)."""
    # If something outside the tests stopped the server (e.g. a broad `pkill -f
    # "streamlit run"`), start it again so one outside kill fails one test, not all that follow.
    app_server.ensure_running()
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    pg = context.new_page()
    instrument(pg)  # the JavaScript probes and the run log (harness.runs, wait_idle)
    errors = record_errors(pg)  # checked by harness.assert_clean, and again at teardown
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        screenshot(pg, request, "-failed")
    context.close()
    if report is not None and report.passed and errors:
        pytest.fail("console errors during the test:\n" + "\n".join(errors))


def screenshot(page, request, suffix: str = "") -> Path:
    """Save shots/<test module>__<test name><suffix>.png (the folder is git-ignored); the
    module's name keeps two pages' tests of the same name from overwriting each other."""
    SHOTS.mkdir(exist_ok=True)
    test = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")
    path = SHOTS / f"{request.node.module.__name__}__{test}{suffix}.png"
    page.screenshot(path=str(path))
    return path


@pytest.fixture
def shot(page, request):
    """shot() saves a screenshot of the page as shots/<test module>__<test name>.png."""
    return lambda suffix="": screenshot(page, request, suffix)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    server = _SERVER[0] if _SERVER else None
    if report.failed and server is not None and not server.alive:
        report.sections.append(
            (
                "streamlit server",
                f"The server exited (code {server.proc.returncode}) during this test: something "
                f"outside the test stopped it, or it crashed.\n{server.log_tail()}",
            )
        )
    return report
