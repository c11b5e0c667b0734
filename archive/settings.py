"""The one place where configuration is read: command-line flags override environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

BACKENDS = ("embedded", "elasticsearch")
KEPT_ANSWERS = 256  # search answers a process keeps (`archive.search.answers`)
SECRET_PARAMS = ("token", "access_token", "api_key", "apikey", "key", "sig", "signature", "auth", "password",
                 "session", "sessionid", "x-amz-signature", "x-amz-credential", "x-amz-security-token")


@dataclass(frozen=True)
class Settings:
    home: Path
    backend: str = "embedded"
    elasticsearch_url: str = "http://127.0.0.1:9200"
    elasticsearch_index: str = "archive"  # the alias searched; versioned indices sit behind it
    elasticsearch_shards: int = 1  # primary shards of a new index (replicas: one when a second node is up)
    database_url: str | None = None  # default: SQLite in the home directory
    max_upload_bytes: int = 2 * 1024**3  # an upload or a file over this fails, and nothing of it is kept
    # What one user's uploads and captures may add up to, failed ones whose original is kept included;
    # 0: no quota. The command line, run by whoever holds the data directory, has none.
    user_quota_bytes: int = 10 * 1024**3
    capture_timeout_seconds: float = 20.0  # a whole capture, every redirect hop included
    capture_max_bytes: int = 50 * 1024**2  # a captured response body over this fails the capture
    # Link capture may reach loopback and private addresses: right for one researcher's machine;
    # a shared deployment sets ARCHIVE_CAPTURE_PRIVATE=deny so users cannot probe its network.
    capture_private_addresses: bool = True
    # Anonymous readers see public documents; a closed archive sets ARCHIVE_PUBLIC_READING=deny.
    public_reading: bool = True
    index_retry_seconds: float = 60.0  # the server retries documents the index missed; 0: never
    # A slow or hung index stalls nothing: every search, count and health check gives up after
    # index_timeout_seconds, every write after index_write_timeout_seconds; after a call the index did
    # not answer, calls fail at once for index_cooldown_seconds, then one probe asks again. The server
    # indexes in the background: an upload waits at most index_wait_seconds for its document to be
    # searchable, then answers (the document is kept, and indexed when the index answers again).
    index_timeout_seconds: float = 1.5
    index_write_timeout_seconds: float = 30.0  # the server writes in the background: no request waits
    index_cooldown_seconds: float = 5.0
    index_wait_seconds: float = 1.0
    # Elasticsearch: which terms the index holds is kept, so that a search asks only about new ones; a
    # term found nowhere is asked about again after this long (a document another process indexes is
    # found by it within this time).
    index_term_cache_seconds: float = 5.0
    # Answers to searches asked again while the store and the embedded index are unchanged, kept per
    # process (`archive.search.answers`); 0 keeps none.
    kept_answers: int = KEPT_ANSWERS
    # Symbolic links in an ingested folder that point out of it are refused; ARCHIVE_FOLLOW_LINKS=allow.
    follow_links: bool = False
    # Evidence (issue 9): trusted timestamps, permalinks, secrets kept out of what is stored.
    tsa_url: str | None = None  # RFC 3161 time-stamping authority; none: no trusted timestamps
    tsa_ca_file: Path | None = None  # PEM roots (and intermediates) the TSA's tokens are checked against
    tsa_head_seconds: float = 3600.0  # how often at most the custody log's head is timestamped
    public_url: str | None = None  # base of permalinks in citations, e.g. https://archive.example.org
    secret_params: tuple[str, ...] = SECRET_PARAMS  # query parameters removed from captured URLs
    screenshots: bool = True  # a full-page PNG of every capture, when a browser is installed
    browser_path: str | None = None  # Chromium for screenshots; default /usr/bin/chromium or on PATH
    # Where originals live: a folder (default: blobs/ in the home) or s3://bucket/prefix; and a second
    # store that keeps a copy of every original (a folder or s3://), checked and repaired by verify.
    blobs_url: str | None = None
    blobs_copy_url: str | None = None
    # The S3-compatible endpoint (MinIO, Ceph, s3proxy; none: AWS) and its credentials; unset values
    # leave boto3 its own defaults (AWS_* variables, ~/.aws, an instance role).
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = field(default=None, repr=False)

    @property
    def sqlalchemy_url(self) -> str:
        return database_url(self.database_url) if self.database_url else f"sqlite:///{self.sqlite_path}"

    @property
    def sqlite_path(self) -> Path:
        """The store of record when no database URL is given."""
        return self.home / "archive.sqlite3"

    @property
    def blob_dir(self) -> Path:
        return self.home / "blobs"

    @property
    def translation_dir(self) -> Path:
        return self.home / "translation-models"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    def as_environment(self) -> dict[str, str]:
        """The environment variables of where the archive is (the settings the command line may
        override among them), for processes that read their settings from the environment: those of
        `archive serve --workers`."""
        return {
            "ARCHIVE_HOME": str(self.home),
            "ARCHIVE_BACKEND": self.backend,
            "ELASTICSEARCH_URL": self.elasticsearch_url,
            "ARCHIVE_ES_INDEX": self.elasticsearch_index,
            "ARCHIVE_ES_SHARDS": str(self.elasticsearch_shards),
            "ARCHIVE_KEPT_ANSWERS": str(self.kept_answers),
        }

    def with_overrides(self, **values: object) -> Settings:
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def load_settings(**overrides: object) -> Settings:
    env = os.environ
    settings = Settings(
        home=Path(env.get("ARCHIVE_HOME", "./data")),
        backend=env.get("ARCHIVE_BACKEND", "embedded"),
        elasticsearch_url=env.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200"),
        elasticsearch_index=env.get("ARCHIVE_ES_INDEX", "archive"),
        elasticsearch_shards=int(_number(env, "ARCHIVE_ES_SHARDS", 1)) or 1,
        database_url=env.get("ARCHIVE_DATABASE_URL") or None,
        capture_private_addresses=_allowed(env, "ARCHIVE_CAPTURE_PRIVATE"),
        public_reading=_allowed(env, "ARCHIVE_PUBLIC_READING"),
        follow_links=env.get("ARCHIVE_FOLLOW_LINKS", "deny").strip().lower() == "allow",
        index_retry_seconds=_number(env, "ARCHIVE_INDEX_RETRY_SECONDS", 60.0),
        index_timeout_seconds=_number(env, "ARCHIVE_INDEX_TIMEOUT_SECONDS", 1.5),
        index_write_timeout_seconds=_number(env, "ARCHIVE_INDEX_WRITE_TIMEOUT_SECONDS", 30.0),
        index_cooldown_seconds=_number(env, "ARCHIVE_INDEX_COOLDOWN_SECONDS", 5.0),
        index_wait_seconds=_number(env, "ARCHIVE_INDEX_WAIT_SECONDS", 1.0),
        index_term_cache_seconds=_number(env, "ARCHIVE_ES_TERM_CACHE_SECONDS", 5.0),
        kept_answers=int(_number(env, "ARCHIVE_KEPT_ANSWERS", KEPT_ANSWERS)),
        max_upload_bytes=int(_number(env, "ARCHIVE_MAX_UPLOAD_MB", 2048) * 1024**2),
        capture_timeout_seconds=_number(env, "ARCHIVE_CAPTURE_TIMEOUT_SECONDS", 20.0),
        user_quota_bytes=int(_number(env, "ARCHIVE_USER_QUOTA_MB", 10240) * 1024**2),
        capture_max_bytes=int(_number(env, "ARCHIVE_CAPTURE_MAX_MB", 50) * 1024**2),
        **_evidence_settings(env),
    ).with_overrides(**overrides)
    if settings.backend not in BACKENDS:
        raise ValueError(f"unknown backend {settings.backend!r}: choose one of {', '.join(BACKENDS)}")
    return replace(settings, home=Path(settings.home).expanduser().resolve())


def database_url(url: str) -> str:
    """``postgresql://`` (or ``postgres://``) means the psycopg driver, the one the `postgres` extra
    installs; a URL naming its driver (``postgresql+psycopg2://``) is kept as given."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url.removeprefix(plain)
    return url


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name) or ""
    if not value.strip():
        return default
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if number < 0:
        raise ValueError(f"{name} must not be negative, not {value!r}")
    return number


def _allowed(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name) or "allow"
    choice = value.strip().lower()
    if choice not in ("allow", "deny"):
        raise ValueError(f"{name} must be allow or deny, not {value!r}")
    return choice == "allow"


def _evidence_settings(env: Mapping[str, str]) -> dict[str, object]:
    params = env.get("ARCHIVE_SECRET_PARAMS")
    return {
        "tsa_url": env.get("ARCHIVE_TSA_URL") or None,
        "tsa_ca_file": Path(env["ARCHIVE_TSA_CA_FILE"]) if env.get("ARCHIVE_TSA_CA_FILE") else None,
        "tsa_head_seconds": float(env.get("ARCHIVE_TSA_HEAD_SECONDS") or 3600),
        "public_url": (env.get("ARCHIVE_PUBLIC_URL") or "").rstrip("/") or None,
        "secret_params": SECRET_PARAMS if params is None else
        tuple(p.strip().lower() for p in params.split(",") if p.strip()),
        "screenshots": (env.get("ARCHIVE_SCREENSHOTS") or "on").strip().lower() not in ("off", "0", "no"),
        "browser_path": env.get("ARCHIVE_CHROMIUM") or None,
        **_storage_settings(env),
    }


def _storage_settings(env: Mapping[str, str]) -> dict[str, object]:
    return {
        "blobs_url": env.get("ARCHIVE_BLOBS_URL") or None,
        "blobs_copy_url": env.get("ARCHIVE_BLOBS_COPY_URL") or None,
        "s3_endpoint_url": env.get("ARCHIVE_S3_ENDPOINT_URL") or None,
        "s3_region": env.get("ARCHIVE_S3_REGION") or None,
        "s3_access_key_id": env.get("ARCHIVE_S3_ACCESS_KEY_ID") or None,
        "s3_secret_access_key": env.get("ARCHIVE_S3_SECRET_ACCESS_KEY") or None,
    }
