"""Accounts in the store of record: users, groups, API tokens, browser sessions, grants and failed
sign-ins.

Secrets never reach the database: passwords arrive hashed (argon2, by `archive.accounts`), tokens and
session ids as their SHA-256.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from archive.store.models import (
    ApiTokenRow,
    GrantRow,
    GroupMemberRow,
    GroupRow,
    LoginFailureRow,
    SessionRow,
    UserRow,
)


class UserExists(ValueError):
    pass


class GroupExists(ValueError):
    pass


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    disabled: bool
    created_at: datetime


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    members: tuple[str, ...]  # user names


@dataclass(frozen=True)
class Subject:
    """Who a grant is to: a user or a group, by id."""

    user_id: int | None = None
    group_id: int | None = None


@dataclass(frozen=True)
class Grants:
    """What a user may read beyond public documents: documents by id, and whole collections."""

    documents: frozenset[str] = frozenset()
    collections: frozenset[str] = frozenset()


@dataclass(frozen=True)
class StoredSession:
    user: User
    csrf_token: str


def _user(row: UserRow) -> User:
    return User(row.id, row.name, row.role, row.disabled, row.created_at)


def _now() -> datetime:
    return datetime.now(UTC)


class AccountStore:
    def __init__(self, engine: Engine, writer: Engine) -> None:
        self._engine = engine
        self._writer = writer

    # --- users --------------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password_hash: str) -> User:
        row = UserRow(name=name, role=role, password_hash=password_hash, disabled=False, created_at=_now())
        try:
            with Session(self._writer) as session, session.begin():
                session.add(row)
                session.flush()
                return _user(row)
        except IntegrityError as error:
            raise UserExists(f"there is already a user named {name!r}") from error

    def user(self, name: str) -> tuple[User, str] | None:
        """The user and their password hash."""
        with Session(self._engine) as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            return (_user(row), row.password_hash) if row else None

    def users(self) -> list[User]:
        with Session(self._engine) as session:
            return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]

    def count_users(self) -> int:
        with self._engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(UserRow)) or 0

    def update_user(self, user_id: int, **values: object) -> None:
        with self._writer.begin() as conn:
            conn.execute(update(UserRow).where(UserRow.id == user_id).values(**values))

    # --- tokens -------------------------------------------------------------------------------

    def add_token(self, user_id: int, token_hash: str, label: str) -> int:
        row = ApiTokenRow(user_id=user_id, token_hash=token_hash, label=label, created_at=_now())
        with Session(self._writer) as session, session.begin():
            session.add(row)
            session.flush()
            return row.id

    def user_for_token(self, token_hash: str) -> User | None:
        stmt = (
            select(UserRow)
            .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_hash == token_hash, ApiTokenRow.revoked_at.is_(None))
        )
        with Session(self._engine) as session:
            row = session.scalar(stmt)
            return _user(row) if row else None

    def revoke_token(self, token_id: int) -> bool:
        with self._writer.begin() as conn:
            changed = conn.execute(
                update(ApiTokenRow)
                .where(ApiTokenRow.id == token_id, ApiTokenRow.revoked_at.is_(None))
                .values(revoked_at=_now())
            )
            return changed.rowcount > 0

    def tokens(self, user_id: int) -> list[tuple[int, str, datetime, datetime | None]]:
        """(id, label, created, revoked) of a user's tokens."""
        stmt = select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
        with Session(self._engine) as session:
            return [(r.id, r.label, r.created_at, r.revoked_at) for r in session.scalars(stmt)]

    # --- sessions -----------------------------------------------------------------------------

    def add_session(self, id_hash: str, user_id: int, csrf_token: str, lifetime: timedelta) -> None:
        now = _now()
        row = SessionRow(
            id_hash=id_hash, user_id=user_id, csrf_token=csrf_token, created_at=now, expires_at=now + lifetime
        )
        with Session(self._writer) as session, session.begin():
            session.execute(delete(SessionRow).where(SessionRow.expires_at < now))
            session.add(row)

    def session(self, id_hash: str) -> StoredSession | None:
        stmt = (
            select(UserRow, SessionRow.csrf_token)
            .join(SessionRow, SessionRow.user_id == UserRow.id)
            .where(SessionRow.id_hash == id_hash, SessionRow.expires_at > _now())
        )
        with Session(self._engine) as session:
            found = session.execute(stmt).first()
            return StoredSession(_user(found[0]), found[1]) if found else None

    def end_session(self, id_hash: str) -> None:
        with self._writer.begin() as conn:
            conn.execute(delete(SessionRow).where(SessionRow.id_hash == id_hash))

    def end_sessions_of(self, user_id: int) -> None:
        with self._writer.begin() as conn:
            conn.execute(delete(SessionRow).where(SessionRow.user_id == user_id))

    # --- groups -------------------------------------------------------------------------------

    def add_group(self, name: str) -> int:
        try:
            with Session(self._writer) as session, session.begin():
                row = GroupRow(name=name, created_at=_now())
                session.add(row)
                session.flush()
                return row.id
        except IntegrityError as error:
            raise GroupExists(f"there is already a group named {name!r}") from error

    def group_id(self, name: str) -> int | None:
        with self._engine.connect() as conn:
            return conn.scalar(select(GroupRow.id).where(GroupRow.name == name))

    def groups(self) -> list[Group]:
        stmt = (
            select(GroupRow.id, GroupRow.name, UserRow.name)
            .outerjoin(GroupMemberRow, GroupMemberRow.group_id == GroupRow.id)
            .outerjoin(UserRow, UserRow.id == GroupMemberRow.user_id)
            .order_by(GroupRow.name, UserRow.name)
        )
        members: dict[tuple[int, str], list[str]] = {}
        with self._engine.connect() as conn:
            for group_id, group_name, user_name in conn.execute(stmt):
                members.setdefault((group_id, group_name), [])
                if user_name is not None:
                    members[(group_id, group_name)].append(user_name)
        return [Group(group_id, name, tuple(names)) for (group_id, name), names in members.items()]

    def join(self, group_id: int, user_id: int) -> None:
        try:
            with Session(self._writer) as session, session.begin():
                session.add(GroupMemberRow(group_id=group_id, user_id=user_id))
        except IntegrityError:
            pass  # a member already

    def leave(self, group_id: int, user_id: int) -> None:
        with self._writer.begin() as conn:
            conn.execute(
                delete(GroupMemberRow).where(
                    GroupMemberRow.group_id == group_id, GroupMemberRow.user_id == user_id
                )
            )

    # --- grants -------------------------------------------------------------------------------

    def grant(self, to: Subject, document_id: str | None = None, collection: str | None = None) -> None:
        """Lets ``to`` read one document or a whole collection; granting twice changes nothing."""
        where = _grant_where(to, document_id, collection)
        with Session(self._writer) as session, session.begin():
            if session.scalar(select(GrantRow.id).where(where)) is None:
                session.add(
                    GrantRow(
                        user_id=to.user_id, group_id=to.group_id, document_id=document_id,
                        collection=collection, created_at=_now(),
                    )
                )

    def revoke_grant(
        self, to: Subject, document_id: str | None = None, collection: str | None = None
    ) -> None:
        with self._writer.begin() as conn:
            conn.execute(delete(GrantRow).where(_grant_where(to, document_id, collection)))

    def granted(self, user_id: int) -> Grants:
        """The user's own grants and those of every group they belong to."""
        groups = select(GroupMemberRow.group_id).where(GroupMemberRow.user_id == user_id)
        stmt = select(GrantRow.document_id, GrantRow.collection).where(
            or_(GrantRow.user_id == user_id, GrantRow.group_id.in_(groups))
        )
        with self._engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return Grants(
            frozenset(document for document, _ in rows if document is not None),
            frozenset(collection for _, collection in rows if collection is not None),
        )

    # --- failed sign-ins ----------------------------------------------------------------------

    def add_failures(self, keys: Sequence[str]) -> None:
        now = _now()
        with Session(self._writer) as session, session.begin():
            session.add_all(LoginFailureRow(key=key, at=now) for key in keys)

    def failures_since(self, key: str, since: datetime) -> tuple[int, datetime | None]:
        """How many failures for ``key`` since then, and the latest."""
        stmt = select(func.count(), func.max(LoginFailureRow.at)).where(
            LoginFailureRow.key == key, LoginFailureRow.at >= since
        )
        with self._engine.connect() as conn:
            count, latest = conn.execute(stmt).one()
        if latest is not None and latest.tzinfo is None:
            latest = latest.replace(tzinfo=UTC)
        return count or 0, latest

    def clear_failures(self, key: str) -> None:
        with self._writer.begin() as conn:
            conn.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))


def _grant_where(to: Subject, document_id: str | None, collection: str | None) -> ColumnElement[bool]:
    if (to.user_id is None) == (to.group_id is None) or (document_id is None) == (collection is None):
        raise ValueError("a grant is to one user or one group, of one document or one collection")
    subject = GrantRow.group_id == to.group_id if to.user_id is None else GrantRow.user_id == to.user_id
    thing = GrantRow.collection == collection if document_id is None else GrantRow.document_id == document_id
    return and_(subject, thing)
