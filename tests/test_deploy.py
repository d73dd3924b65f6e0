"""The recipe past one server: deploy/replicas.py starts two replicas behind nginx.

Through nginx, with bench/load.py's websocket client: each browser gets a cookie that keeps it
on one replica (every later request it makes lands there, the websocket included); the
websocket upgrade goes through and the live page renders and steps; a file upload through
nginx reaches the replica that holds the session, and the same upload sent with another
replica's cookie is refused there (so the stickiness is what makes uploads work).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import sys
import urllib.error
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "deploy"))
import load  # noqa: E402
import replicas  # noqa: E402

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
    reason="nginx is not installed (Debian: apt-get install -y nginx); .ci/run installs it",
)
CSV = b"x,y\n0,1\n1,3\n2,5\n3,7\n"


def free_ports(count: int) -> int:
    """A port p with p, p + 1, ..., p + count - 1 all free on loopback (nginx, replicas)."""
    for _ in range(50):
        base = load.free_port()
        try:
            with contextlib.ExitStack() as stack:
                for port in range(base, base + count):
                    stack.enter_context(socket.create_server(("127.0.0.1", port)))
            return base
        except OSError:
            continue
    raise RuntimeError(f"no {count} free consecutive ports")


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    directory = tmp_path_factory.mktemp("replicas")
    state = replicas.up(2, free_ports(3), directory, timeout=120)
    yield state
    replicas.down(directory)
    for pid in [state["nginx"], *(r["pid"] for r in state["replicas"])]:
        assert not replicas.runs(pid), f"process {pid} still runs after down()"


def one_per_replica(url: str, replica_addrs: set[str]) -> dict[str, load.Session]:
    """Fresh browsers (no cookie) until each replica has one: the first page load decides."""
    found: dict[str, load.Session] = {}
    for _ in range(40):
        session = load.Session(url, "Fit_a_line")
        session.http("/_stcore/health")
        found.setdefault(session.upstreams[-1], session)
        if set(found) == replica_addrs:
            return found
    raise AssertionError(f"40 new browsers all went to {set(found)}")


async def through_nginx(url: str, sessions: dict[str, load.Session]) -> None:
    for upstream, session in sessions.items():
        for _ in range(3):  # sticky: the cookie keeps every request on the first replica
            session.http("/_stcore/health")
        await session.open()  # the page load and the websocket, with the cookie
        assert set(session.upstreams) == {upstream}, session.upstreams
        assert session.find("run") and session.find("step"), "the live page did not render"
        assert session.find("chart.fit"), "no chart on the page"
        before = session.ticker()["count"]
        await session.click("step")
        assert session.ticker()["count"] == before + 1
        assert not session.errors, session.errors
        uploader = [
            k for *_, k, e in session.elements.values() if e.WhichOneof("type") == "file_uploader"
        ][0]
        await session.upload(uploader, "mine.csv", CSV)  # reaches the session's own replica
        assert "mine.csv" in session.text()
    # The control: B's request carrying A's cookie goes to A's replica, which has no such
    # session, and refuses it (what a proxy without stickiness does to half the uploads).
    a, b = sessions.values()
    stranger = load.Session(url)
    stranger.cookies = dict(a.cookies)
    with pytest.raises(urllib.error.HTTPError) as refused:
        stranger.put_file(f"/_stcore/upload_file/{b.session_id}/x", "x.csv", CSV)
    assert refused.value.code == 400
    for session in sessions.values():
        await session.close()


def test_two_replicas_behind_nginx(hall):
    addrs = {f"127.0.0.1:{r['port']}" for r in hall["replicas"]}
    sessions = one_per_replica(hall["url"], addrs)
    load.run(through_nginx(hall["url"], sessions))


def test_live_run_through_nginx(hall):
    """Two sessions run live through nginx: updates keep coming over the proxied websocket."""

    async def run() -> list[int]:
        sessions = [load.Session(hall["url"], "Fit_a_line", load.LIVE_QUERY) for _ in range(2)]
        await asyncio.gather(*(s.open() for s in sessions))
        await asyncio.gather(*(s.click("run") for s in sessions))
        counts = await asyncio.gather(*(s.follow(3, 0.03) for s in sessions))
        for s in sessions:
            assert not s.errors, s.errors
            await s.close()
        return counts

    assert min(load.run(run())) >= 3
