"""Sessions share nothing and leave nothing behind, on a real `streamlit run app.py`.

Each session is a real websocket client speaking Streamlit's protocol (bench/load.py's
`Session`), so what is tested is the server's own session handling, not AppTest's. Session A
uploads a CSV of its own; session B opens Fit a line from a link with other settings. Both
run live at the same time, in threads of the same server. Neither page shows anything of the
other (its steps, widget values, address bar, the uploaded file's name and columns), and a session
opened after them shows neither. When every session has closed, the server's own metrics show
no session, session state or uploaded file left, and its resident memory is back within 10 %
of where it started.
"""

from __future__ import annotations

import asyncio
import sys
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import load  # noqa: E402

PAGE = "Fit_a_line"
# Session A's file: a name and columns that appear nowhere else.
FILE = "hall_a_7731.csv"
COLUMNS = ("study_hours_qa", "exam_score_qa")
CSV = (",".join(COLUMNS) + "\n" + "".join(f"{x},{3 * x + 5 + x % 3}\n" for x in range(40))).encode()
# Session B's link: a learning rate off the slider's grid, a noise and a seed of its own.
LINK = {"lr": "0.0123", "noise": "0.77", "seed": "4242"}
TTL = 1  # server.disconnectedSessionTTL: closed sessions are dropped after a second


@pytest.fixture(scope="module")
def server():
    srv = load.Server("app.py", ("--server.disconnectedSessionTTL", str(TTL))).start()
    yield srv
    srv.stop()


def widget_values(session: load.Session) -> dict[str, str]:
    """Each keyed widget's value as the server sent it (its proto's value fields), as text."""
    values = {}
    for *_, key, element in session.elements.values():
        if key:
            widget = getattr(element, element.WhichOneof("type"))
            fields = widget.ListFields()
            values[key] = " ".join(
                f"{f.name}={v}" for f, v in fields if f.name in ("value", "raw_value", "options")
            )
    return values


def uploader_key(session: load.Session) -> str:
    keys = [k for *_, k, e in session.elements.values() if e.WhichOneof("type") == "file_uploader"]
    assert keys, "the live page has no file uploader"
    return keys[0]


def assert_none_of_a(session: load.Session) -> None:
    text = session.text()
    for marker in (FILE, *COLUMNS):
        assert marker not in text, f"{marker!r} (session A's upload) shows in another session"


def assert_none_of_b(session: load.Session) -> None:
    query = parse_qs(session.query)
    values = widget_values(session)
    assert query.get("lr") != [LINK["lr"]] and query.get("seed") != [LINK["seed"]], session.query
    for key, value in values.items():
        assert LINK["lr"] not in value, f"B's learning rate shows in {key}: {value}"
        if key.endswith("seed"):
            assert f"value={LINK['seed']}" not in value, f"B's seed shows in {key}: {value}"


async def two_sessions(url: str) -> None:
    a = load.Session(url, PAGE)
    b = load.Session(url, PAGE, "&".join(f"{k}={v}" for k, v in LINK.items()))
    await asyncio.gather(a.open(), b.open())
    await a.upload(uploader_key(a), FILE, CSV)
    # Positive controls: each page does show its own data and settings.
    assert FILE in a.text() and all(c in a.text() for c in COLUMNS), "A's upload not on A's page"
    assert parse_qs(b.query).get("lr") == [LINK["lr"]], b.query
    assert any(LINK["lr"] in v for v in widget_values(b).values()), "B's rate not on B's page"
    # Both live at once; then each pauses in turn and takes one step while the other runs on:
    # its step count moves by exactly one, whatever the other did meanwhile.
    await asyncio.gather(a.click("run"), b.click("run"))
    await asyncio.gather(a.follow(3, 0.03), b.follow(3, 0.03))
    for me, other in ((b, a), (a, b)):
        await me.click("run")  # pause
        paused_at = me.ticker()["count"]
        if not other.ticker()["running"]:
            await other.click("run")
        assert await other.follow(1.5, 0.03) > 0, "the other run did not advance"
        await me.click("step")
        assert me.ticker()["count"] == paused_at + 1, (paused_at, me.ticker())
    assert not a.errors and not b.errors, a.errors + b.errors
    assert_none_of_a(b)
    assert_none_of_b(a)
    c = load.Session(url, PAGE)  # a newcomer sees the defaults: nothing of A or of B
    await c.open()
    assert_none_of_a(c)
    assert_none_of_b(c)
    for s in (a, b, c):
        await s.close()


def test_two_sessions_share_nothing(server):
    load.run(two_sessions(server.url))


def metrics(url: str) -> str:
    """The server's own /_stcore/metrics: live sessions, session state, uploaded bytes."""
    with urllib.request.urlopen(url + "/_stcore/metrics", timeout=10) as answer:
        return answer.read().decode()


async def hall_comes_and_goes(url: str, pid: int) -> tuple[int, int]:
    """RSS after a warm-up, then after eight sessions (one uploading, one from a link, six
    plain) ran live for a few seconds and closed; the server's metrics meanwhile."""
    await load.warm(url, PAGE, load.LIVE_QUERY, 0.03)
    start = await load.after_close(url, [pid], PAGE, TTL + 1)
    sessions = [load.Session(url, PAGE, load.LIVE_QUERY) for _ in range(6)]
    sessions += [load.Session(url, PAGE), load.Session(url, PAGE, "lr=0.0123")]
    await asyncio.gather(*(s.open() for s in sessions))
    await sessions[-2].upload(uploader_key(sessions[-2]), FILE, CSV)
    await asyncio.gather(*(s.click("run") for s in sessions))
    await asyncio.gather(*(s.follow(5, 0.03) for s in sessions))
    during = metrics(url)
    assert "active_sessions 8" in during, during
    assert f'cache_type="UploadedFileManager",cache=""}} {len(CSV)}' in during, during
    for s in sessions:
        assert not s.errors, s.errors
        await s.close()
    end = await load.after_close(url, [pid], PAGE, TTL + 2)
    for _ in range(20):  # the server caches its memory figures for 5 s
        after = metrics(url)
        if "UploadedFileManager" not in after and "st_session_state" not in after:
            break
        await asyncio.sleep(0.5)
    assert "active_sessions 0" in after, after
    assert "UploadedFileManager" not in after and "st_session_state" not in after, after
    return start, end


def test_memory_returns_after_sessions_close(server):
    """Closed sessions leave no session, session state or upload in the server, and its RSS
    comes back to within 10 % of where it was before they came."""
    start, end = load.run(hall_comes_and_goes(server.url, server.proc.pid))
    assert end <= 1.10 * start, f"RSS {start / 2**20:.0f} MB → {end / 2**20:.0f} MB after close"
