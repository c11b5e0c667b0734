"""Trusted timestamps (RFC 3161): a time-stamping authority signs that a SHA-256 existed at a time.

What is stamped is always a SHA-256 the archive already has: an original's hash, or the hash of the
custody log's head entry (itself a SHA-256, archive/custody.py). So a token can be checked with any
RFC 3161 tool, for example ``openssl ts -verify -digest HASH -in token.tsr -CAfile tsa-ca.pem``.

The request is encoded here (a few DER bytes) because `rfc3161-client`'s builder hashes data held in
memory, and an original may be gigabytes on disk; the reply is decoded and checked by `rfc3161-client`.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
from cryptography import x509
from rfc3161_client import (
    PKIStatus,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

TIMEOUT_S = 15.0
_SHA256_OID = bytes.fromhex("0609608648016503040201")  # 2.16.840.1.101.3.4.2.1, DER-encoded


class TimestampError(Exception):
    """The authority could not be reached or gave no valid token."""


@dataclass(frozen=True)
class Stamp:
    digest: str  # the SHA-256 stamped, hex
    token: bytes  # the TimeStampResp, DER, as the authority sent it
    gen_time: datetime
    tsa_url: str


def request_der(digest: bytes, nonce: int) -> bytes:
    """TimeStampReq ::= SEQUENCE { version 1, messageImprint, nonce, certReq TRUE }."""
    algorithm = _tlv(0x30, _SHA256_OID + b"\x05\x00")
    imprint = _tlv(0x30, algorithm + _tlv(0x04, digest))
    return _tlv(0x30, _integer(1) + imprint + _integer(nonce) + b"\x01\x01\xff")


def _integer(value: int) -> bytes:
    body = value.to_bytes(value.bit_length() // 8 + 1, "big")  # one spare bit: always positive
    return _tlv(0x02, body)


def _tlv(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + body


class TimestampClient:
    def __init__(self, url: str, timeout: float = TIMEOUT_S):
        self.url = url
        self.timeout = timeout

    def stamp(self, sha256_hex: str) -> Stamp:
        digest = bytes.fromhex(sha256_hex)
        nonce = secrets.randbits(63)
        try:
            reply = httpx.post(
                self.url,
                content=request_der(digest, nonce),
                headers={"Content-Type": "application/timestamp-query"},
                timeout=self.timeout,
            )
            reply.raise_for_status()
            response = decode_timestamp_response(reply.content)
        except (httpx.HTTPError, ValueError) as error:
            raise TimestampError(f"the time-stamping authority {self.url} gave no token: {error}") from error
        if response.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
            raise TimestampError(f"the time-stamping authority refused: {response.status_string}")
        info = response.tst_info
        if info.message_imprint.message != digest or info.nonce != nonce:
            raise TimestampError("the token is not for the hash and nonce that were sent")
        return Stamp(sha256_hex, reply.content, info.gen_time, self.url)


def load_certificates(path: Path | None) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(path.read_bytes()) if path else []


def check_token(token: bytes, sha256_hex: str, roots: Sequence[x509.Certificate]) -> str | None:
    """None when the token is over `sha256_hex` and, given `roots`, signed by a signer chaining to one.

    Without roots only the token's form and hash are checked: who signed it is not known then.
    """
    try:
        response = decode_timestamp_response(token)
    except ValueError as error:
        return f"not a time-stamp response: {error}"
    if response.tst_info.message_imprint.message != bytes.fromhex(sha256_hex):
        return "the token is for another hash"
    if not roots:
        return None
    builder = VerifierBuilder()
    for certificate in roots:
        builder = builder.add_root_certificate(certificate)
    try:
        builder.build().verify(response, bytes.fromhex(sha256_hex))
    except (VerificationError, ValueError) as error:
        return f"the signature does not verify: {error}"
    return None


def gen_time(token: bytes) -> datetime:
    return decode_timestamp_response(token).tst_info.gen_time
