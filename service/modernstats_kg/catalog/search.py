"""Search over every label in every language, synonyms, codes ("5.3"), GSIM 1.2 names and GSBPM 5.1 names.

The index is built once per content version from one query; matching happens in Python on accent- and
case-folded text, so no user text ever reaches SPARQL.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from .core import Catalog, Ref, per_version
from .gsim import gsim_classes
from .vocab import MODELS, RDFS, SKOS, is_code, model_of

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
    kind: str
    score: int


@dataclass(frozen=True)
class SearchResults:
    query: str
    groups: list[tuple[str, list[Hit]]]  # (model, hits) in the order of `vocab.MODELS`
    total: int


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


def _score(entry: Entry, q: str, tokens: list[str], code_query: bool) -> int:
    text = entry.folded
    if entry.kind == "code":
        if not code_query:
            return 0
        if text == q:
            return 120
        return 70 if text.startswith(q + ".") or text.startswith(q) else 0
    if text == q:
        score = 100
    elif text.startswith(q):
        score = 80
    elif (" " + text).find(" " + q) >= 0:
        score = 65
    elif q in text:
        score = 45
    elif len(tokens) > 1 and all(t in text for t in tokens):
        words = text.split()
        score = 40 if all(any(w.startswith(t) for w in words) for t in tokens) else 30
    else:
        return 0
    if entry.kind == "synonym":
        score -= 4
    elif entry.kind == "old name":
        score -= 8
    return score


@per_version
def search(cat: Catalog, text: str, lang: str = "en", *, limit: int = 200) -> SearchResults:
    """Resources whose labels, synonyms, codes or old names match `text`, best first, grouped by model."""
    q = fold(text[:MAX_QUERY])
    if not q:
        return SearchResults(text, [], 0)
    tokens = q.split()
    code_query = is_code(q) or bool(re.fullmatch(r"[0-9]+\.", q))
    best: dict[str, tuple[int, Entry]] = {}
    for entry in _index(cat):
        score = _score(entry, q, tokens, code_query)
        if score <= 0:
            continue
        if entry.lang == lang:
            score += 3
        current = best.get(entry.iri)
        if current is None or score > current[0]:
            best[entry.iri] = (score, entry)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], len(kv[1][1].text), kv[1][1].folded))[:limit]
    hits = [
        Hit(cat.ref(iri), model_of(iri), entry.text, entry.lang, entry.kind, score) for iri, (score, entry) in ranked
    ]
    groups = [(model, [h for h in hits if h.model == model]) for model in MODELS]
    return SearchResults(text, [(m, hs) for m, hs in groups if hs], len(hits))


def suggest(cat: Catalog, text: str, lang: str = "en", *, limit: int = 8) -> list[Hit]:
    """The best few hits for autocomplete, across models."""
    results = search(cat, text, lang, limit=limit * 3)
    hits = [h for _, group in results.groups for h in group]
    return sorted(hits, key=lambda h: -h.score)[:limit]


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
