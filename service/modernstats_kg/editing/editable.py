"""What every editable resource shares (mappings, contributed tasks): its state read from the store, its ETag, the
If-Match rules (428 without, 412 when stale), the status moves of review with four eyes, and the conditional write
that retries when another write came in between. No HTTP here; the changes go through the gate.

Status: `map:status` with `map:proposed`, `map:endorsed`, `map:rejected`, `map:deprecated` (the mapping vocabulary's
review statuses, shared by every reviewed resource).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import pyoxigraph as ox

from ..errors import Forbidden, ServiceError, Unprocessable
from ..namespaces import MAP, RDF
from ..store import ChangeSet, Store
from .gate import Receipt, StaleChange, Submission, submit
from .history import HISTORY_GRAPH, history_page

__all__ = [
    "ATTEMPTS",
    "AUTHORING_ACTIONS",
    "Editable",
    "PreconditionRequired",
    "changeset",
    "checked_write",
    "local_name",
    "matches",
    "read_quads",
    "replace",
    "require_match",
    "retrying",
    "review_change",
    "stale",
]

ATTEMPTS = 5
# the actions after which the author is the resource's "last author" (reviews and comments are not authorship)
AUTHORING_ACTIONS = ("create", "update", "deprecate", "batch", "sparql-update", "import")
P_STATUS = ox.NamedNode(MAP + "status")
P_TYPE = ox.NamedNode(RDF + "type")
_STATEMENTS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


class PreconditionRequired(ServiceError):
    """428: a change to an existing resource must say which state it was made against."""

    status = 428


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


@dataclass(frozen=True)
class Editable:
    """A resource as the store holds it now: every statement about its IRI outside the history graph."""

    id: str
    iri: str
    quads: frozenset[ox.Quad] = field(repr=False)

    def values(self, predicate: ox.NamedNode) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        return sorted((q.object for q in self.quads if q.predicate == predicate), key=str)  # type: ignore[misc]

    def value(self, predicate: ox.NamedNode) -> str | None:
        found = self.values(predicate)
        return found[0].value if found else None

    @property
    def etag(self) -> str:
        """A strong ETag: the hash of the resource's statements (graph, predicate, object), sorted."""
        lines = sorted(f"{q.graph_name} {q.predicate} {q.object}" for q in self.quads)
        return '"' + hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32] + '"'

    @property
    def status(self) -> str | None:
        value = self.value(P_STATUS)
        return local_name(value) if value else None

    def to_json(self) -> dict[str, object]:
        raise NotImplementedError


def read_quads(store: Store, iri: str) -> frozenset[ox.Quad]:
    subject = ox.NamedNode(iri)
    return frozenset(
        ox.Quad(subject, row["p"], row["o"], row["g"])
        for row in store.select(_STATEMENTS, substitutions={"s": subject})
        if row["g"].value != HISTORY_GRAPH
    )


def matches(if_match: str | None, resource: Editable) -> bool:
    if if_match is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_match.split(",")]
    return "*" in tags or resource.etag in tags


def require_match(what: str, read_at: str, if_match: str | None) -> None:
    """428 unless the caller names the state it read (`what`: the resource, `read_at`: where to read it)."""
    if if_match is None:
        raise PreconditionRequired(
            f"send If-Match with the ETag of {what} as you read it (GET {read_at}), "
            "so that no one else's change is overwritten"
        )


def stale(resource: Editable) -> StaleChange:
    return StaleChange(
        f"{resource.id} changed since you read it: its current state is in `current`; redo your change on it",
        current=resource.to_json(),
        headers={"ETag": resource.etag},
    )


def replace(
    resource: Editable, predicate: ox.NamedNode, values: list[ox.NamedNode | ox.Literal], graph: ox.NamedNode
) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """Remove every statement of `predicate`, add `values` (in `graph`)."""
    subject = ox.NamedNode(resource.iri)
    removed = {q for q in resource.quads if q.predicate == predicate}
    return removed, {ox.Quad(subject, predicate, v, graph) for v in values}


def changeset(resource: Editable, remove: set[ox.Quad], add: set[ox.Quad]) -> ChangeSet:
    # a statement removed and added again stays: no need to send it
    return ChangeSet.of(remove=remove - add, add=add - resource.quads)


def last_author(store: Store, resource: Editable) -> str | None:
    """The account that last changed the resource (created, edited, deprecated it), from the history; None when no
    account has (a resource of the shipped content)."""
    records = history_page(store, target=resource.iri, actions=AUTHORING_ACTIONS, limit=1)
    return records[0].author if records else None


def review_change(
    store: Store, resource: Editable, reviewer: str, decision: str, graph: ox.NamedNode, *, kind: str
) -> ChangeSet:
    """The change of a review: `proposed` -> `endorsed` or `rejected`, by someone who is not the last author."""
    if decision not in ("endorse", "reject"):
        raise Unprocessable(f"decision: endorse or reject, not {decision!r}")
    if resource.status != "proposed":
        raise Unprocessable(f"only a proposed {kind} can be reviewed; {resource.id} is {resource.status}")
    if last_author(store, resource) == reviewer:
        raise Forbidden(
            f"four eyes: {reviewer} made the last change to {resource.id}, so another reviewer must review it"
        )
    status = "endorsed" if decision == "endorse" else "rejected"
    remove, add = replace(resource, P_STATUS, [ox.NamedNode(MAP + status)], graph)
    return changeset(resource, remove, add)


R = TypeVar("R", bound=Editable)


def retrying(store: Store, attempt: Callable[[str], Receipt]) -> Receipt:
    """Run `attempt(revision read)` until no other write came in between (or ATTEMPTS times)."""
    for number in range(ATTEMPTS):
        try:
            return attempt(store.revision())
        except StaleChange:
            if number == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def checked_write(
    store: Store,
    read: Callable[[], R],
    if_match: str | None,
    build: Callable[[R], ChangeSet],
    *,
    author: str,
    comment: str,
    action: str,
) -> tuple[Receipt, R]:
    """Read the resource, check `if_match`, build and submit on condition of the revision read; retry when another
    write came in between and the resource is still as the caller saw it. The receipt and the resource after."""

    def attempt(revision: str) -> Receipt:
        resource = read()
        if if_match is not None and not matches(if_match, resource):
            raise stale(resource)
        submission = Submission(build(resource), author=author, comment=comment, action=action, targets=(resource.iri,))
        return submit(store, submission, expect_revision=revision)

    receipt = retrying(store, attempt)
    return receipt, read()
