"""`archive user …` and `archive token …`: accounts on the command line, for whoever holds the data."""

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
        command.add_argument("document_id")

    token = commands.add_parser("token", parents=[common], help="API tokens for scripts")
    tokens = token.add_subparsers(dest="token_command", required=True)
    create = tokens.add_parser("create", parents=[common], help="a new token of a user, printed once")
    create.add_argument("name")
    create.add_argument("--label", default="")
    revoke = tokens.add_parser("revoke", parents=[common], help="a token stops working at once")
    revoke.add_argument("token_id", type=int)


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
                if archive.document(args.document_id) is None:
                    raise AccountError(f"no document {args.document_id!r} in this archive")
                accounts.grant(args.name, args.document_id)
                print(f"{args.name} may read {args.document_id}")
            case "revoke":
                accounts.revoke_grant(args.name, args.document_id)
                print(f"{args.name} may no longer read {args.document_id} unless it is public")
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
