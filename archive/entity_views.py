"""What the faces show of entities: an entity with its spellings, documents and companions, as the
reader may see it, and the rows of an export."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from archive.store.entities import EntityDocument, EntityRecord


def script_of(text: str) -> str:
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        return "Cyrillic"
    if any(ch.isalpha() for ch in text):
        return "Latin"
    return "other"


@dataclass
class EntityView:
    id: str
    kind: str
    label: str
    confirmed: bool
    documents_count: int
    spellings: dict[str, dict[str, list[dict]]]  # script → language → [{surface, key, count}]
    documents: list[EntityDocument] = field(default_factory=list)
    cooccurring: list[EntityRecord] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "label": self.label, "confirmed": self.confirmed,
            "documents_count": self.documents_count, "spellings": self.spellings,
            "documents": [asdict(d) for d in self.documents],
            "cooccurring": [summary(e) for e in self.cooccurring],
        }


def summary(entity: EntityRecord) -> dict:
    return {**reference(entity), "documents": entity.documents}


def reference(entity: EntityRecord) -> dict:
    """What names an entity where no count is given (on a search hit): its id, label, kind and page."""
    return {"id": entity.id, "kind": entity.kind, "label": entity.label, "permalink": f"/e/{entity.id}"}


def grouped_spellings(rows: list[tuple[str, str, str, int]]) -> dict[str, dict[str, list[dict]]]:
    counts: dict[tuple[str, str, str], list] = {}
    for surface, key, language, n in rows:
        at = (script_of(surface), language, surface)
        counts.setdefault(at, [key, 0])[1] += n
    grouped: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for (script, language, surface), (key, n) in sorted(counts.items(), key=lambda item: -item[1][1]):
        grouped[script][language].append({"surface": surface, "key": key, "count": n})
    return {script: dict(languages) for script, languages in sorted(grouped.items())}
