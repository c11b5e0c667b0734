"""The window of each hit that its snippet and explanation are made from, without reading long texts.

A short document is explained from its whole text, as it always was. A long one (over
`indexing.LONG_TEXT` characters, indexed with passages) is explained from its best passage, which
one request to the backend's passages index finds, with its text, for the whole page of hits. The
store reads no more than the opening of any text (enough to tell a short text from a long one), and
none of a long text's language spans. A long document without a matching passage
(indexed before passages existed, or matched only by its title) is explained from its opening.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from archive.domain import DocumentHead
from archive.index.base import PASSAGE_FIELDS, AnyOf, Bool, IndexBackend, Query
from archive.index.prune import prune
from archive.search.explain import Explainer, Explanation
from archive.search.indexing import LONG_TEXT
from archive.search.planner import QueryPlan
from archive.store import DocumentStore

OPENING = 2_000  # characters of a long document's opening explained when no passage matched


@dataclass(frozen=True)
class ExplainedHit:
    document: DocumentHead
    explanation: Explanation


@dataclass(frozen=True)
class _Window:
    text: str
    before: bool  # the document has text before the window
    after: bool  # and after it


def passage_query(query: Query) -> Query | None:
    """The query as the passages index is asked it: only what passages are indexed by, and every part
    optional, so that the passage holding most of what made the document a hit wins, even when the
    document's required words stand in different passages (its exclusions it holds nowhere)."""

    def relaxed(node: Query) -> Query:
        match node:
            case Bool(must=must, should=should, boost=boost):
                return Bool(should=tuple(relaxed(clause) for clause in (*must, *should)), boost=boost)
            case AnyOf(clauses=clauses, boost=boost):
                return AnyOf(tuple(relaxed(clause) for clause in clauses), boost)
        return node

    return prune(relaxed(query), lambda field, _value: field in PASSAGE_FIELDS)


def explain_hits(
    plan: QueryPlan, ids: Sequence[str], store: DocumentStore, backend: IndexBackend
) -> dict[str, ExplainedHit]:
    """The stored documents among `ids`, each with the explanation of its hit, by id."""
    heads = store.get_heads(ids, LONG_TEXT)
    long_ids = [doc_id for doc_id, head in heads.items() if head.cut]
    windows = _best_passages(plan, long_ids, backend) if long_ids else {}
    explainer = Explainer(plan)
    explained = {}
    for doc_id, head in heads.items():
        window = windows.get(doc_id) or _opening(head)
        why = explainer.explain(head.title, window.text, before=window.before, after=window.after)
        explained[doc_id] = ExplainedHit(head, why)
    return explained


def _best_passages(plan: QueryPlan, ids: list[str], backend: IndexBackend) -> dict[str, _Window]:
    query = passage_query(plan.query) if plan.query is not None else None
    if query is None:
        return {}
    best = backend.best_passages(query, ids)
    return {doc_id: _Window(hit.text, hit.start > 0, not hit.last) for doc_id, hit in best.items()}


def _opening(head: DocumentHead) -> _Window:
    """A short text whole; of a long one, what stands before the last space in OPENING characters."""
    if not head.cut:
        return _Window(head.opening, before=False, after=False)
    text = head.opening[:OPENING]
    space = text.rfind(" ")
    return _Window(text[:space] if space > 0 else text, before=False, after=True)
