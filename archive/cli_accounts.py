"""`archive user …`, `archive group …` and `archive token …`: accounts on the command line, for whoever
holds the data."""

from __future__ import annotations

import argparse
import sys

from archive.accounts import AccountError, Role
from archive.service import Archive


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    user = commands.add_parser("user", parents=[common], help="accounts: add, list, disable, grant")
    users = user.add_subparsers(dest="user_command", required=True)
    add = users.add_parser("add", parents=[common], help="add a user; prints a password to hand over")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--password", help="instead of a random one (at least 10 characters)")
    users.add_parser("list", parents=[common], help="users, their roles and state")
    switches = (("disable", "stop a user signing in (their sessions end)"), ("enable", "undo disable"))
    for name, what in switches:
        command = users.add_parser(name, parents=[common], help=what)
        command.add_argument("name")
    for name, what in (("grant", "let a researcher read a restricted document"), ("revoke", "undo grant")):
        command = users.add_parser(name, parents=[common], help=what)
        command.add_argument("name")
        _grant_object_arguments(command)

    group = commands.add_parser("group", parents=[common], help="groups of users, and grants to a group")
    groups = group.add_subparsers(dest="group_command", required=True)
    groups.add_parser("add", parents=[common], help="a new group").add_argument("group")
    groups.add_parser("list", parents=[common], help="groups and their members")
    for name, what in (("join", "add a user to a group"), ("leave", "take a user out of a group")):
        command = groups.add_parser(name, parents=[common], help=what)
        command.add_argument("group")
        command.add_argument("user")
    grants = (("grant", "let every member read a document or a collection"), ("revoke", "undo grant"))
    for name, what in grants:
        command = groups.add_parser(name, parents=[common], help=what)
        command.add_argument("group")
        _grant_object_arguments(command)

    token = commands.add_parser("token", parents=[common], help="API tokens for scripts")
    tokens = token.add_subparsers(dest="token_command", required=True)
    create = tokens.add_parser("create", parents=[common], help="a new token of a user, printed once")
    create.add_argument("name")
    create.add_argument("--label", default="")
    revoke = tokens.add_parser("revoke", parents=[common], help="a token stops working at once")
    revoke.add_argument("token_id", type=int)


def _grant_object_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("document_id", nargs="?", help="one restricted document")
    command.add_argument("--collection", help="instead of one document: every document of this collection")


def _grant_object(archive: Archive, args: argparse.Namespace) -> dict[str, str | None]:
    if (args.document_id is None) == (args.collection is None):
        raise AccountError("name a document or give --collection, not both")
    if args.document_id is not None and archive.document(args.document_id) is None:
        raise AccountError(f"no document {args.document_id!r} in this archive")
    return {"document_id": args.document_id, "collection": args.collection}


def _what(args: argparse.Namespace) -> str:
    return args.document_id or f"the collection {args.collection!r}"


def cmd_user(archive: Archive, args: argparse.Namespace) -> int:
    accounts = archive.accounts
    try:
        match args.user_command:
            case "add":
                user, password = accounts.add_user(args.name, args.role, args.password)
                print(f"added {user.name} ({user.role}); password: {password}")
            case "list":
                for user in accounts.users():
                    state = "disabled" if user.disabled else "active"
                    print(f"{user.name:<24} {user.role:<10} {state:<8} since {user.created_at:%Y-%m-%d}")
            case "disable" | "enable":
                accounts.set_disabled(args.name, args.user_command == "disable")
                print(f"{args.name}: {args.user_command}d")
            case "grant":
                accounts.grant(args.name, **_grant_object(archive, args))
                print(f"{args.name} may read {_what(args)}")
            case "revoke":
                accounts.revoke_grant(args.name, **_grant_object(archive, args))
                print(f"{args.name} may no longer read {_what(args)} unless it is public")
    except AccountError as error:
        print(f"archive: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_group(archive: Archive, args: argparse.Namespace) -> int:
    accounts = archive.accounts
    try:
        match args.group_command:
            case "add":
                accounts.add_group(args.group)
                print(f"added the group {args.group}")
            case "list":
                for group in accounts.groups():
                    print(f"{group.name:<24} {', '.join(group.members) or '(no members)'}")
            case "join" | "leave":
                (accounts.join if args.group_command == "join" else accounts.leave)(args.group, args.user)
                print(f"{args.user}: {args.group_command} {args.group}")
            case "grant":
                accounts.grant(group=args.group, **_grant_object(archive, args))
                print(f"the members of {args.group} may read {_what(args)}")
            case "revoke":
                accounts.revoke_grant(group=args.group, **_grant_object(archive, args))
                print(f"the members of {args.group} may no longer read {_what(args)} unless it is public")
    except AccountError as error:
        print(f"archive: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_token(archive: Archive, args: argparse.Namespace) -> int:
    try:
        if args.token_command == "create":
            token_id, token = archive.accounts.create_token(args.name, args.label)
            print(f"token {token_id} of {args.name}, shown this once, for 'Authorization: Bearer': {token}")
            return 0
    except AccountError as error:
        print(f"archive: {error}", file=sys.stderr)
        return 1
    if not archive.accounts.revoke_token(args.token_id):
        print(f"archive: no active token {args.token_id}", file=sys.stderr)
        return 1
    print(f"token {args.token_id} revoked")
    return 0
