"""Leaving out of a query the terms that no document holds.

A name brings its one-edit near keys, about 300 a word, of which a handful occur in any archive. A
term no document holds matches nothing and adds nothing to any score, so removing it, and whatever
only it made up, changes no answer and no score; the engine just has far less to evaluate. Each
backend says which terms it holds, from its own term dictionary.

A pruned tree has no empty clause list, no empty phrase and no Bool without a clause to match, so
the backends translate it without special cases (Elasticsearch, for one, would read a purely
negative bool as "everything except"; in the tree a Bool with nothing to match matches nothing).
"""

from __future__ import annotations

from collections.abc import Callable

from archive.index.base import AnyOf, Bool, Constant, Phrase, Prefix, Query, Term


def terms_of(query: Query) -> set[tuple[str, str]]:
    """Every (field, term) the query looks up."""
    found: set[tuple[str, str]] = set()
    pending = [query]
    while pending:  # a loop, not a recursion: a name's tree has a thousand terms
        match pending.pop():
            case Term(field=field, value=value):
                found.add((field, value))
            case Phrase(field=field, values=values):
                found.update((field, value) for value in values)
            case AnyOf(clauses=clauses):
                pending += clauses
            case Bool(must=must, should=should, must_not=must_not):
                pending += (*must, *should, *must_not)
            case Constant(query=inner):
                pending.append(inner)
    return found


def prune(query: Query, held: Callable[[str, str], bool]) -> Query | None:
    """The query without the terms `held` says no document has; None when nothing can match."""
    done: dict[int, Query | None] = {}  # a subtree the planner shares between clauses is pruned once

    def pruned(node: Query) -> Query | None:
        key = id(node)
        if key not in done:
            done[key] = _prune(node, held, pruned)
        return done[key]

    return pruned(query)


def _prune(
    query: Query, held: Callable[[str, str], bool], prune: Callable[[Query], Query | None]
) -> Query | None:
    """`query`'s node pruned, its clauses by `prune`."""
    match query:
        case Term(field=field, value=value):
            return query if held(field, value) else None
        case Phrase(field=field, values=values):
            return query if values and all(held(field, value) for value in values) else None
        case Prefix():
            return query  # which terms it meets, only the engine's term dictionary knows
        case AnyOf(clauses=clauses, boost=boost):
            kept = _kept(clauses, held, prune)
            return AnyOf(kept, boost) if kept else None
        case Bool(must=must, should=should, must_not=must_not, boost=boost):
            required = [prune(clause) for clause in must]
            optional = _kept(should, held, prune)
            if None in required or not (required or optional):
                return None
            excluded = _kept(must_not, held, prune)
            return Bool(tuple(c for c in required if c is not None), optional, excluded, boost)
        case Constant(query=inner, score=score):
            kept_inner = prune(inner)
            return Constant(kept_inner, score) if kept_inner is not None else None
    raise TypeError(f"not a query tree node: {query!r}")


def _kept(
    clauses: tuple[Query, ...], held: Callable[[str, str], bool], prune: Callable[[Query], Query | None]
) -> tuple[Query, ...]:
    """The clauses left, each pruned. A term, alone or with a fixed score (a name's near keys, hundreds
    of them a word), is tested where it stands and kept as it is: a call for each of them cost more
    than the tests themselves."""
    kept = []
    for clause in clauses:
        kind = type(clause)
        if kind is Constant and type(clause.query) is Term:
            term = clause.query
        elif kind is Term:
            term = clause
        else:
            if (pruned := prune(clause)) is not None:
                kept.append(pruned)
            continue
        if held(term.field, term.value):
            kept.append(clause)
    return tuple(kept)
