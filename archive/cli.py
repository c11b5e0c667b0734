"""The `archive` command: a thin layer over `archive.service.Archive` (its contract: docs/architecture.md)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tqdm import tqdm

from archive import cli_accounts
from archive.domain import ACCESS_LEVELS, KINDS, AccessLevel, Kind, Provenance
from archive.launch import heed_ctrl_c
from archive.search.explain import mark
from archive.search.request import DOCUMENT_LANGUAGES, RELEVANCE, SORTS, InvalidSearch, SearchRequest
from archive.service import (
    COPY_REFUSED,
    PARTS_UNAVAILABLE,
    Archive,
    BackendUnavailable,
    IngestRequest,
    IngestResult,
    InvalidChange,
    NotRetryable,
    OriginalUnavailable,
    entities_csv,
    entities_ftm,
    given_collection,
    given_metadata,
)
from archive.settings import BACKENDS, Settings, load_settings
from archive.translation import install_model

BOLD, PLAIN = "\033[1m", "\033[0m"  # highlights on a terminal


WORKERS_HELP = "processes that extract and analyse (default: the machine's cores; one writer keeps)"


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return number


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home", default=argparse.SUPPRESS, help="data directory (env ARCHIVE_HOME, default ./data)"
    )
    common.add_argument(
        "--backend",
        choices=BACKENDS,
        default=argparse.SUPPRESS,
        help="index backend (env ARCHIVE_BACKEND, default embedded)",
    )
    common.add_argument("--elasticsearch-url", default=argparse.SUPPRESS, help="env ELASTICSEARCH_URL")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="archive", parents=[common], description="A multilingual evidence archive (en / ru / kk)."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", parents=[common], help="store files or folders (recursive)")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--kind", choices=KINDS)
    ingest.add_argument("--title")
    ingest.add_argument("--source", default="", help="provenance: where the files came from")
    ingest.add_argument("--by", default="", help="provenance: who is ingesting them")
    ingest.add_argument("--note", default="")
    ingest.add_argument("--json", action="store_true", help="one JSON object a line per file")
    ingest.add_argument("--access", choices=ACCESS_LEVELS, default=AccessLevel.PUBLIC.value)
    ingest.add_argument("--collection", default="", help="file the documents in this collection")
    ingest.add_argument("--court", default="", help="a ruling's court")
    ingest.add_argument("--case-number", default="")
    ingest.add_argument("--decision-date", default="", help="YYYY-MM-DD")
    ingest.add_argument("--articles", default="", help="articles of the codes, comma-separated")
    ingest.add_argument("--publisher", default="", help="a media item's publisher")
    ingest.add_argument("--published", default="", help="a media item's publication date, YYYY-MM-DD")
    ingest.add_argument("--workers", type=_positive, help=WORKERS_HELP)

    capture = commands.add_parser("capture", parents=[common], help="capture a link as a web archive")
    capture.add_argument("url", nargs="?", help="the link (with --retry: only to give it anew)")
    capture.add_argument("--retry", type=int, metavar="ID", help="run the failed capture ID again")
    capture.add_argument("--title")
    capture.add_argument("--by", default="")
    capture.add_argument("--note", default="")
    capture.add_argument("--json", action="store_true")

    failures = commands.add_parser("failures", parents=[common], help="failed ingests and captures")
    failures.add_argument("--json", action="store_true")
    retry = commands.add_parser("retry", parents=[common], help="run failed captures again")
    retry.add_argument("id", nargs="?", type=int, help="one failure (default: every one not yet retried)")
    retry.add_argument("--json", action="store_true")

    search = commands.add_parser("search", parents=[common], help="search the archive")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--offset", type=int, default=0)
    search.add_argument("--lang", action="append", choices=DOCUMENT_LANGUAGES)
    search.add_argument("--kind", action="append", choices=KINDS)
    search.add_argument(
        "--exact", action="store_true", help="only the typed form: no transliteration, endings or near keys"
    )
    search.add_argument("--year", action="append", help="the year of the document's date (repeatable)")
    search.add_argument("--court", action="append", help="a court, as the facets name it (repeatable)")
    search.add_argument("--publisher", action="append", help="a publisher (repeatable)")
    search.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="documents dated on or after")
    search.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="documents dated on or before")
    search.add_argument("--sort", choices=SORTS, default=RELEVANCE, help="date: newest first")
    search.add_argument("--json", action="store_true")

    verify = commands.add_parser(
        "verify", parents=[common], help="re-hash every blob, check the custody log and timestamps"
    )
    verify.add_argument("--json", action="store_true")

    backup = commands.add_parser(
        "backup", parents=[common], help="a consistent copy of the whole archive into DIR, while it runs")
    backup.add_argument("folder", type=Path, metavar="DIR")
    backup.add_argument("--json", action="store_true")
    restore = commands.add_parser(
        "restore", parents=[common], help="bring a backup back into --home (empty), then rebuild the index")
    restore.add_argument("folder", type=Path, metavar="DIR")
    restore.add_argument("--json", action="store_true")
    move = commands.add_parser(
        "migrate-store", parents=[common],
        help="copy the store of record into another, empty database (e.g. postgresql://...)")
    move.add_argument("url", metavar="URL")

    export = commands.add_parser("export", parents=[common], help="a document's evidence package (BagIt zip)")
    export.add_argument("id")
    export.add_argument("-o", "--output", type=Path, help="where to write it (default evidence-ID.zip)")

    entities = commands.add_parser(
        "entities", parents=[common], help="people, places and organisations: find or export them")
    entities.add_argument("query", nargs="?", default="", help="a name, in any spelling")
    entities.add_argument("--export", choices=("csv", "ftm"), help="every entity, as CSV or FollowTheMoney")
    entities.add_argument("-o", "--output", type=Path, help="where to write the export (default: stdout)")

    commands.add_parser(
        "timestamp", parents=[common], help="trusted timestamps for originals still without one, and the log"
    )

    reindex = commands.add_parser("reindex", parents=[common], help="rebuild the index from the store")
    reindex.add_argument("--pending", action="store_true", help="only index what is not indexed yet")
    reindex.add_argument("--workers", type=_positive, help=WORKERS_HELP)

    translate = commands.add_parser("translate", parents=[common], help="machine translation of queries")
    translate_commands = translate.add_subparsers(dest="translate_command", required=True)
    install = translate_commands.add_parser(
        "install", parents=[common], help="install a user-supplied .argosmodel file"
    )
    install.add_argument("model", type=Path)
    translate_commands.add_parser(
        "status", parents=[common], help="which language pairs queries are translated between"
    )

    cli_accounts.add_commands(commands, common)

    serve = commands.add_parser("serve", parents=[common], help="run the web application")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=_positive, default=1,
                       help="server processes (default 1); they share the data directory and the index")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(
        home=getattr(args, "home", None),
        backend=getattr(args, "backend", None),
        elasticsearch_url=getattr(args, "elasticsearch_url", None),
    )


def _progress(archive: Archive, paths: list[Path], enabled: bool) -> tuple[list, tqdm]:
    files = archive.files(paths)
    return files, tqdm(total=len(files), unit="file", disable=not enabled, file=sys.stderr)


def cmd_ingest(archive: Archive, args: argparse.Namespace) -> int:
    files, bar = _progress(archive, args.paths, sys.stderr.isatty())
    try:
        metadata = given_metadata({
            "court": args.court, "case_number": args.case_number, "decision_date": args.decision_date,
            "articles": args.articles, "publisher": args.publisher, "published_date": args.published,
        })
        collection = given_collection(args.collection)
    except InvalidChange as error:  # every file fails with the reason, as the contract says
        for path in files:
            label = str(getattr(path, "path", path))
            _print_result(IngestResult(label, "failed", error=str(error)), args.json, print)
        return 1
    request = IngestRequest(
        kind=Kind(args.kind) if args.kind else None,
        title=args.title,
        provenance=Provenance(args.source, args.by, args.note),
        metadata=metadata,
        access=AccessLevel(args.access),
        collection=collection,
    )
    failed = 0
    with bar:
        for result in archive.ingest_paths(files, request, workers=args.workers):
            bar.update(1)
            failed += result.status == "failed"
            _print_result(result, args.json, lambda line: bar.write(line, file=sys.stdout))
    return 1 if failed else 0


def _print_result(result: IngestResult, as_json: bool, write: Callable[[str], object]) -> None:
    if as_json:
        print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
        return
    detail = result.error if result.status == "failed" else f"{result.id} {result.language}"
    write(f"{result.status:<9} {result.file}  {detail}")


def cmd_capture(archive: Archive, args: argparse.Namespace) -> int:
    request = IngestRequest(title=args.title, provenance=Provenance("", args.by, args.note))
    if args.retry is None and not args.url:
        print("archive: give a URL, or --retry ID (see `archive failures`)", file=sys.stderr)
        return 2
    try:
        result = (archive.capture(args.url, request) if args.retry is None
                  else archive.retry(args.retry, request, args.url))
    except NotRetryable as error:
        print(f"archive: {error}", file=sys.stderr)
        return 2
    _print_capture(result, args.json)
    return 1 if result.status == "failed" else 0


def _print_capture(result: IngestResult, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
        return
    print(f"{result.status}  {result.id or ''}  {result.error or result.title or ''}")
    for missing in (result.capture or {}).get("missing", []):
        print(f"  {missing}")


def cmd_failures(archive: Archive, args: argparse.Namespace) -> int:
    for failure in archive.failures():
        if args.json:
            print(json.dumps(failure.as_json(), ensure_ascii=False))
            continue
        retried = f"  (retried by {failure.retried_by}: {failure.retry_status})" if failure.retried_by else ""
        print(f"{failure.seq:>6}  {failure.at}  {failure.subject}  {failure.error}{retried}")
    return 0


def cmd_retry(archive: Archive, args: argparse.Namespace) -> int:
    ids = [args.id] if args.id is not None else [
        f.seq for f in archive.failures(limit=10_000) if f.retried_by is None]
    failed = 0
    for seq in ids:
        try:
            result = archive.retry(seq, IngestRequest())
        except NotRetryable as error:
            if args.id is not None:
                print(f"archive: {error}", file=sys.stderr)
                return 2
            continue  # a failed ingest of a file: run `archive ingest` on it again
        failed += result.status == "failed"
        _print_capture(result, args.json)
    return 1 if failed else 0


def cmd_search(archive: Archive, args: argparse.Namespace) -> int:
    try:
        request = SearchRequest.create(
            args.query, args.limit, args.offset, args.lang or (), args.kind or (), args.exact,
            years=args.year or (), courts=args.court or (), publishers=args.publisher or (),
            date_from=args.date_from, date_to=args.date_to, sort=args.sort,
        )
    except InvalidSearch as error:
        print(f"archive: {error}", file=sys.stderr)
        return 2
    result = archive.search(request)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
        return 0
    if result.message:
        print(result.message)
    print(f"{result.total} documents")
    highlight = (BOLD, PLAIN) if sys.stdout.isatty() else ("", "")
    for rank, hit in enumerate(result.hits, 1):
        print(f"{rank:>3}. [{hit.language} {hit.kind} {hit.date}] {hit.title}  ({hit.id})")
        if hit.matched:
            print(f"     matched: {'; '.join(hit.matched)}")
        print(f"     {mark(hit.snippet_text, hit.highlights, *highlight)}")
    return 0


def cmd_verify(archive: Archive, args: argparse.Namespace) -> int:
    report = archive.verify()
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
        return 0 if report.ok else 1
    print(f"checked {report.checked} blobs: {len(report.missing)} missing, {len(report.altered)} altered")
    for state, entries in (("missing", report.missing), ("altered", report.altered)):
        for entry in entries:
            owner = entry["id"] or f"custody entry {entry.get('custody_seq', '-')}"
            print(f"{state}  {owner}  {entry['sha256']}  {entry['path']}")
    for fixed in report.repaired:
        print(f"repaired  {fixed['copy']} ({fixed['was']}) from {fixed['from']}  {fixed['sha256']}  "
              f"{fixed['location']}  custody entry {fixed['custody_seq']}")
    chain = report.custody
    print(f"checked {chain.checked} custody entries: " + ("chain intact" if chain.ok else "chain BROKEN"))
    if chain.broken:
        print(f"broken   entry {chain.broken.seq}: {chain.broken.message}")
    print(f"checked {report.timestamps_checked} timestamp tokens: {len(report.timestamps)} invalid")
    for token in report.timestamps:
        print(f"invalid  timestamp {token['id']}: {token['problem']}")
    return 0 if report.ok else 1


def cmd_export(archive: Archive, args: argparse.Namespace) -> int:
    document = archive.document(args.id)
    if document is None:
        print(f"archive: no document {args.id!r} in this archive", file=sys.stderr)
        return 1
    try:
        package = archive.export(document)
    except OriginalUnavailable as error:
        print(f"archive: {error}", file=sys.stderr)
        return 1
    target = args.output or Path(package.name)
    shutil.move(package, target)
    print(target)
    return 0


def cmd_entities(archive: Archive, args: argparse.Namespace) -> int:
    if args.export:
        views = archive.entity_export()
        text = entities_csv(views) if args.export == "csv" else entities_ftm(views)
        if args.output:
            args.output.write_text(text, encoding="utf-8")
            print(args.output)
        else:
            sys.stdout.write(text)
        return 0
    if not args.query.strip():
        print("archive: give a name to look for, or --export csv|ftm", file=sys.stderr)
        return 2
    for entity in archive.entities(args.query):
        print(f"{entity['id']}  {entity['kind']:<12}  {entity['documents']:>5}  {entity['label']}")
    return 0


def cmd_timestamp(archive: Archive, args: argparse.Namespace) -> int:
    if not archive.notary.enabled:
        print("archive: no time-stamping authority configured (set ARCHIVE_TSA_URL)", file=sys.stderr)
        return 2
    stamped, missing = archive.timestamp_pending()
    print(f"timestamped {stamped} originals and the custody log's head; {missing} still without a token")
    return 1 if missing else 0


def cmd_backup(archive: Archive, args: argparse.Namespace) -> int:
    try:
        report = archive.backup(args.folder)
    except COPY_REFUSED as error:
        print(f"archive: {error}", file=sys.stderr)
        return 1
    return _print_copy(report, "backed up", args.json)


def cmd_restore(archive: Archive, args: argparse.Namespace) -> int:
    try:
        report = archive.restore(args.folder)
    except COPY_REFUSED as error:
        print(f"archive: {error}", file=sys.stderr)
        return 1
    code = _print_copy(report, "restored", args.json)
    if not args.json:
        print(f"indexed {archive.backend.count()} documents ({archive.backend.name}); run `archive verify`")
    return code


def _print_copy(report, done: str, as_json: bool) -> int:
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print(f"{done} {report.documents} documents, {report.custody_entries} custody entries, "
              f"{report.blobs_copied} blobs copied ({report.blobs_already_there} already there): "
              f"{report.folder}")
        for problem in report.problems:
            print(f"not copied  {problem['sha256']}  {problem['problem']}")
    return 1 if report.problems else 0


def cmd_migrate_store(archive: Archive, args: argparse.Namespace) -> int:
    try:
        counts = archive.move_store(args.url)
    except COPY_REFUSED as error:
        print(f"archive: {error}", file=sys.stderr)
        return 1
    print("copied " + ", ".join(f"{n} {table}" for table, n in counts.items() if n)
          + "; now set ARCHIVE_DATABASE_URL to the new database")
    return 0


def cmd_reindex(archive: Archive, args: argparse.Namespace) -> int:
    count = archive.reindex(pending_only=args.pending, workers=args.workers)
    print(f"indexed {count} documents ({archive.backend.name})")
    return 0


def cmd_translate(archive: Archive, args: argparse.Namespace) -> int:
    if args.translate_command == "install":
        try:
            install_model(args.model, archive.settings.translation_dir)
        except (RuntimeError, OSError) as error:
            print(f"archive: {error}", file=sys.stderr)
            return 1
    print(archive.translator.status())
    return 0


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's listening socket. Made with the TCP protocol number, not 0 as
    `socket.create_server` and uvicorn make it: asyncio turns Nagle's algorithm off only on
    connections whose socket says TCP, and with it on, every answer after the first on a kept-alive
    connection waited some 40 ms for the client's delayed acknowledgement."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host, port))
        listening.listen(2048)
    except OSError:
        listening.close()
        raise
    return listening


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Serves until Ctrl+C, which stops it at any moment, its start included. A server started as a
    script's background job inherits SIGINT ignored, and uvicorn's own handler comes only once it
    runs: the signal is heeded from the first line instead of being lost in the seconds between
    (`archive.launch` heeds it before the imports, too)."""
    heed_ctrl_c()
    try:
        return _serve(settings, args)
    except KeyboardInterrupt:
        print("archive: stopped", file=sys.stderr)
        return 130


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from web.app import create_app  # the core imports the HTTP faces only to serve them

    app = create_app(settings)
    password = app.state.archive.accounts.first_admin()
    if password:
        print(f"A new archive: sign in as admin with the password {password}\n"
              "(shown this once; `archive user add NAME --role archivist` adds colleagues).", flush=True)
    # Bound here, before it is announced: the address printed is the one that answers (`--port 0` too).
    try:
        listening = listening_socket(args.host, args.port)
    except OSError as error:
        print(f"archive: cannot listen on {args.host}:{args.port}: {error.strerror or error}",
              file=sys.stderr)
        return 1
    port = listening.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Serving the archive on http://{host}:{port} (data in {settings.home}); Ctrl+C stops it.",
          flush=True)
    if args.workers == 1:
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        server.run(sockets=[listening])
        return 0
    # Several processes on the one socket, each with its own application read from the same settings:
    # they share the store (transactions), the blobs (write-once files) and the index (embedded: one
    # writer at a time, under the index's lock, and readers that reload before each search;
    # Elasticsearch: a server of its own).
    app.state.archive.close()
    os.environ.update(settings.as_environment())
    config = uvicorn.Config("web.app:create_app", factory=True, workers=args.workers, log_level="warning")
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[listening]).run()
    return 0


COMMANDS = {
    "ingest": cmd_ingest,
    "capture": cmd_capture,
    "search": cmd_search,
    "verify": cmd_verify,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "migrate-store": cmd_migrate_store,
    "reindex": cmd_reindex,
    "timestamp": cmd_timestamp,
    "export": cmd_export,
    "entities": cmd_entities,
    "failures": cmd_failures,
    "retry": cmd_retry,
    "translate": cmd_translate,
    "user": cli_accounts.cmd_user,
    "group": cli_accounts.cmd_group,
    "token": cli_accounts.cmd_token,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = _settings(args)
    except ValueError as error:
        print(f"archive: {error}", file=sys.stderr)
        return 2
    try:
        if args.command == "serve":
            return cmd_serve(settings, args)
        archive = Archive(settings)
    except PARTS_UNAVAILABLE as error:
        print(f"archive: {error}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](archive, args)
    except BackendUnavailable as error:
        print(f"archive: the search index is unavailable: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("archive: interrupted; rerun the same command to complete it", file=sys.stderr)
        return 130
    finally:
        archive.close()
