"""A real S3-compatible server for the test session: s3proxy with its file-system backend.

The jar (`org.gaul:s3proxy:2.6.0`, classifier `jar-with-dependencies`) comes from Maven Central through
Maven into ~/.cache/evidence-archive/s3proxy once, as the Elasticsearch distribution does, so CI caches
it; it starts in about a second on Java 17, on a free port of 127.0.0.1, keeping its buckets in a
temporary folder, and stops when the session ends.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.es_fixture import es_node

VERSION = "2.6.0"
ARTIFACT = f"org.gaul:s3proxy:{VERSION}:jar:jar-with-dependencies"
CACHE = Path.home() / ".cache" / "evidence-archive" / "s3proxy"
JAR = CACHE / f"s3proxy-{VERSION}-jar-with-dependencies.jar"
IDENTITY, CREDENTIAL = "archive-test", "archive-test-secret"
START_TIMEOUT = 60.0


class ServerError(RuntimeError):
    pass


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    access_key_id: str = IDENTITY
    secret_access_key: str = CREDENTIAL

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, region_name="us-east-1",
            aws_access_key_id=self.access_key_id, aws_secret_access_key=self.secret_access_key,
            config=Config(request_checksum_calculation="when_required",
                          response_checksum_validation="when_required", s3={"addressing_style": "path"}),
        )

    def new_bucket(self) -> str:
        name = f"test-{uuid.uuid4().hex[:20]}"
        self.client().create_bucket(Bucket=name)
        return name


def available() -> bool:
    return JAR.exists() or shutil.which("mvn") is not None


def jar() -> Path:
    if JAR.exists():
        return JAR
    if shutil.which("mvn") is None:
        raise ServerError(f"Maven (mvn) is needed to fetch {ARTIFACT}; or put {JAR.name} into {CACHE}")
    CACHE.mkdir(parents=True, exist_ok=True)
    cmd = ["mvn", "-q", "-B", "dependency:copy", f"-Dartifact={ARTIFACT}", f"-DoutputDirectory={CACHE}"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=CACHE)
    if done.returncode != 0 or not JAR.exists():
        raise ServerError(f"could not fetch {ARTIFACT} with Maven: {(done.stdout + done.stderr)[-2000:]}")
    return JAR


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server() -> Iterator[S3Server]:
    java = es_node().find_java() / "bin" / "java"
    run = Path(tempfile.mkdtemp(prefix="archive-s3-"))
    port = _free_port()
    (run / "data").mkdir()
    (run / "s3proxy.properties").write_text("\n".join([
        f"s3proxy.endpoint=http://127.0.0.1:{port}",
        "s3proxy.authorization=aws-v2-or-v4",
        f"s3proxy.identity={IDENTITY}",
        f"s3proxy.credential={CREDENTIAL}",
        "jclouds.provider=filesystem",
        f"jclouds.filesystem.basedir={run / 'data'}",
    ]) + "\n")
    log = open(run / "s3proxy.log", "wb")  # noqa: SIM115 - closed below
    command = [str(java), "-jar", str(jar()), "--properties", str(run / "s3proxy.properties")]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_listening(port, process, run)
        yield S3Server(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(run, ignore_errors=True)


def _wait_listening(port: int, process: subprocess.Popen, run: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"s3proxy exited: {(run / 's3proxy.log').read_text(errors='replace')[-2000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise ServerError("s3proxy did not start listening in time")
