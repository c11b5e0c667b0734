"""Keeping captures on the public internet when the archive is shared (`ARCHIVE_CAPTURE_PRIVATE=deny`).

A link a user submits could point at the archive's own network: a metadata service, a database
console, a router. With the guard on, a capture refuses any host whose addresses are not global
(loopback, private, link-local, carrier-grade NAT, reserved, multicast), on the first request and on
every redirect. The address the connection actually reached is checked again before the body is
read, so a name that resolves to a public address for the check and a private one for the
connection (DNS rebinding) gets nothing stored.
"""

from __future__ import annotations

import ipaddress
import socket

import httpx

from ingest.capture.errors import CaptureError


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_host(url: httpx.URL) -> None:
    """Raise ``CaptureError("private_address")`` unless every address of the URL's host is public."""
    host = url.host
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise CaptureError("dns", f"cannot resolve host {host!r} of {url}: {exc}", url=str(url)) from exc
    for *_, sockaddr in infos:
        if not is_public(str(sockaddr[0])):
            raise _refused(url, str(sockaddr[0]))


def check_peer(response: httpx.Response) -> None:
    """The same check on the address the response came from."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer and not is_public(str(peer[0])):
        raise _refused(response.url, str(peer[0]))


def _refused(url: httpx.URL, address: str) -> CaptureError:
    message = (
        f"{url.host} is at {address}, a private or local address: this archive captures public links only"
    )
    return CaptureError("private_address", message, url=str(url))
