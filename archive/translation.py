"""Machine translation of queries into the archive's other languages, where the user installed models.

Argos Translate (`pip install '.[translate]'`) is optional: it pulls in gigabytes of dependencies, and
its models are files the user supplies (`archive translate install FILE.argosmodel`); nothing is ever
downloaded at run time. Without it the archive searches as before, using its glossary, and says so
once in the log.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from archive.analysis.kazakh import LETTERS_ANY_CASE as KAZAKH_LETTERS
from archive.domain import LANGUAGES

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 300


@dataclass(frozen=True)
class Translation:
    language: str
    text: str


def _argos(packages_dir: Path):
    os.environ.setdefault("ARGOS_PACKAGES_DIR", str(packages_dir))
    return _argos_module()


@lru_cache(maxsize=1)
def _argos_module():
    """Argos Translate, or None: tried once a process (an import that fails searches every path again
    each time, and every search asks)."""
    try:
        import argostranslate.translate
    except ImportError:
        return None
    return argostranslate.translate


class QueryTranslator:
    def __init__(self, packages_dir: Path):
        self.packages_dir = packages_dir
        self._told = False

    def status(self) -> str:
        module = _argos(self.packages_dir)
        if module is None:
            return "machine translation is not installed (pip install '.[translate]'); the glossary is used"
        pairs = self.pairs()
        if not pairs:
            return f"no translation models in {self.packages_dir} (archive translate install FILE)"
        return "machine translation: " + ", ".join(f"{a}→{b}" for a, b in pairs)

    def pairs(self) -> list[tuple[str, str]]:
        module = _argos(self.packages_dir)
        if module is None:
            return []
        languages = {lang.code: lang for lang in module.get_installed_languages() if lang.code in LANGUAGES}
        return [
            (a, b)
            for a in languages
            for b in languages
            if a != b and languages[a].get_translation(languages[b]) is not None
        ]

    def translate(self, text: str, source: str) -> list[Translation]:
        """The query in every other language a model reaches from `source`; [] without models."""
        pairs = [pair for pair in self.pairs() if pair[0] == source]
        if not pairs:
            if not self._told:
                log.warning("query translation unavailable: %s", self.status())
                self._told = True
            return []
        return [
            Translation(target, translated)
            for _, target in pairs
            if (translated := _cached_translate(self.packages_dir, text[:MAX_QUERY_CHARS], source, target))
        ]


@lru_cache(maxsize=2048)
def _cached_translate(packages_dir: Path, text: str, source: str, target: str) -> str:
    module = _argos(packages_dir)
    assert module is not None
    return module.translate(text, source, target).strip()


def query_language(text: str) -> str:
    """A query's language from its letters alone: queries are too short for a statistical guess."""
    if any("\u0400" <= ch <= "\u052f" for ch in text):
        return "kk" if any(ch in KAZAKH_LETTERS for ch in text) else "ru"
    return "en"


def install_model(path: Path, packages_dir: Path) -> None:
    """Installs a user-supplied `.argosmodel` file into the archive's model folder."""
    packages_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ARGOS_PACKAGES_DIR", str(packages_dir))
    try:
        import argostranslate.package
    except ImportError as error:
        raise RuntimeError("machine translation is not installed: pip install '.[translate]'") from error
    argostranslate.package.install_from_path(path)
