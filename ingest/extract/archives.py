"""ZIP and TAR archives (stdlib zipfile and tarfile): the archive's own document lists what it holds,
and every file in it is yielded as a member, within the bounds of `ingest.extract.members`."""

from __future__ import annotations

import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from ingest.errors import IngestError
from ingest.extract.members import Budget, Member, container, unsafe_path
from ingest.extract.result import Extracted

ZIP = "application/zip"
TAR = "application/x-tar"
_ENCRYPTED = 0x1


def extract_zip(path: Path, name: str) -> Extracted:
    try:
        with zipfile.ZipFile(path) as archive:
            files = [info.filename for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise IngestError("corrupt_zip", f"The file is a damaged ZIP archive ({error}).") from error
    return container(f"ZIP archive {name}", files, ZIP, _zip_members(path, name))


def _zip_members(path: Path, name: str) -> Iterator[Member]:
    budget = Budget(name)
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if refused := budget.admit(info.filename, info.file_size, info.compress_size):
                yield Member(info.filename, error=refused)
                if budget.over_count:
                    return  # one entry for all the rest
                continue
            if info.flag_bits & _ENCRYPTED:
                yield Member(info.filename, error=IngestError(
                    "encrypted", f"{info.filename} is encrypted: it cannot be read without its password "
                    "(it stays in the container's original)"))  # fmt: skip
                continue
            try:
                data = archive.read(info)
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError) as error:
                yield Member(info.filename, error=IngestError("corrupt_member", f"{info.filename}: {error}"))
                continue
            yield _checked(info.filename, data)


def extract_tar(path: Path, name: str) -> Extracted:
    try:
        with tarfile.open(path) as archive:
            files = [member.name for member in archive.getmembers() if not member.isdir()]
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise IngestError("corrupt_tar", f"The file is a damaged TAR archive ({error}).") from error
    return container(f"TAR archive {name}", files, TAR, _tar_members(path, name))


def _tar_members(path: Path, name: str) -> Iterator[Member]:
    budget = Budget(name)
    with tarfile.open(path) as archive:
        for info in archive:
            if info.isdir():
                continue
            if not info.isfile():
                kind = "a link" if info.issym() or info.islnk() else "not a regular file"
                yield Member(
                    info.name, error=IngestError("not_a_file", f"{info.name} is {kind}: not followed")
                )
                continue
            if refused := budget.admit(info.name, info.size):
                yield Member(info.name, error=refused)
                if budget.over_count:
                    return
                continue
            stream = archive.extractfile(info)
            if stream is None:
                continue
            yield _checked(info.name, stream.read())


def _checked(path: str, data: bytes) -> Member:
    """A member with an unsafe path keeps its bytes but is not made a document."""
    if reason := unsafe_path(path):
        return Member(
            path, data, IngestError("unsafe_path", f"{reason}: kept as an original, not as a document")
        )
    return Member(path, data)
