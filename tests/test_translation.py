"""Query translation: optional, never downloaded, and said once when it is missing.

Argos Translate and its models are not installed in the test environment (they weigh gigabytes and
models come only from the user), so the search path is exercised with a fixed dictionary standing in
for the model; everything around it is the real archive.
"""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from archive.translation import QueryTranslator, Translation, query_language
from tests.corpus import ingest_corpus


class FixedTranslator:
    """Answers as an installed model would, for the queries it knows."""

    def __init__(self, table: dict[str, list[Translation]]):
        self.table = table

    def pairs(self) -> list[tuple[str, str]]:
        return sorted({("en", t.language) for found in self.table.values() for t in found})

    def translate(self, text: str, source: str) -> list[Translation]:
        return self.table.get(text, [])


@pytest.mark.parametrize(
    ("query", "language"),
    [("hunger strike", "en"), ("голодовка", "ru"), ("аштық жариялау", "kk"), ("", "en")],
)
def test_query_language_from_letters(query, language):
    assert query_language(query) == language


def test_without_argos_the_archive_says_so_once_and_translates_nothing(tmp_path, caplog):
    translator = QueryTranslator(tmp_path / "models")
    assert "not installed" in translator.status()
    with caplog.at_level(logging.WARNING, logger="archive.translation"):
        assert translator.translate("hunger strike", "en") == []
        assert translator.translate("detained", "en") == []
    assert len([r for r in caplog.records if "unavailable" in r.message]) == 1


def test_translate_commands_explain_what_is_missing(tmp_path):
    env_home = ["--home", str(tmp_path / "home")]
    status = subprocess.run(
        [sys.executable, "-m", "archive", "translate", "status", *env_home], capture_output=True, text=True
    )
    assert status.returncode == 0 and "pip install '.[translate]'" in status.stdout
    model = tmp_path / "en_ru.argosmodel"
    model.write_bytes(b"not a model")
    install = subprocess.run(
        [sys.executable, "-m", "archive", "translate", "install", str(model), *env_home],
        capture_output=True,
        text=True,
    )
    assert install.returncode != 0
    assert "pip install '.[translate]'" in install.stderr and "Traceback" not in install.stderr


def test_a_hit_says_which_translation_matched(archive, tmp_path):
    corpus = ingest_corpus(archive, tmp_path / "corpus")
    archive.translator = FixedTranslator({"starvation": [Translation("ru", "голодовка")]})
    hits = archive.search("starvation").hits
    assert hits and hits[0].id == corpus["ru-hunger"]
    assert any(m.startswith("translation (ru): голодовка") for m in hits[0].matched)
