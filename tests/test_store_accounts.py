"""Accounts, tokens, sessions, grants and sign-in failures as the store keeps them, on SQLite and on a
real PostgreSQL server."""

from __future__ import annotations

import pytest

from archive.accounts import AccountError, Accounts, SignInRefused
from archive.store import DocumentStore


@pytest.fixture
def accounts(database_url: str):
    store = DocumentStore(database_url)
    yield Accounts(store.accounts, True)
    store.close()


def test_users_tokens_sessions_and_grants_round_trip(accounts: Accounts) -> None:
    assert accounts.first_admin() is not None and accounts.first_admin() is None
    user, password = accounts.add_user("aigerim", "researcher")
    with pytest.raises(AccountError):
        accounts.add_user("aigerim", "archivist")
    accounts.grant("aigerim", "01jdocument00000")
    principal, session_id = accounts.sign_in("aigerim", password, "127.0.0.1")
    assert principal.name == "aigerim" and "01jdocument00000" in principal.granted
    found = accounts.by_session(session_id)
    assert found is not None and found[0].name == "aigerim"
    token_id, token = accounts.create_token("aigerim", "scripts")
    by_token = accounts.by_token(token)
    assert by_token is not None and by_token.name == "aigerim"
    assert accounts.revoke_token(token_id) and accounts.by_token(token) is None
    accounts.revoke_grant("aigerim", "01jdocument00000")
    accounts.sign_out(session_id)
    assert accounts.by_session(session_id) is None
    accounts.set_disabled("aigerim")
    assert [u.name for u in accounts.users() if u.disabled] == ["aigerim"]
    assert user.name == "aigerim"


def test_wrong_passwords_are_counted(accounts: Accounts) -> None:
    accounts.add_user("daniyar", "researcher", "a long enough password")
    for _ in range(3):
        with pytest.raises(SignInRefused):
            accounts.sign_in("daniyar", "not the password", "10.0.0.7")
    principal, _ = accounts.sign_in("daniyar", "a long enough password", "10.0.0.7")
    assert principal.name == "daniyar"


def test_grants_by_group_and_by_collection(accounts: Accounts) -> None:
    user, _ = accounts.add_user("dana", "researcher")
    accounts.add_group("monitors")
    with pytest.raises(AccountError):
        accounts.add_group("monitors")
    accounts.join("monitors", "dana")
    accounts.join("monitors", "dana")  # once is enough
    accounts.grant(group="monitors", document_id="01jteamed0000000")
    accounts.grant(group="monitors", collection="Case  17")
    accounts.grant("dana", collection="Case 17")  # the same collection twice over: one in effect
    dana = accounts.principal(user)
    assert dana.granted == {"01jteamed0000000"} and dana.collections == {"Case 17"}
    assert [(g.name, g.members) for g in accounts.groups()] == [("monitors", ("dana",))]
    accounts.leave("monitors", "dana")
    dana = accounts.principal(user)
    assert dana.granted == frozenset() and dana.collections == {"Case 17"}
    accounts.revoke_grant("dana", collection="Case 17")
    assert accounts.principal(user).collections == frozenset()
    with pytest.raises(AccountError):
        accounts.grant("dana", "01jteamed0000000", collection="Case 17")
