"""Who is asking: accounts with roles, API tokens, browser sessions, grants, and slowed sign-ins.

Roles: an **admin** manages users, groups and grants and may purge; an **archivist** uploads, captures,
edits and sets access; a **researcher** reads public documents and the restricted ones granted to them
or to a group of theirs, one by one or by collection; **anonymous** readers see public documents while
the archive allows public reading.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from archive.domain import AccessLevel, Document, DocumentHead, Visibility, collection_name
from archive.store.accounts import AccountStore, Group, GroupExists, Subject, User, UserExists

SESSION_LIFETIME = timedelta(days=7)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
TOKEN_PREFIX = "arch_"
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")

_hasher = PasswordHasher()
_NO_USER_HASH = _hasher.hash(secrets.token_urlsafe(16))  # verified against when the name is unknown


class Role(StrEnum):
    ADMIN = "admin"
    ARCHIVIST = "archivist"
    RESEARCHER = "researcher"


class SignInRefused(PermissionError):
    """Wrong name or password, or a disabled account: one message for all, so none is confirmed."""

    def __init__(self) -> None:
        super().__init__("The name or the password is wrong.")


class TooManyAttempts(PermissionError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many failed sign-ins: try again in {retry_after} s.")
        self.retry_after = retry_after


class AccountError(ValueError):
    """A request about accounts that cannot be done as asked; the message says why."""


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role | None  # None: an anonymous reader
    user_id: int | None = None
    granted: frozenset[str] = frozenset()  # restricted documents granted, by id
    collections: frozenset[str] = frozenset()  # collections granted whole
    public_read: bool = True  # for anonymous readers: whether the archive allows public reading

    @property
    def is_anonymous(self) -> bool:
        return self.role is None

    @property
    def can_write(self) -> bool:
        """Uploads, captures, edits and access: archivists and admins."""
        return self.role in (Role.ADMIN, Role.ARCHIVIST)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def visibility(self) -> Visibility | None:
        """None for those who see every document (archivists and admins)."""
        if self.can_write:
            return None
        return Visibility(
            public=self.public_read or not self.is_anonymous,
            granted=self.granted,
            collections=self.collections,
        )

    def can_read(self, document: Document | DocumentHead) -> bool:
        seen = self.visibility
        if seen is None:
            return True
        if document.withdrawn is not None:
            return False
        return (
            (seen.public and document.access == AccessLevel.PUBLIC)
            or document.id in seen.granted
            or (document.collection != "" and document.collection in seen.collections)
        )


SYSTEM = Principal("system", Role.ADMIN)  # the command line, run by whoever holds the data directory


def anonymous(public_read: bool) -> Principal:
    return Principal("anonymous", None, public_read=public_read)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _grant_object(document_id: str | None, collection: str | None) -> tuple[str | None, str | None]:
    if (document_id is None) == (collection is None):
        raise AccountError("a grant is of one document or of one collection")
    if collection is None:
        return document_id, None
    try:
        return None, collection_name(collection)
    except ValueError as error:
        raise AccountError(str(error)) from None


def _check_name(name: str) -> str:
    name = name.strip().lower()
    if not name or len(name) > 100 or not set(name) <= NAME_CHARS:
        raise AccountError("a user name is 1 to 100 of a–z, 0–9 and . _ - @")
    return name


class Accounts:
    def __init__(self, store: AccountStore, public_read: bool) -> None:
        self.store = store
        self.public_read = public_read

    # --- users (admin) ------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password: str | None = None) -> tuple[User, str]:
        """Creates a user; with no password given, a random one is made and returned to hand over."""
        name = _check_name(name)
        if role not in tuple(Role):
            raise AccountError(f"unknown role {role!r}: choose from {', '.join(Role)}")
        password = password or secrets.token_urlsafe(12)
        if len(password) < 10:
            raise AccountError("a password has at least 10 characters")
        try:
            user = self.store.add_user(name, role, _hasher.hash(password))
        except UserExists as error:
            raise AccountError(str(error)) from error
        return user, password

    def first_admin(self) -> str | None:
        """On a fresh archive, creates `admin` and returns its one-time password; otherwise None."""
        if self.store.count_users():
            return None
        try:
            return self.add_user("admin", Role.ADMIN)[1]
        except AccountError:  # another process made it a moment ago
            return None

    def _existing(self, name: str) -> User:
        found = self.store.user(_check_name(name))
        if found is None:
            raise AccountError(f"no user named {name!r}")
        return found[0]

    def users(self) -> list[User]:
        return self.store.users()

    def set_disabled(self, name: str, disabled: bool = True) -> None:
        user = self._existing(name)
        self.store.update_user(user.id, disabled=disabled)
        if disabled:
            self.store.end_sessions_of(user.id)

    def set_password(self, name: str, password: str) -> None:
        if len(password) < 10:
            raise AccountError("a password has at least 10 characters")
        user = self._existing(name)
        self.store.update_user(user.id, password_hash=_hasher.hash(password))
        self.store.end_sessions_of(user.id)

    # --- groups and grants (admin) ----------------------------------------------------------

    def add_group(self, name: str) -> None:
        try:
            self.store.add_group(_check_name(name))
        except GroupExists as error:
            raise AccountError(str(error)) from error

    def groups(self) -> list[Group]:
        return self.store.groups()

    def _group(self, name: str) -> int:
        found = self.store.group_id(_check_name(name))
        if found is None:
            raise AccountError(f"no group named {name!r}")
        return found

    def join(self, group: str, user: str) -> None:
        self.store.join(self._group(group), self._existing(user).id)

    def leave(self, group: str, user: str) -> None:
        self.store.leave(self._group(group), self._existing(user).id)

    def _subject(self, user: str | None, group: str | None) -> Subject:
        if (user is None) == (group is None):
            raise AccountError("a grant is to one user or to one group")
        if user is not None:
            return Subject(user_id=self._existing(user).id)
        return Subject(group_id=self._group(group or ""))

    def grant(
        self, user: str | None = None, document_id: str | None = None, *, group: str | None = None,
        collection: str | None = None,
    ) -> None:
        """Lets a user, or every member of a group, read one restricted document or a whole collection."""
        self.store.grant(self._subject(user, group), *_grant_object(document_id, collection))

    def revoke_grant(
        self, user: str | None = None, document_id: str | None = None, *, group: str | None = None,
        collection: str | None = None,
    ) -> None:
        self.store.revoke_grant(self._subject(user, group), *_grant_object(document_id, collection))

    # --- tokens -------------------------------------------------------------------------------

    def create_token(self, name: str, label: str = "") -> tuple[int, str]:
        """A new API token of the user: (its id, the token, shown this once)."""
        user = self._existing(name)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        return self.store.add_token(user.id, _digest(token), label), token

    def revoke_token(self, token_id: int) -> bool:
        return self.store.revoke_token(token_id)

    # --- who is asking ------------------------------------------------------------------------

    def principal(self, user: User) -> Principal:
        if user.role != Role.RESEARCHER:  # the others see every document
            return Principal(user.name, Role(user.role), user.id)
        granted = self.store.granted(user.id)
        return Principal(user.name, Role(user.role), user.id, granted.documents, granted.collections)

    def anonymous(self) -> Principal:
        return anonymous(self.public_read)

    def by_token(self, token: str) -> Principal | None:
        user = self.store.user_for_token(_digest(token)) if token.startswith(TOKEN_PREFIX) else None
        return self.principal(user) if user and not user.disabled else None

    def by_session(self, session_id: str) -> tuple[Principal, str] | None:
        """The signed-in user of a session cookie and the session's form token."""
        found = self.store.session(_digest(session_id)) if session_id else None
        if found is None or found.user.disabled:
            return None
        return self.principal(found.user), found.csrf_token

    def sign_in(self, name: str, password: str, address: str) -> tuple[Principal, str]:
        """Checks the password and opens a new session (a new id every time: no fixation); returns the
        principal and the session id for the cookie. Failures are counted per account and per address."""
        keys = (f"name:{name.strip().lower()}", f"address:{address}")
        self._refuse_if_throttled(keys)
        found = self.store.user(name.strip().lower())
        stored_hash = found[1] if found else _NO_USER_HASH
        try:
            _hasher.verify(stored_hash, password)
            ok = found is not None and not found[0].disabled
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            self.store.add_failures(keys)
            raise SignInRefused()
        user = found[0]
        self.store.clear_failures(keys[0])
        if _hasher.check_needs_rehash(stored_hash):
            self.store.update_user(user.id, password_hash=_hasher.hash(password))
        session_id = secrets.token_urlsafe(32)
        self.store.add_session(_digest(session_id), user.id, secrets.token_urlsafe(32), SESSION_LIFETIME)
        return self.principal(user), session_id

    def sign_out(self, session_id: str) -> None:
        self.store.end_session(_digest(session_id))

    def _refuse_if_throttled(self, keys: tuple[str, str]) -> None:
        now = datetime.now(UTC)
        for key, limit in zip(keys, (MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS), strict=True):
            count, latest = self.store.failures_since(key, now - FAILURE_WINDOW)
            if count >= limit and latest is not None:
                wait = int((latest + FAILURE_WINDOW - now).total_seconds()) + 1
                raise TooManyAttempts(max(wait, 1))
