#!/usr/bin/env python3
"""Start and stop a throwaway local Elasticsearch node for development and tests.

    python scripts/es_node.py start [--cache DIR]   # prints the URL, writes DIR/node.json
    python scripts/es_node.py stop  [--cache DIR]   # stops it and removes its data

The node is the `integ-test-zip` distribution from Maven Central: no bundled JDK and only the core
modules (no analysis-common, no ingest, no ML). It runs on a system JDK 17+, bound to 127.0.0.1 on
free ports, with a fresh config/data/logs directory in a temp dir per run. Elasticsearch refuses to
run as root, so as root it runs as the unprivileged user `esrunner` (created if missing).

Importable too: `running_node(cache_dir)` is a context manager yielding the URL.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

VERSION = "8.19.21"
ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{VERSION}:zip"
DEFAULT_CACHE = Path("~/.cache/evidence-archive/elasticsearch").expanduser()
RUNNER = "esrunner"
CLUSTER_NAME = "evidence-archive-dev"  # also names the server log: logs/<cluster name>.log
HEAP = "512m"
START_TIMEOUT = 300.0  # a busy small machine boots a JVM slowly
CLUSTER_START_TIMEOUT = 400.0  # two JVMs booting at once
MIN_JAVA = 17
# Among several JDKs, the first major version found in this order wins: LTS releases the 8.19 line is
# built and tested on come first; anything else >= 17 is a fallback.
PREFERRED_JAVA = (21, 17)
JVM_DIR = Path("/usr/lib/jvm")


class NodeError(RuntimeError):
    """The node could not be obtained, started or stopped; the message says why."""


@dataclass
class Node:
    url: str
    pid: int
    run_dir: str
    home: str
    java_home: str
    started_in: float  # seconds from launch to a yellow cluster


# --- distribution -------------------------------------------------------------------------------


def distribution(cache: Path) -> Path:
    """The unpacked distribution in `cache`, downloading (through Maven) and unpacking it once."""
    home = cache / f"elasticsearch-{VERSION}"
    if (home / "bin" / "elasticsearch").exists():
        return home
    cache.mkdir(parents=True, exist_ok=True)
    archive = cache / f"elasticsearch-{VERSION}.zip"
    if not archive.exists():
        if shutil.which("mvn") is None:
            raise NodeError(
                f"Maven (mvn) is needed to fetch {ARTIFACT}; install it or put {archive.name} into {cache}"
            )
        cmd = ["mvn", "-q", "-B", "dependency:copy", f"-Dartifact={ARTIFACT}", f"-DoutputDirectory={cache}"]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=cache)
        if done.returncode != 0 or not archive.exists():
            raise NodeError(f"could not fetch {ARTIFACT} with Maven:\n{_tail(done.stdout + done.stderr)}")
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=cache))
    try:
        _unzip(archive, staging)
        with contextlib.suppress(OSError):  # another process may have won the race; theirs is as good
            (staging / home.name).rename(home)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not (home / "bin" / "elasticsearch").exists():
        raise NodeError(f"{archive} did not contain {home.name}/bin/elasticsearch")
    return home


def _unzip(archive: Path, target: Path) -> None:
    """Unzips keeping the Unix permission bits (zipfile drops them), so bin/ stays executable."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            path = Path(zf.extract(info, target))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                path.chmod(mode)


# --- java ---------------------------------------------------------------------------------------


def java_major(java_home: Path) -> int | None:
    release = java_home / "release"
    if not (java_home / "bin" / "java").exists() or not release.exists():
        return None
    match = re.search(r'^JAVA_VERSION="(\d+)', release.read_text(errors="replace"), re.MULTILINE)
    return int(match.group(1)) if match else None


def find_java(env: dict[str, str] | None = None) -> Path:
    """ES_JAVA_HOME, else JAVA_HOME, else the preferred JDK 17+ under /usr/lib/jvm."""
    env = dict(os.environ if env is None else env)
    for var in ("ES_JAVA_HOME", "JAVA_HOME"):
        if env.get(var):
            home = Path(env[var])
            major = java_major(home)
            if major is None or major < MIN_JAVA:
                raise NodeError(f"{var}={home} is not a JDK {MIN_JAVA}+ (found version {major})")
            return home
    found: dict[int, Path] = {}
    if JVM_DIR.is_dir():
        for candidate in sorted(JVM_DIR.iterdir()):
            home = candidate.resolve()
            major = java_major(home)
            if major is not None and major >= MIN_JAVA:
                found.setdefault(major, home)
    for major in (*PREFERRED_JAVA, *sorted(found, reverse=True)):
        if major in found:
            return found[major]
    raise NodeError(f"no JDK {MIN_JAVA}+ found: set ES_JAVA_HOME or install one under {JVM_DIR}")


# --- running ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _is_root() -> bool:
    return os.geteuid() == 0


def _ensure_runner() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(RUNNER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", RUNNER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(RUNNER)


def _as_runner(cmd: list[str]) -> list[str]:
    if not _is_root():
        return cmd
    if shutil.which("runuser"):
        return ["runuser", "-u", RUNNER, "--", *cmd]
    return ["setpriv", f"--reuid={RUNNER}", f"--regid={RUNNER}", "--init-groups", *cmd]


def _runner_can_use(home: Path) -> bool:
    probe = _as_runner(["test", "-x", str(home / "bin" / "elasticsearch"), "-a", "-r", str(home / "lib")])
    return subprocess.run(probe, capture_output=True).returncode == 0


def _link_tree(source: Path, target: Path) -> None:
    """A copy of `source` made of hard links where the file system allows, plain copies elsewhere."""

    def link_or_copy(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link_or_copy, symlinks=True)


def _node_settings(home: Path, http_port: int, transport_port: int, run: Path) -> dict[str, object]:
    modules = {p.name for p in (home / "modules").iterdir()}
    settings: dict[str, object] = {
        "cluster.name": CLUSTER_NAME,
        "node.name": "local",
        "discovery.type": "single-node",
        "network.host": "127.0.0.1",
        "http.port": http_port,
        "transport.port": transport_port,
        "path.data": str(run / "data"),
        "path.logs": str(run / "logs"),
        "cluster.routing.allocation.disk.threshold_enabled": False,
        # A throwaway node: let test clean-up delete indices by wildcard (`{alias}-*`).
        "action.destructive_requires_name": False,
    }
    # Settings of modules that are absent are rejected at boot ("unknown setting"), so only pass
    # those that the distribution knows.
    if "x-pack-core" in modules:
        settings["xpack.ml.enabled"] = False
    if "x-pack-security" in modules:
        settings["xpack.security.enabled"] = False
    if "ingest-geoip" in modules:
        settings["ingest.geoip.downloader.enabled"] = False
    return settings


def _wait_healthy(url: str, deadline: float, pid: int, nodes: int = 1) -> None:
    health = f"{url}/_cluster/health?wait_for_status=yellow&wait_for_nodes={nodes}&timeout=1s"
    while time.monotonic() < deadline:
        if not _alive(pid):
            raise NodeError("the Elasticsearch process exited during startup")
        try:
            with urllib.request.urlopen(health, timeout=5) as resp:
                answer = json.load(resp)
                if answer.get("status") in ("yellow", "green") and answer.get("number_of_nodes") >= nodes:
                    return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.5)
    raise NodeError(f"Elasticsearch did not reach yellow health within {START_TIMEOUT:.0f}s")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _log_tail(run: Path) -> str:
    parts = []
    for name in ("launcher.log", f"{CLUSTER_NAME}.log"):
        path = run / "logs" / name
        if path.exists():
            parts.append(f"--- {name} ---\n{_tail(path.read_text(errors='replace'))}")
    return "\n".join(parts) or "(no log written)"


def start(cache: Path = DEFAULT_CACHE, *, timeout: float = START_TIMEOUT) -> Node:
    """Starts a fresh single-node cluster and returns once its health is yellow or green."""
    dist = distribution(cache)
    java_home = find_java()
    run = Path(tempfile.mkdtemp(prefix="es-node-"))
    try:
        return _start_in(run, dist, java_home, timeout)
    except BaseException:
        shutil.rmtree(run, ignore_errors=True)
        raise


def _start_in(run: Path, dist: Path, java_home: Path, timeout: float) -> Node:
    began = time.monotonic()
    launch = _prepare(run, dist, java_home, {})
    return _finish(launch, _launch(launch), began, timeout)


@dataclass
class _Launch:
    run: Path
    home: Path
    java_home: Path
    url: str
    transport_port: int
    cmd: list[str]
    env: dict[str, str]


def _prepare(
    run: Path, dist: Path, java_home: Path, overrides: dict[str, object], ports: tuple[int, int] | None = None
) -> _Launch:
    """The run directory of one node (config, data, logs, owned by the runner) and how to start it."""
    home = dist
    if _is_root():
        runner = _ensure_runner()
        if not _runner_can_use(dist):  # e.g. the cache sits under /root (mode 700)
            home = run / "home"
            _link_tree(dist, home)
    config = run / "config"
    shutil.copytree(dist / "config", config)
    for sub in ("data", "logs", "tmp"):
        (run / sub).mkdir()
    http_port, transport_port = ports or (_free_port(), _free_port())
    settings = {**_node_settings(dist, http_port, transport_port, run), **overrides}
    settings = {k: v for k, v in settings.items() if v is not None}
    (config / "elasticsearch.yml").write_text("".join(f"{k}: {json.dumps(v)}\n" for k, v in settings.items()))
    (config / "jvm.options.d" / "heap.options").write_text(f"-Xms{HEAP}\n-Xmx{HEAP}\n")
    if _is_root():
        for path in [run, *run.rglob("*")]:
            if not path.is_relative_to(run / "home"):
                os.chown(path, runner.pw_uid, runner.pw_gid, follow_symlinks=False)
    env = {k: v for k, v in os.environ.items() if k not in ("ES_JAVA_OPTS", "JAVA_HOME")}
    env.update(ES_JAVA_HOME=str(java_home), ES_PATH_CONF=str(config), ES_TMPDIR=str(run / "tmp"))
    cmd = _as_runner([str(home / "bin" / "elasticsearch"), "-d", "-p", str(run / "es.pid")])
    return _Launch(run, home, java_home, f"http://127.0.0.1:{http_port}", transport_port, cmd, env)


def _launch(launch: _Launch) -> subprocess.Popen:
    """Starts the launcher; with -d it returns once the server has booted (or failed to), leaving it
    as a daemon."""
    with open(launch.run / "logs" / "launcher.log", "wb") as log:
        return subprocess.Popen(
            launch.cmd, env=launch.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=launch.run,
        )


def _finish(
    launch: _Launch, launcher: subprocess.Popen, began: float, timeout: float, nodes: int = 1
) -> Node:
    """Waits for the launcher, then for the cluster (of `nodes` nodes) to be healthy."""
    run = launch.run
    pidfile = run / "es.pid"
    try:
        code = launcher.wait(timeout=max(began + timeout - time.monotonic(), 1))
    except subprocess.TimeoutExpired:
        launcher.kill()
        code = -1
    if code != 0 or not pidfile.exists():
        raise NodeError(f"Elasticsearch failed to start (launcher exit code {code}):\n{_log_tail(run)}")
    pid = int(pidfile.read_text().strip())
    try:
        _wait_healthy(launch.url, began + timeout, pid, nodes)
    except NodeError as err:
        _kill(pid)
        raise NodeError(f"{err}\n{_log_tail(run)}") from None
    return Node(
        url=launch.url,
        pid=pid,
        run_dir=str(run),
        home=str(launch.home),
        java_home=str(launch.java_home),
        started_in=round(time.monotonic() - began, 1),
    )


def start_cluster(
    cache: Path = DEFAULT_CACHE, nodes: int = 2, *, timeout: float = CLUSTER_START_TIMEOUT
) -> list[Node]:
    """Starts a fresh cluster of `nodes` processes of the same distribution, each master-eligible and
    holding data, and returns once every node has joined and the health is yellow or green."""
    dist = distribution(cache)
    java_home = find_java()
    began = time.monotonic()
    runs = [Path(tempfile.mkdtemp(prefix=f"es-cluster-{i}-")) for i in range(nodes)]
    ports = [(_free_port(), _free_port()) for _ in range(nodes)]
    names = [f"node-{i}" for i in range(nodes)]
    cluster = {
        "cluster.name": f"{CLUSTER_NAME}-cluster",
        "discovery.type": None,
        "discovery.seed_hosts": [f"127.0.0.1:{transport}" for _, transport in ports],
        "cluster.initial_master_nodes": names,
    }
    started: list[Node] = []
    try:
        launches = [
            _prepare(run, dist, java_home, {**cluster, "node.name": name}, port)
            for run, name, port in zip(runs, names, ports, strict=True)
        ]
        # All at once: a node waits for the others to elect a master before its launcher returns.
        launchers = [_launch(launch) for launch in launches]
        for launch, launcher in zip(launches, launchers, strict=True):
            started.append(_finish(launch, launcher, began, timeout, nodes))
        return started
    except BaseException:
        for node in started:
            _kill(node.pid)
        for run in runs:
            pidfile = run / "es.pid"
            if pidfile.exists():
                with contextlib.suppress(ValueError):
                    _kill(int(pidfile.read_text().strip()))
            shutil.rmtree(run, ignore_errors=True)
        raise


def _kill(pid: int, grace: float = 30.0) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def stop(node: Node) -> None:
    """Stops the node and removes its run directory (config, data, logs)."""
    _kill(node.pid)
    shutil.rmtree(node.run_dir, ignore_errors=True)


# Kills the node if the process that started it dies without stopping it (a crash, SIGKILL, a
# killed test run): it waits for its stdin to close, which happens when its parent exits.
_WATCHDOG = """
import os, shutil, signal, sys, time
pid, run_dir = int(sys.argv[1]), sys.argv[2]
sys.stdin.read()
try:
    os.kill(pid, signal.SIGTERM)
    for _ in range(150):
        os.kill(pid, 0)
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
except ProcessLookupError:
    pass
shutil.rmtree(run_dir, ignore_errors=True)
"""


@contextlib.contextmanager
def running_node(cache: Path | None = None) -> Iterator[str]:
    """Yields the URL of a fresh node, stopped and removed on exit, even if this process is killed."""
    with _watched([start(cache or DEFAULT_CACHE)]) as nodes:
        yield nodes[0].url


@contextlib.contextmanager
def running_cluster(cache: Path | None = None, nodes: int = 2) -> Iterator[list[str]]:
    """Yields the URLs of the nodes of a fresh cluster, stopped and removed on exit (as `running_node`)."""
    with _watched(start_cluster(cache or DEFAULT_CACHE, nodes)) as started:
        yield [node.url for node in started]


@contextlib.contextmanager
def _watched(nodes: list[Node]) -> Iterator[list[Node]]:
    watchdogs = [
        subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(node.pid), node.run_dir],
            stdin=subprocess.PIPE,
            start_new_session=True,
        )
        for node in nodes
    ]
    try:
        yield nodes
    finally:
        for node in nodes:
            stop(node)
        for watchdog in watchdogs:
            assert watchdog.stdin is not None
            watchdog.stdin.close()
            watchdog.wait(timeout=10)


# --- command line -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("start", "stop", "status"))
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help=f"default: {DEFAULT_CACHE}")
    parser.add_argument("--timeout", type=float, default=START_TIMEOUT)
    args = parser.parse_args(argv)
    state = args.cache / "node.json"
    try:
        if args.action == "start":
            if state.exists() and _alive(json.loads(state.read_text())["pid"]):
                raise NodeError(f"a node is already running ({state}); stop it first")
            node = start(args.cache, timeout=args.timeout)
            state.write_text(json.dumps(asdict(node), indent=2))
            print(
                f"Elasticsearch {VERSION} up in {node.started_in}s (java {node.java_home}), pid {node.pid}",
                file=sys.stderr,
            )
            print(node.url)
        elif args.action == "stop":
            if not state.exists():
                print(f"no node recorded in {state}", file=sys.stderr)
                return 0
            stop(Node(**json.loads(state.read_text())))
            state.unlink()
        else:
            if not state.exists() or not _alive(json.loads(state.read_text())["pid"]):
                print("not running")
                return 1
            print(json.loads(state.read_text())["url"])
    except NodeError as err:
        print(f"es_node: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
