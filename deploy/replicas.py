"""Several `streamlit run app.py` replicas on one host, behind nginx with sticky sessions.

    python deploy/replicas.py up --replicas 2 --port 8700   # nginx on 8700, replicas 8701, 8702
    python deploy/replicas.py status
    python deploy/replicas.py down                          # stops what `up` started

One Streamlit server runs every session's script on one core (the GIL), so a 4-core host
serves a hall about four times as large with four replicas. nginx (Debian's package: the
`nginx` binary, run here as an ordinary process with its own config, not the system service)
listens on `--listen`:`--port` and passes each browser, by a cookie, always to the same
replica: a session lives in one replica's memory. The websocket upgrade is passed on.
deploy/nginx.conf.template is the config; the README's "A lecture hall on one server" has the
figures and when a lecture needs this.

Everything `up` starts is written to <dir>/state.json (pids, ports, logs); `down` stops only
those processes, and only if they still are what it started.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
DEFAULT_DIR = Path("/tmp/linreg-replicas")


def render(listen: str, ports: list[int], directory: Path) -> str:
    """nginx.conf for nginx on `listen` (host:port) and replicas on 127.0.0.1:<ports>."""
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in ports)
    text = TEMPLATE.read_text()
    for name, value in {"{dir}": str(directory), "{listen}": listen, "{servers}": servers}.items():
        text = text.replace(name, value)
    return text


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def wait(urls: list[str], procs: list[subprocess.Popen], timeout: float) -> None:
    """Until every url answers /_stcore/health (or a process exits, or time runs out)."""
    deadline = time.monotonic() + timeout
    pending = list(urls)
    while pending and time.monotonic() < deadline:
        dead = [p.args for p in procs if p.poll() is not None]
        if dead:
            raise RuntimeError(f"exited early: {dead[0]}")
        pending = [url for url in pending if not healthy(url)]
        time.sleep(0.3 if pending else 0)
    if pending:
        raise TimeoutError(f"not healthy after {timeout:.0f} s: {pending}")


def up(replicas: int = 2, port: int = 8700, directory: Path = DEFAULT_DIR, listen="127.0.0.1",
       root: Path = ROOT, flags: tuple = (), timeout: float = 120) -> dict:  # fmt: skip
    """Start `replicas` Streamlit servers on port+1, port+2, ... and nginx on `port`."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise FileNotFoundError("nginx is not installed (Debian: apt-get install -y nginx)")
    directory = Path(directory)
    if (directory / "state.json").exists():
        down(directory)
    (directory / "tmp").mkdir(parents=True, exist_ok=True)
    ports = [port + 1 + i for i in range(replicas)]
    conf = directory / "nginx.conf"
    conf.write_text(render(f"{listen}:{port}", ports, directory))
    nginx_cmd = [
        nginx,
        "-p",
        str(directory),
        "-c",
        str(conf),
        "-e",
        str(directory / "nginx-error.log"),
    ]
    check = subprocess.run([*nginx_cmd, "-t"], capture_output=True, text=True)
    if check.returncode:
        raise RuntimeError(f"nginx -t: {check.stderr}")
    # One cookie secret for all replicas: the XSRF cookie one replica sets is valid at all.
    # Two malloc arenas instead of glibc's 8 per core: Streamlit runs each script run in a
    # thread of its own, and 50 live sessions then left 14 MB less resident (README).
    env = {
        **os.environ,
        "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
        "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
    }
    procs, state = [], {"port": port, "listen": listen, "replicas": [], "dir": str(directory)}
    try:
        for replica_port in ports:
            log = directory / f"replica-{replica_port}.log"
            command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address",
                       "127.0.0.1", "--server.port", str(replica_port), "--server.headless",
                       "true", *flags]  # fmt: skip
            with open(log, "ab") as out:
                proc = subprocess.Popen(command, cwd=root, env=env, stdin=subprocess.DEVNULL,
                                        stdout=out, stderr=out, start_new_session=True)  # fmt: skip
            procs.append(proc)
            state["replicas"].append({"port": replica_port, "pid": proc.pid, "log": str(log)})
        proc = subprocess.Popen([*nginx_cmd, "-g", "daemon off;"], stdin=subprocess.DEVNULL,
                                start_new_session=True)  # fmt: skip
        procs.append(proc)
        state["nginx"] = proc.pid
        (directory / "state.json").write_text(json.dumps(state, indent=1))
        host = "127.0.0.1" if listen in ("0.0.0.0", "*") else listen
        state["url"] = f"http://{host}:{port}"
        (directory / "state.json").write_text(json.dumps(state, indent=1))
        wait([f"http://127.0.0.1:{p}" for p in ports] + [state["url"]], procs, timeout)
    except BaseException:
        down(directory)
        raise
    return state


def runs(pid: int, word: str = "") -> bool:
    """Whether pid runs a command line that mentions `word` (not exited, not a recycled pid)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    return bool(command) and word in command


def down(directory: Path = DEFAULT_DIR, timeout: float = 20) -> None:
    """Stop nginx and the replicas that `up` started in `directory`."""
    path = Path(directory) / "state.json"
    if not path.exists():
        return
    state = json.loads(path.read_text())
    targets = [(state["nginx"], "nginx")] if "nginx" in state else []
    targets += [(r["pid"], "streamlit") for r in state["replicas"]]
    for pid, word in targets:
        if runs(pid, word):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for pid, word in targets:
        while runs(pid, word) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.1)
        if runs(pid, word):
            os.kill(pid, signal.SIGKILL)
        _reap(pid)
    path.unlink()


def _reap(pid: int) -> None:
    """Collect a child that has exited (when `up` ran in this process), so it is gone."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument("--replicas", "-k", type=int, default=2)
    parser.add_argument("--port", type=int, default=8700, help="nginx's port; replicas follow")
    parser.add_argument("--listen", default="127.0.0.1", help="nginx's address (0.0.0.0: LAN)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="state, config and logs")
    args = parser.parse_args()
    if args.action == "up":
        state = up(args.replicas, args.port, args.dir, args.listen)
        pids = ",".join(str(r["pid"]) for r in state["replicas"])
        print(f"{state['url']}: nginx pid {state['nginx']}, replicas {pids} (logs in {args.dir})")
    elif args.action == "down":
        down(args.dir)
    else:
        path = args.dir / "state.json"
        print(path.read_text() if path.exists() else "not running")


if __name__ == "__main__":
    main()
