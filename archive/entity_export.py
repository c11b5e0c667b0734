"""The entity list as CSV and as FollowTheMoney entities (JSON lines), for Aleph and OpenSanctions' tools.

FollowTheMoney: a person is a `Person`, an organisation an `Organization`, a place an `Address`, a
name of unknown kind a `LegalEntity`; each document it appears in is a `Document`, and each
appearance a `Mention` (resolved: the entity, document: the document, name: the spelling).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from archive.entity_views import EntityView

FTM_SCHEMATA = {
    "person": "Person", "organisation": "Organization", "place": "Address", "name": "LegalEntity",
}
FTM_LANGUAGES = {"en": "eng", "ru": "rus", "kk": "kaz"}  # FollowTheMoney takes ISO 639-3
CSV_COLUMNS = ("id", "kind", "label", "confirmed", "documents", "spellings", "document_ids")


def _spellings(view: EntityView) -> list[str]:
    return [row["surface"] for languages in view.spellings.values() for rows in languages.values()
            for row in rows]


def entities_csv(views: Iterable[EntityView]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for view in views:
        writer.writerow([view.id, view.kind, view.label, str(view.confirmed).lower(), view.documents_count,
                         " | ".join(_spellings(view)), " ".join(d.id for d in view.documents)])
    return out.getvalue()


def ftm_entities(views: Iterable[EntityView]) -> Iterator[dict]:
    documents_seen: set[str] = set()
    for view in views:
        schema = FTM_SCHEMATA[view.kind]
        names = list(dict.fromkeys(_spellings(view)))
        properties: dict[str, list[str]] = {"full": [view.label]} if schema == "Address" else {
            "name": [view.label]}
        aliases = [n for n in names if n != view.label]
        if aliases and schema != "Address":
            properties["alias"] = aliases
        yield {"id": f"ent-{view.id}", "schema": schema, "properties": properties}
        for document in view.documents:
            if document.id not in documents_seen:
                documents_seen.add(document.id)
                yield {"id": f"doc-{document.id}", "schema": "Document", "properties": {
                    "title": [document.title or document.id], "fileName": [document.file_name or document.id],
                    "date": [document.date],
                    **({"language": [FTM_LANGUAGES[document.language]]}
                       if document.language in FTM_LANGUAGES else {})}}
            yield {"id": f"men-{view.id}-{document.id}", "schema": "Mention", "properties": {
                "resolved": [f"ent-{view.id}"], "document": [f"doc-{document.id}"], "name": [view.label]}}


def entities_ftm(views: Iterable[EntityView]) -> str:
    return "".join(json.dumps(entity, ensure_ascii=False) + "\n" for entity in ftm_entities(views))
