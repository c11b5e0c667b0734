"""Evidence packages: one document as a zipped BagIt bag (RFC 8493) that stands on its own.

data/original/NAME       the original, byte for byte; for a capture also capture-N.warc.gz (the requests
                         and responses), capture-N.png (screenshot) and capture-N.wacz, N its custody entry
data/text.txt            the text extracted from it
data/metadata.json       the document's record as the archive holds it
data/custody.json        the document's custody entries, each with its hash and the previous entry's hash
data/timestamps/         RFC 3161 tokens (*.tsr) of the original and of a custody head that covers them
data/citation.txt, citation.json   how to cite it, as a sentence and as CSL-JSON
data/README.txt          how to check all of it without the archive

The bag's manifests (SHA-256 and SHA-512) let `bagit.py --validate` or `sha256sum -c` show that nothing
changed in transit; the custody hashes and tokens show what the archive did and when.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bagit

from archive.blobs import BlobStore
from archive.citation import Citation
from archive.custody import CustodyEntry
from archive.domain import Document
from archive.store import DocumentStore, StoredTimestamp

CHECKSUMS = ["sha256", "sha512"]
_UNSAFE = re.compile(r"[^\w.\-]+")

README = """\
Evidence package of document {id} from an evidence archive.

original/   the original, byte for byte; its SHA-256 is {sha256}
            (check: sha256sum original/*  or, from the bag's top folder, sha256sum -c manifest-sha256.txt)
custody.json
            what happened to the document, as entries of the archive's hash-chained custody log.
            Each entry's "hash" is the SHA-256 of the entry as canonical JSON (keys sorted, no spaces,
            UTF-8) without the "hash" key; "prev_hash" is the hash of the entry before it in the log.
            "head" is the log's last entry when the package was made.
timestamps/ RFC 3161 tokens. Each is over a SHA-256 named in timestamps/timestamps.json: the original's,
            or the hash of a custody entry (the log's head then). Check one with
            openssl ts -verify -digest HASH -in timestamps/FILE.tsr -CAfile tsa-ca.pem
            (tsa-ca.pem: the authority's CA certificate; included here when the archive was given it).
"""


def build_package(
    document: Document,
    store: DocumentStore,
    blobs: BlobStore,
    work_dir: Path,
    *,
    tsa_ca_file: Path | None = None,
    citation: Citation | None = None,
    attachments: Sequence[tuple[str, str]] = (),
) -> Path:
    """Writes the zipped bag into `work_dir` and returns its path (the caller removes it).

    The original is verified while it is copied (BlobCorrupted, BlobMissing): the caller checks it first.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"bag-{document.id}-", dir=work_dir))
    try:
        _write_payload(folder, document, store, blobs, tsa_ca_file)
        for name, sha256 in attachments:  # a capture's WARC, screenshot and WACZ, beside the body
            _copy_blob(blobs, sha256, folder / "original" / safe_name(name))
        if citation is not None:
            (folder / "citation.txt").write_text(citation.text() + "\n", "utf-8")
            _write_json(folder / "citation.json", [citation.csl()])
        bagit.make_bag(str(folder), _bag_info(document), checksums=CHECKSUMS)
        return _zip(folder, work_dir / f"evidence-{document.id}.zip", f"evidence-{document.id}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_payload(
    folder: Path, document: Document, store: DocumentStore, blobs: BlobStore, tsa_ca_file: Path | None
) -> None:
    original = folder / "original"
    original.mkdir()
    _copy_blob(blobs, document.sha256, original / safe_name(document.original_name or document.sha256))
    (folder / "text.txt").write_text(document.text, "utf-8")
    _write_json(folder / "metadata.json", metadata_json(document))
    entries = store.custody_of(document.id)
    head = store.custody_head()
    _write_json(folder / "custody.json", {
        "document_id": document.id,
        "entries": [e.as_json() for e in entries],
        "head": {"seq": head.seq, "hash": head.hash} if head else None,
    })
    _write_timestamps(folder / "timestamps", document, entries, store, tsa_ca_file)
    (folder / "README.txt").write_text(README.format(id=document.id, sha256=document.sha256), "utf-8")


def _write_timestamps(
    folder: Path, document: Document, entries: list[CustodyEntry], store: DocumentStore, ca: Path | None
) -> None:
    stamps = store.timestamps(document_id=document.id, subject="original")  # the body's and the WARCs'
    last_seq = max((e.seq for e in entries), default=0)
    covering = [h for h in store.timestamps(subject="custody_head") if (h.custody_seq or 0) >= last_seq]
    stamps += covering[:1]  # the first stamped head after the document's last entry
    if not stamps:
        return
    folder.mkdir()
    listing = []
    for stamp in stamps:
        name = f"{stamp.id}-{stamp.subject}.tsr"
        (folder / name).write_bytes(stamp.token)
        listing.append({"file": name, **_stamp_json(stamp)})
    _write_json(folder / "timestamps.json", listing)
    if ca is not None:
        shutil.copyfile(ca, folder / "tsa-ca.pem")


def _stamp_json(stamp: StoredTimestamp) -> dict[str, Any]:
    return {
        "of": stamp.subject, "sha256": stamp.sha256, "custody_seq": stamp.custody_seq,
        "gen_time": stamp.gen_time.isoformat(), "tsa_url": stamp.tsa_url,
    }


def metadata_json(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "kind": str(document.kind),
        "title": document.title,
        "language": document.language,
        "sha256": document.sha256,
        "size": document.size,
        "media_type": document.media_type,
        "original_name": document.original_name,
        "ingested_at": document.ingested_at.isoformat(),
        "provenance": asdict(document.provenance),
        "access": str(document.access),
        "collection": document.collection,
        "metadata": document.metadata,
    }


def _bag_info(document: Document) -> dict[str, str]:
    return {
        "Source-Organization": "Evidence archive",
        "External-Identifier": document.id,
        "External-Description": document.title[:500],
        "Bagging-Date": datetime.now(UTC).date().isoformat(),
        "Original-SHA256": document.sha256,
    }


def _zip(folder: Path, target: Path, top: str) -> Path:
    """The bag under one top folder, as `bagit.py --validate` expects it once unzipped."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return target


def _copy_blob(blobs: BlobStore, sha256: str, target: Path) -> None:
    with open(target, "wb") as out:
        for chunk in blobs.open_verified(sha256):
            out.write(chunk)


def safe_name(name: str) -> str:
    cleaned = _UNSAFE.sub("_", Path(name).name).strip("._")
    return cleaned[:150] or "original"


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1, default=str) + "\n", "utf-8")
