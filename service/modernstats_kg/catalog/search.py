"""Search: ranked full text (`fulltext`, SQLite FTS5) over names in every language, codes ("5.3"), synonyms, old
names, definitions, justifications and notes, with facets by model and type; autocomplete; and the suggestions of a
404 page (`similar`, which also reads the plain label index below).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from .core import Catalog, Ref, per_version
from .fulltext import find
from .gsim import gsim_classes
from .vocab import ID, MODELS, OWL, RDFS, SKOS, model_of

_NON_WORD = re.compile(r"[^\w.]+")
MAX_QUERY = 200

KIND_OF = {
    SKOS + "prefLabel": "label",
    RDFS + "label": "label",
    SKOS + "altLabel": "synonym",
    SKOS + "hiddenLabel": "synonym",
    SKOS + "notation": "code",
    "http://purl.org/dc/terms/title": "label",
    "http://id.unece.org/def/gsbpmx#previousName": "old name",  # a GSBPM 5.1 name
}


def fold(text: str) -> str:
    """Lower-case, accents removed, punctuation (except dots, for codes) turned into single spaces.

    >>> fold("Examiner et valider les données"), fold("Core-Input"), fold(" 5.3 ")
    ('examiner et valider les donnees', 'core input', '5.3')
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.casefold()).strip()


@dataclass(frozen=True)
class Entry:
    iri: str
    text: str
    folded: str
    lang: str
    kind: str  # label, synonym, code, old name


@dataclass(frozen=True)
class Hit:
    ref: Ref
    model: str
    matched: str
    matched_lang: str
    kind: str  # the field that matched: label, synonym, old name, code, definition, justification, note
    score: int
    deprecated: bool = False
    type: str | None = None  # the item's main type (an IRI)


@dataclass(frozen=True)
class SearchResults:
    query: str
    groups: list[tuple[str, list[Hit]]]  # (model, hits) in the order of `vocab.MODELS`
    total: int
    hits: list[Hit] = field(default_factory=list)  # ranked, best first
    models: list[tuple[str, int]] = field(default_factory=list)  # facet: hits per model (before narrowing)
    types: list[tuple[str, int]] = field(default_factory=list)  # facet: hits per main type IRI


def _index(cat: Catalog) -> list[Entry]:
    def compute() -> list[Entry]:
        _, deprecated = gsim_classes(cat)
        entries: list[Entry] = []
        for row in cat.select("search_index"):
            literal = row["text"]
            kind = KIND_OF.get(row["p"].value, "label")
            iri = row["s"].value
            if kind == "label" and iri in deprecated:
                kind = "old name"
            lang = getattr(literal, "language", None) or ""
            entries.append(Entry(iri, literal.value, fold(literal.value), lang, kind))
        return entries

    return cat.memo("search_index", compute)


def primary_type(types: tuple[str, ...]) -> str | None:
    """The type a reader knows an item by: one of the models' own classes, else an OWL/RDFS/SKOS kind."""
    own = sorted(t for t in types if t.startswith(ID))
    if own:
        return own[0]
    for kind in _GENERIC_KINDS:
        if kind in types:
            return kind
    return types[0] if types else None


_GENERIC_KINDS = (
    *(OWL + k for k in ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty", "Ontology")),
    SKOS + "ConceptScheme",
    SKOS + "Concept",
    RDFS + "Class",
)


@per_version
def search(
    cat: Catalog,
    text: str,
    lang: str = "en",
    *,
    limit: int = 200,
    model: str | None = None,
    kind: str | None = None,
    prefix: bool = False,
) -> SearchResults:
    """Resources whose names, codes, definitions, justifications or notes match `text` (ranked full text, see
    `fulltext`), best first; `model` and `kind` (a type IRI) narrow them, the facets count before narrowing."""
    if not text.strip():
        return SearchResults(text, [], 0)
    found = find(cat, text[:MAX_QUERY], lang, limit=limit, prefix=prefix)
    models: dict[str, int] = {}
    kinds: dict[str, int] = {}
    hits: list[Hit] = []
    for f in found:
        main = primary_type(f.types)
        models[f.model] = models.get(f.model, 0) + 1
        if main:
            kinds[main] = kinds.get(main, 0) + 1
        if (model and f.model != model) or (kind and main != kind):
            continue
        score = round(f.score)
        hits.append(Hit(cat.ref(f.iri), f.model, f.doc.text, f.doc.lang, f.doc.field, score, f.deprecated, main))
    groups = [(m, [h for h in hits if h.model == m]) for m in MODELS]
    return SearchResults(
        text,
        [(m, hs) for m, hs in groups if hs],
        len(hits),
        hits,
        [(m, models[m]) for m in MODELS if m in models],
        sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
    )


def suggest(cat: Catalog, text: str, lang: str = "en", *, limit: int = 8) -> list[Hit]:
    """The best few hits for autocomplete (the last word may be unfinished), one per resource and per name shown."""
    results = search(cat, text, lang, limit=limit * 4, prefix=True)
    seen: set[tuple[str, str]] = set()
    picked: list[Hit] = []
    for hit in results.hits:
        shown = (hit.ref.code or "", hit.ref.name(lang).casefold())
        if shown in seen:
            continue
        seen.add(shown)
        picked.append(hit)
        if len(picked) == limit:
            break
    return picked


@per_version
def similar(cat: Catalog, text: str, lang: str = "en", *, limit: int = 8) -> list[Hit]:
    """Suggestions for a name that matched nothing exactly (a 404): the search hits, else labels spelled alike
    (typos), else hits for the longest single word."""
    hits = suggest(cat, text, lang, limit=limit)
    if hits:
        return hits
    q = fold(text[:MAX_QUERY])
    if not q:
        return []
    by_text: dict[str, list[Entry]] = {}
    for entry in _index(cat):
        if entry.kind != "code":
            by_text.setdefault(entry.folded, []).append(entry)
    close = difflib.get_close_matches(q, list(by_text), n=limit, cutoff=0.75)
    found: dict[str, Hit] = {}
    for rank, match in enumerate(close):
        for entry in by_text[match]:
            found.setdefault(
                entry.iri, Hit(cat.ref(entry.iri), model_of(entry.iri), entry.text, entry.lang, entry.kind, 50 - rank)
            )
    if found:
        return list(found.values())[:limit]
    for word in sorted(q.split(), key=len, reverse=True):
        if len(word) >= 3 and (hits := suggest(cat, word, lang, limit=limit)):
            return hits
    return []
