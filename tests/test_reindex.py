"""A reindex while another process keeps ingesting: nothing stored meanwhile is left out of the index."""

from __future__ import annotations

import io
import threading

from archive.pipeline import IngestRequest
from archive.service import Archive


def test_documents_stored_during_a_reindex_reach_the_new_index(archive, settings, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for number in range(300):
        (folder / f"{number:03}.txt").write_text(
            f"Report {number}: the court in Oral fined an activist for a picket.", "utf-8"
        )
    list(archive.ingest_paths([folder], IngestRequest()))
    server = Archive(settings)  # what a running server would be: the same home, its own connections
    stop = threading.Event()
    late: list[str] = []

    def ingest_meanwhile() -> None:
        while not stop.is_set() or not late:
            text = f"Late report {len(late)}: Kairat Nurmaganbetov was detained in Semey."
            result = server.ingest_upload(io.BytesIO(text.encode()), f"late-{len(late)}.txt", IngestRequest())
            late.append(result.id)

    thread = threading.Thread(target=ingest_meanwhile)
    thread.start()
    try:
        assert archive.reindex() >= 300
    finally:
        stop.set()
        thread.join()
        server.close()
    assert archive.backend.count() == archive.store.count() == 300 + len(late)
    found = {hit.id for hit in archive.search("Nurmaganbetov", limit=200).hits}
    assert found == set(late)
