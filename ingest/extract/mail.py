"""E-mails: EML (stdlib email), MBOX (stdlib mailbox) and Outlook MSG (extract-msg).

The headers (from, to, date, subject) become metadata, the body its text; every attachment, and
every message of a mailbox, is yielded as a member, a document of its own linked to its message.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import mailbox
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from ingest.errors import IngestError
from ingest.extract.cleanup import clean_text
from ingest.extract.html import extract_html
from ingest.extract.members import Member, bounded, container
from ingest.extract.result import Extracted

EML = "message/rfc822"
MBOX = "application/mbox"
MSG = "application/vnd.ms-outlook"
_HEADERS = ("from", "to", "cc", "date", "subject")


def extract_eml(data: bytes, name: str) -> Extracted:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not any(message.get(h) for h in ("from", "to", "subject")):
        raise IngestError(
            "malformed_email", "The file is not an e-mail: it has no From, To or Subject header."
        )
    metadata = _header_metadata(message)
    if message.defects:
        metadata["email_defects"] = [type(defect).__name__ for defect in message.defects]
    body = _body_text(message)
    text = clean_text("\n".join(filter(None, [_header_block(metadata), body])))
    return Extracted(
        text=text,
        title=metadata.get("subject") or None,
        media_type=EML,
        metadata=metadata,
        members=_attachments(message, name),
    )


def _header_metadata(message: EmailMessage) -> dict:
    found: dict = {}
    for header in _HEADERS:
        try:
            value = message.get(header)
        except (ValueError, IndexError, TypeError):  # a header the parser cannot make sense of
            value = message.get_all(header, failobj=[""])[0] if header in message else None
        if value:
            found[header] = " ".join(str(value).split())
    _add_sent_date(found)
    return found


def _add_sent_date(metadata: dict) -> None:
    """`sent_date`: the day of the message's `date`, in the time zone it was written in."""
    if "date" in metadata:
        with contextlib.suppress(TypeError, ValueError):
            metadata["sent_date"] = parsedate_to_datetime(metadata["date"]).date().isoformat()


def _header_block(metadata: dict) -> str:
    names = {"from": "From", "to": "To", "cc": "Cc", "date": "Date", "subject": "Subject"}
    return "\n".join(f"{names[key]}: {metadata[key]}" for key in names if key in metadata)


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        content = part.get_payload(decode=True) or b""
        content = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else str(content)
    if part.get_content_subtype() == "html":
        try:
            return extract_html(content.encode("utf-8"), charset="utf-8").text
        except IngestError:
            return ""
    return content


def _attachments(message: EmailMessage, name: str) -> Iterator[Member]:
    parts = enumerate(message.iter_attachments(), start=1)
    return bounded(name, (_attachment(part, number) for number, part in parts))


def _attachment(part: EmailMessage, number: int) -> tuple[str, bytes | None]:
    """An attachment's file name and decoded bytes; an attached message is its own bytes."""
    path = part.get_filename() or f"attachment-{number}"
    payload = part.get_payload(decode=True)
    if part.get_content_type() == EML and payload is None:
        inner = part.get_payload()
        payload = inner[0].as_bytes() if isinstance(inner, list) and inner else None
        path = part.get_filename() or f"message-{number}.eml"
    return path, payload


def extract_mbox(path: Path, name: str) -> Extracted:
    box = mailbox.mbox(path, create=False)
    try:
        subjects = [str(message.get("subject") or "(no subject)") for message in box]
    finally:
        box.close()
    if not subjects:
        raise IngestError("malformed_email", "The mailbox holds no message.")
    return container(f"Mailbox {name}", subjects, MBOX, _mbox_messages(path, name))


def _mbox_messages(path: Path, name: str) -> Iterator[Member]:
    box = mailbox.mbox(path, create=False)
    try:
        messages = ((f"message-{n}.eml", message.as_bytes()) for n, message in enumerate(box, start=1))
        yield from bounded(name, messages)
    finally:
        box.close()


def extract_msg(path: Path, name: str) -> Extracted:
    import extract_msg  # brings olefile and more: loaded only for Outlook files

    try:
        message = extract_msg.openMsg(str(path))
    except Exception as error:  # the library raises many kinds for a damaged file
        reason = str(error).rstrip(".")
        raise IngestError("corrupt_msg", f"The file is not a readable Outlook message ({reason}).") from error
    try:
        metadata = {
            key: " ".join(str(value).split())
            for key, value in (
                ("from", message.sender), ("to", message.to), ("cc", message.cc),
                ("date", message.date and format_datetime(message.date)), ("subject", message.subject),
            )
            if value
        }  # fmt: skip
        _add_sent_date(metadata)
        text = clean_text("\n".join(filter(None, [_header_block(metadata), message.body or ""])))
        attachments = [
            (attachment.longFilename or attachment.shortFilename or f"attachment-{n}", attachment.data)
            for n, attachment in enumerate(message.attachments, start=1)
        ]
    finally:
        message.close()
    return Extracted(
        text=text,
        title=metadata.get("subject") or None,
        media_type=MSG,
        metadata=metadata,
        members=_msg_attachments(attachments, name),
    )


def _msg_attachments(attachments: list[tuple[str, object]], name: str) -> Iterator[Member]:
    return bounded(name, ((path, data if isinstance(data, bytes) else None) for path, data in attachments))
