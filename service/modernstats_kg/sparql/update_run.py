"""What a SPARQL Update would change, found without touching the store: run it on a scratch copy, then diff.

The store is never updated by the text itself: the update runs, operation by operation, on an in-memory pyoxigraph
copy of the store's graphs (never the protected ones, such as the history graph), and the difference between the
copy before and after is the `ChangeSet` that the write gate validates, applies and records like any other change.

Dataset, as on `/sparql`:
- The default graph is the union of the named graphs. Before each operation that can read or write it, the scratch
  store's default graph is filled with that union; afterwards a triple the operation removed from it is removed
  from every named graph that holds it (`DELETE WHERE { ?s ?p ?o }` and `DELETE DATA { ... }` without `GRAPH` act
  on the union), and a triple it added is refused: the default graph stores nothing itself, so say which named graph
  with `GRAPH <g> { ... }` or `WITH <g>`.
- `using-graph-uri` and `using-named-graph-uri` (the protocol's dataset) become `USING` and `USING NAMED` clauses of
  each `DELETE`/`INSERT ... WHERE` operation; an update that also names its dataset (`USING`, `WITH`) is refused.

Refused before anything runs: `LOAD` and `SERVICE` (`limits.check_query(..., update=True)`; no outbound request is
ever made), and any mention of a protected graph. After it ran: a change to a protected graph, and removing triples
that hold blank nodes (SPARQL cannot name a stored blank node, so no backend could remove exactly those).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import BadRequest, Forbidden, QueryRejected, Unprocessable
from ..store import ChangeSet, Store
from ..store.sparql_text import Token, prefixes, tokenize, unescaped
from .limits import check_query, neutralized

__all__ = ["UpdateRequest", "change_of_update"]

_DEFAULT = ox.DefaultGraph()
_POSITION = re.compile(r"error at (\d+):(\d+)")
# Operations that neither read nor write the default graph: no need to fill it first.
_NO_DEFAULT_GRAPH = ("INSERT DATA", "CREATE")


@dataclass(frozen=True)
class UpdateRequest:
    """One SPARQL Update request: the text and the protocol's dataset (`using-graph-uri`, `using-named-graph-uri`)."""

    update: str
    using_graph_uris: tuple[str, ...] = ()
    using_named_graph_uris: tuple[str, ...] = ()


def change_of_update(
    store: Store, request: UpdateRequest, *, base_iri: str, protected_graphs: Iterable[str] = ()
) -> ChangeSet:
    """The change the update would make to `store`; raises 4xx errors (`BadRequest`, `Forbidden`, `Unprocessable`)
    for updates that cannot run here, never writes `store`."""
    protected = frozenset(protected_graphs)
    text = request.update
    if not text.strip():
        raise BadRequest("the update is empty")
    check_query(text, update=True)  # LOAD and SERVICE: refused whatever the allow-list says
    _check_syntax(text, base_iri)
    tokens = [t for t in tokenize(text) if t.kind not in ("ws", "comment")]
    _refuse_protected_mentions(text, tokens, protected)
    protocol_dataset = bool(request.using_graph_uris or request.using_named_graph_uris)
    if protocol_dataset and _names_its_dataset(tokens):
        raise BadRequest(
            "the update names its dataset (USING or WITH) and the request gives using-graph-uri or "
            "using-named-graph-uri: give the dataset in one place only"
        )
    operations = _operations(text, tokens)
    quick = _data_only_change(store, operations, base_iri)
    if quick is not None:
        return quick
    scratch = ox.Store()
    before = _copy_into(scratch, store, protected)
    for operation in operations:
        if protocol_dataset:
            operation = _with_protocol_dataset(operation, request)
        _run(scratch, operation, base_iri)
    after = set(scratch.quads_for_pattern(None, None, None))
    changed_protected = sorted({q.graph_name.value for q in after if q.graph_name.value in protected})  # type: ignore[union-attr]
    if changed_protected:
        raise Forbidden(f"the graph <{changed_protected[0]}> is written only by the service itself, never by an update")
    removed, added = before - after, after - before
    with_blank = [q for q in removed if _has_blank_node(q)]
    if with_blank:
        raise Unprocessable(
            f"the update removes {len(with_blank)} triples that hold blank nodes (for example {with_blank[0]}): "
            "a stored blank node cannot be named, so they cannot be removed one by one; change the named "
            "resources around them instead"
        )
    return ChangeSet(add=frozenset(added), remove=frozenset(removed))


# --- before running -----------------------------------------------------------------------------------------------


def _check_syntax(text: str, base_iri: str) -> None:
    """Parse (and run) the update on an empty store: a syntax error is a 400 with the parser's line and column; the
    copy with every `service` spelled out must parse too (as for queries, see `limits.neutralized`)."""
    _run_on_empty(text, base_iri)
    copy = neutralized(text)
    if copy is not None:
        try:
            _run_on_empty(copy, base_iri)
        except BadRequest as exc:
            raise QueryRejected(
                "SERVICE (a federated query) is not allowed in an update, however it is written", operation="SERVICE"
            ) from exc


def _run_on_empty(text: str, base_iri: str) -> None:
    try:
        ox.Store().update(text, base_iri=base_iri)
    except SyntaxError as exc:
        message = str(exc.msg or exc)
        where = _POSITION.search(message)
        line, column = (int(where.group(1)), int(where.group(2))) if where else (None, None)
        raise BadRequest(f"the update does not parse: {message}", line=line, column=column) from exc
    except (RuntimeError, OSError):
        return  # it parsed; on an empty store some operations fail (CLEAR GRAPH of a missing graph): seen later


def _refuse_protected_mentions(text: str, tokens: Sequence[Token], protected: frozenset[str]) -> None:
    """Refuse an update that names a protected graph anywhere (as an IRI or a prefixed name)."""
    if not protected:
        return
    declared = prefixes(text)
    for token in tokens:
        iri: str | None = None
        if token.kind == "iri":
            iri = unescaped(token.text[1:-1])
        elif token.kind == "pname" and token.prefix is not None and token.prefix in declared:
            iri = declared[token.prefix] + unescaped(token.text[len(token.prefix) + 1 :])
        if iri in protected:
            raise Forbidden(f"the graph <{iri}> is written only by the service itself, never by an update")


def _names_its_dataset(tokens: Sequence[Token]) -> bool:
    return any(t.kind == "word" and t.text.upper() in ("USING", "WITH") for t in _top_level(tokens))


def _top_level(tokens: Sequence[Token]) -> Iterator[Token]:
    """The tokens outside any `{ }` group."""
    depth = 0
    for token in tokens:
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0:
            yield token


# --- operations ---------------------------------------------------------------------------------------------------


def _operations(text: str, tokens: Sequence[Token]) -> list[str]:
    """The update's operations (split at the `;` outside any group), each with the PREFIX and BASE declarations
    made before it (they carry over to the operations that follow)."""
    operations: list[str] = []
    prologue: list[str] = []
    start, depth = 0, 0
    declaration: Token | None = None
    for token in tokens:
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth:
            continue
        elif token.kind == "word" and token.text.upper() in ("PREFIX", "BASE"):
            declaration = token
        elif declaration is not None and token.kind == "iri":
            prologue.append(text[declaration.start : token.end])
            start, declaration = token.end, None
        elif token.text == ";":
            if text[start : token.start].strip():
                operations.append("\n".join([*prologue, text[start : token.start].strip()]))
            start = token.end
    if text[start:].strip():
        operations.append("\n".join([*prologue, text[start:].strip()]))
    return operations


def _keyword(operation: str) -> str:
    """The operation's first two keywords, upper case (`INSERT DATA`, `DELETE WHERE`, `CLEAR ALL`, ...)."""
    words: list[str] = []
    in_prologue = False
    for token in tokenize(operation):
        if token.kind in ("ws", "comment"):
            continue
        if token.kind == "word" and token.text.upper() in ("PREFIX", "BASE"):
            in_prologue = True
            continue
        if in_prologue:
            in_prologue = token.kind != "iri"
            continue
        words.append(token.text.upper() if token.kind == "word" else token.text)
        if len(words) == 2:
            break
    return " ".join(words)


def _with_protocol_dataset(operation: str, request: UpdateRequest) -> str:
    """The operation with the protocol's dataset as `USING` / `USING NAMED` clauses (DELETE/INSERT ... WHERE only;
    the short form `DELETE WHERE { P }` becomes `DELETE { P } USING ... WHERE { P }`)."""
    keyword = _keyword(operation)
    if not keyword.startswith(("DELETE", "INSERT")) or keyword in ("INSERT DATA", "DELETE DATA"):
        return operation
    clauses = " ".join(
        [*(f"USING {ox.NamedNode(g)}" for g in request.using_graph_uris)]
        + [f"USING NAMED {ox.NamedNode(g)}" for g in request.using_named_graph_uris]
    )
    tokens = [t for t in tokenize(operation) if t.kind not in ("ws", "comment")]
    depth = 0
    for index, token in enumerate(tokens):
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and token.kind == "word" and token.text.upper() == "WHERE":
            if keyword == "DELETE WHERE":
                pattern = operation[tokens[index + 1].start :].strip()
                head = operation[: tokens[index - 1].start]
                return f"{head}DELETE {pattern}\n{clauses}\nWHERE {pattern}"
            return f"{operation[: token.start]}{clauses}\n{operation[token.start :]}"
    return operation


# The default graph of the scratch store stands for the union of the named graphs while an operation runs.
_FILL_DEFAULT = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def _default_graph(scratch: ox.Store) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in scratch.quads_for_pattern(None, None, None, _DEFAULT)}


def _run(scratch: ox.Store, operation: str, base_iri: str) -> None:
    """Run one operation on the scratch store, the default graph standing for the union of the named graphs."""
    union: set[ox.Triple] = set()
    if not _keyword(operation).startswith(_NO_DEFAULT_GRAPH):
        scratch.update(_FILL_DEFAULT)
        union = _default_graph(scratch)
    try:
        scratch.update(operation, base_iri=base_iri)
    except SyntaxError as exc:  # the whole text parsed: an operation alone should too
        raise BadRequest(f"the update does not parse: {exc.msg or exc}") from exc
    except (RuntimeError, OSError) as exc:
        raise BadRequest(f"the update failed: {exc}") from exc
    default = _default_graph(scratch)
    added = default - union
    if added:
        example = min(added, key=str)
        raise BadRequest(
            "the update writes into the default graph, which is the union of the named graphs and stores nothing "
            f"itself (for example {example}): say which graph with GRAPH <g> {{ ... }} or WITH <g>"
        )
    for triple in union - default:  # removed from the union: from every named graph that holds it
        for quad in list(scratch.quads_for_pattern(triple.subject, triple.predicate, triple.object)):
            if quad.graph_name != _DEFAULT:
                scratch.remove(quad)
    scratch.clear_graph(_DEFAULT)


# --- the fast path: INSERT DATA and DELETE DATA only -----------------------------------------------------------

_DATA_OPERATIONS = ("INSERT DATA", "DELETE DATA")
_QUICK_LIMIT = 1000  # quads: past that, the copy is cheaper than one lookup per quad
_GRAPHS_OF = "SELECT DISTINCT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def _data_only_change(store: Store, operations: Sequence[str], base_iri: str) -> ChangeSet | None:
    """The change of an update made only of INSERT DATA and DELETE DATA, found by looking up each quad in the store
    instead of copying it (None when the update has other operations, or too many quads)."""
    if not operations or any(_keyword(op) not in _DATA_OPERATIONS for op in operations):
        return None
    steps: list[tuple[bool, list[ox.Quad]]] = []
    for operation in operations:
        insert = _keyword(operation) == "INSERT DATA"
        steps.append((insert, _data_of(operation if insert else _as_insert(operation), base_iri)))
    if sum(len(quads) for _, quads in steps) > _QUICK_LIMIT:
        return None
    present: dict[ox.Quad, bool] = {}  # the quads looked up, as the operations so far leave them
    original: dict[ox.Quad, bool] = {}
    for insert, quads in steps:
        for quad in quads:
            if isinstance(quad.graph_name, ox.DefaultGraph):
                if insert:
                    raise BadRequest(
                        "the update writes into the default graph, which is the union of the named graphs and stores "
                        f"nothing itself (for example {quad}): say which graph with GRAPH <g> {{ ... }}"
                    )
                targets = [ox.Quad(quad.subject, quad.predicate, quad.object, g) for g in _graphs_of(store, quad)]
                targets += [q for q, there in present.items() if there and _same_triple(q, quad)]
            else:
                targets = [quad]
            for target in targets:
                if target not in original:
                    original[target] = isinstance(target.subject, ox.NamedNode) and _holds(store, target)
                    present.setdefault(target, original[target])
                present[target] = insert
    return ChangeSet(
        add=frozenset(q for q, there in present.items() if there and not original[q]),
        remove=frozenset(q for q, there in present.items() if not there and original[q]),
    )


def _data_of(operation: str, base_iri: str) -> list[ox.Quad]:
    empty = ox.Store()
    try:
        empty.update(operation, base_iri=base_iri)
    except (SyntaxError, RuntimeError, OSError) as exc:
        raise BadRequest(f"the update does not parse: {exc}") from exc
    return list(empty.quads_for_pattern(None, None, None))


def _as_insert(operation: str) -> str:
    """`DELETE DATA { ... }` as `INSERT DATA { ... }`, to read its quads on an empty store."""
    for token in tokenize(operation):
        if token.kind == "word" and token.text.upper() == "DELETE":
            return operation[: token.start] + "INSERT" + operation[token.end :]
    return operation


def _graphs_of(store: Store, quad: ox.Quad) -> list[ox.NamedNode]:
    rows = store.query(_GRAPHS_OF, substitutions={"s": quad.subject, "p": quad.predicate, "o": quad.object})  # type: ignore[dict-item]
    assert isinstance(rows, ox.QuerySolutions)
    return [row["g"] for row in rows if isinstance(row["g"], ox.NamedNode)]


def _holds(store: Store, quad: ox.Quad) -> bool:
    return quad.graph_name in _graphs_of(store, quad)


def _same_triple(a: ox.Quad, b: ox.Quad) -> bool:
    return (a.subject, a.predicate, a.object) == (b.subject, b.predicate, b.object)


# --- the copy and the diff ------------------------------------------------------------------------------------------


def _copy_into(scratch: ox.Store, store: Store, protected: frozenset[str]) -> set[ox.Quad]:
    """Copy every named graph of `store` but the protected ones into `scratch`; return the quads copied."""
    quads = {q for q in store.quads() if q.graph_name.value not in protected}  # type: ignore[union-attr]
    scratch.extend(quads)
    return quads


def _has_blank_node(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)
