"""The archivist's correction form of a document, `/d/{id}/edit`: the page face of PATCH /api/documents."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from archive.domain import ACCESS_LEVELS, KINDS, Document
from archive.edits import EDITABLE_LANGUAGES, EDITABLE_METADATA
from archive.service import DocumentChanges, InvalidChange
from search_api.auth import Writer
from search_api.deps import ArchiveDep
from web.render import render

router = APIRouter(include_in_schema=False)

PROVENANCE_FIELDS = ("source", "ingested_by", "note")
TEXT_FIELDS = ("title", *PROVENANCE_FIELDS, "collection")
CHOICES = {
    "kind": KINDS,
    "language": EDITABLE_LANGUAGES,
    "access": ACCESS_LEVELS,
}


def _values(document: Document) -> dict[str, str]:
    metadata = {name: document.metadata.get(name) or "" for name in EDITABLE_METADATA}
    metadata["articles"] = ", ".join(document.metadata.get("articles") or [])
    return {
        "title": document.title, "kind": str(document.kind), "language": document.language,
        "access": str(document.access), "collection": document.collection,
        **{f: getattr(document.provenance, f) for f in PROVENANCE_FIELDS},
        **{f"meta.{name}": str(value) for name, value in metadata.items()},
    }


def _form(request: Request, document: Document, values: dict[str, str], problem: str | None = None,
          status: int = 200) -> HTMLResponse:
    context = {"document": document, "values": values, "choices": CHOICES,
               "metadata_fields": EDITABLE_METADATA, "text_fields": TEXT_FIELDS, "problem": problem}
    return render(request, "edit.html", context, status)


@router.get("/d/{document_id}/edit", response_class=HTMLResponse)
def edit_form(document_id: str, request: Request, archive: ArchiveDep, by: Writer) -> Response:
    document = archive.document(document_id, by)
    if document is None:
        return render(request, "error.html", {"status": 404, "detail": None, "missing_id": document_id}, 404)
    return _form(request, document, _values(document))


@router.post("/d/{document_id}/edit", response_class=HTMLResponse)
async def edit(document_id: str, request: Request, archive: ArchiveDep, by: Writer) -> Response:
    document = archive.document(document_id, by)
    if document is None:
        return render(request, "error.html", {"status": 404, "detail": None, "missing_id": document_id}, 404)
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in _values(document)}
    changes = DocumentChanges(
        **{name: values[name] for name in (*TEXT_FIELDS, *CHOICES)},
        metadata={name: values[f"meta.{name}"] for name in EDITABLE_METADATA},
        withdraw=str(form.get("withdraw", "")).strip() or None,
        restore=form.get("restore") == "1",
    )
    try:
        archive.edit(document_id, changes, by=by)
    except InvalidChange as error:
        return _form(request, document, values, str(error), 422)
    return RedirectResponse(f"/d/{document_id}", status_code=303)
