"""A local RFC 3161 time-stamping authority for tests: `openssl ts -reply` behind an HTTP handler.

A CA and a TSA certificate (critical extendedKeyUsage timeStamping) are made for the test in `folder`;
`ca_file` is what a verifier trusts. Nothing here reaches the network beyond 127.0.0.1.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

CONFIG = """\
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ ca_ext ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ tsa_ext ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


class LocalTSA:
    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.config = folder / "openssl.cnf"
        self.config.write_text(CONFIG.format(folder=folder))
        (folder / "serial").write_text("01\n")
        self.ca_file = folder / "ca.pem"
        self.tsa_cert = folder / "tsa.pem"
        self._make_certificates()
        self.requests = 0
        self._httpd = HTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def _make_certificates(self) -> None:
        f, cnf = self.folder, str(self.config)
        _openssl("req", "-x509", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", str(f / "ca.key"),
                 "-out", str(self.ca_file), "-days", "3650", "-subj", "/CN=Test Root CA", "-config", cnf,
                 "-extensions", "ca_ext")
        _openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", str(f / "tsa.key"),
                 "-out", str(f / "tsa.csr"), "-subj", "/CN=Test TSA", "-config", cnf)
        _openssl("x509", "-req", "-in", str(f / "tsa.csr"), "-CA", str(self.ca_file), "-CAkey",
                 str(f / "ca.key"), "-CAcreateserial", "-out", str(self.tsa_cert), "-days", "3650",
                 "-extfile", cnf, "-extensions", "tsa_ext")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/tsa"

    def reply(self, query: bytes) -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            request, response = Path(tmp) / "request.tsq", Path(tmp) / "response.tsr"
            request.write_bytes(query)
            _openssl("ts", "-reply", "-config", str(self.config), "-queryfile", str(request),
                     "-out", str(response))
            return response.read_bytes()

    def openssl_verify(self, token: bytes, sha256_hex: str) -> subprocess.CompletedProcess:
        """`openssl ts -verify` of a token (a TimeStampResp) over a digest, trusting the test CA."""
        with tempfile.NamedTemporaryFile(suffix=".tsr") as file:
            file.write(token)
            file.flush()
            return subprocess.run(
                ["openssl", "ts", "-verify", "-digest", sha256_hex, "-in", file.name,
                 "-CAfile", str(self.ca_file), "-untrusted", str(self.tsa_cert)],
                capture_output=True, text=True,
            )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                query = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                tsa.requests += 1
                try:
                    body, status = tsa.reply(query), 200
                except subprocess.CalledProcessError:
                    body, status = b"bad request", 400
                self.send_response(status)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> LocalTSA:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
