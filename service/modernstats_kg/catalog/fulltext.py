"""Ranked full-text search: an SQLite FTS5 index (standard library) built once per content version.

Every name (labels in every language, synonyms, titles, earlier GSBPM names) and every piece of prose (definitions,
descriptions, comments, the justifications and reasons of mappings, notes) becomes one row. Words are folded (case,
accents), CamelCase is split, and each word is stemmed in the language of its literal with the Snowball stemmers
(English, French, Spanish), so "imputation" meets "impute". A query's words are stemmed in all three languages and
ORed; names weigh more than prose (BM25 weights), an exact name or code wins, deprecated terms come after their
successors. A word the index does not know is replaced by the closest one it does (typos). Codes ("5.3") and model
names ("gsbpm 5.3") are read apart from the words. No user text reaches SPARQL; FTS5 gets only quoted tokens.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz
from rapidfuzz import process as fuzzy

from .core import Catalog
from .vocab import (
    DCTERMS,
    GAMSO_ACTIVITY,
    GAMSO_AREA,
    GSIM,
    MAP,
    MODELS,
    OVERARCHING,
    OWL,
    PHASE,
    RDFS,
    SERVICES,
    SKOS,
    SUBPROCESS,
    model_of,
)

NAME_FIELDS = {
    SKOS + "prefLabel": "label",
    RDFS + "label": "label",
    DCTERMS + "title": "label",
    SKOS + "altLabel": "synonym",
    SKOS + "hiddenLabel": "synonym",
    "http://id.unece.org/def/gsbpmx#previousName": "old name",
}
CODE_FIELD = SKOS + "notation"
PROSE_FIELDS = {
    SKOS + "definition": "definition",
    RDFS + "comment": "definition",
    DCTERMS + "description": "definition",
    MAP + "justification": "justification",
    MAP + "reason": "justification",
}  # any other property of the index query (the SKOS notes) is a note
STEMMERS = {"en": "english", "fr": "french", "es": "spanish"}
MODEL_WORDS = {m.casefold(): m for m in MODELS if m != "Other"}
WEIGHTS = (10.0, 1.0, 4.0)  # BM25 weights of the columns: names, prose, raw (unstemmed) names
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CODE_TOKEN = re.compile(r"^[0-9]+(?:\.[0-9]+)*\.?$")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lower-case words, CamelCase split, accents kept (the stemmers need them).

    >>> words("InstanceVariable, Core-Input; données")
    ['instance', 'variable', 'core', 'input', 'données']
    """
    return [w.casefold() for w in _WORD.findall(_CAMEL.sub(" ", text))]


_local = threading.local()  # a Snowball stemmer keeps the word it works on: one set of stemmers per thread


def _stemmer(lang: str) -> snowballstemmer.stemmer:
    stemmers: dict[str, snowballstemmer.stemmer] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if lang not in stemmers:
        stemmers[lang] = snowballstemmer.stemmer(STEMMERS.get(lang, "english"))
    return stemmers[lang]


@lru_cache(maxsize=65536)
def stem(word: str, lang: str) -> str:
    return _strip_accents(_stemmer(lang).stemWord(word))


def folded(text: str) -> str:
    return " ".join(_strip_accents(w) for w in words(text))


@dataclass(frozen=True)
class Doc:
    iri: str
    field: str  # label, synonym, old name, code, definition, justification, note
    lang: str
    text: str
    plain: str = ""  # the text folded (names only): compared with the query for an exact name


@dataclass(frozen=True)
class Found:
    """One resource a query found: its best-matching text, the field it was in, and its score (higher is better)."""

    iri: str
    score: float
    doc: Doc
    model: str
    types: tuple[str, ...]
    deprecated: bool


@dataclass
class FullTextIndex:
    """The FTS5 table of one content version (in memory, read by any thread under a lock)."""

    docs: list[Doc]
    types: dict[str, tuple[str, ...]]
    deprecated: set[str]
    codes: dict[str, list[str]]  # notation -> IRIs
    connection: sqlite3.Connection
    vocabulary: list[str] = field(default_factory=list)  # every raw and stemmed word of the index, sorted
    known: frozenset[str] = frozenset()
    by_length: dict[int, list[str]] = field(default_factory=dict)  # the vocabulary by word length (typo lookup)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def match(self, expression: str, limit: int) -> list[tuple[int, float]]:
        """(row, BM25 rank) of the rows matching an FTS5 `expression`, best first (SQLite, not SPARQL)."""
        sql = "SELECT rowid, bm25(fts, ?, ?, ?) AS rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?"
        with self.lock:
            return [(int(r), float(s)) for r, s in self.connection.execute(sql, (*WEIGHTS, expression, limit))]


def _field_of(predicate: str) -> str:
    if predicate == CODE_FIELD:
        return "code"
    return NAME_FIELDS.get(predicate) or PROSE_FIELDS.get(predicate) or "note"


def build_index(cat: Catalog) -> FullTextIndex:
    """The index of `cat`'s content (use `fulltext_index`, which keeps one per content version)."""
    types: dict[str, list[str]] = defaultdict(list)
    for row in cat.select("fulltext_types"):
        types[row["s"].value].append(row["type"].value)
    deprecated: set[str] = {row["s"].value for row in cat.select("fulltext_deprecated")}
    docs: list[Doc] = []
    codes: dict[str, list[str]] = defaultdict(list)
    for row in cat.select("fulltext_index"):
        literal = row["text"]
        lang = (getattr(literal, "language", None) or "").split("-")[0]
        iri, kind = row["s"].value, _field_of(row["p"].value)
        if kind == "label" and iri in deprecated:
            kind = "old name"  # the name of a deprecated term (a GSIM 1.2 class)
        doc = Doc(iri, kind, lang, literal.value, folded(literal.value) if kind in NAME_KINDS else "")
        if doc.field == "code":
            codes[doc.text.strip()].append(doc.iri)
        docs.append(doc)
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    connection.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(names, prose, raw, tokenize = 'unicode61 remove_diacritics 2')"
    )
    vocabulary: set[str] = set()
    rows = []
    for number, doc in enumerate(docs):
        ws = words(doc.text)
        stems = [stem(w, doc.lang) for w in ws]
        raw = [_strip_accents(w) for w in ws]
        is_name = doc.field in ("label", "synonym", "old name")
        vocabulary.update(stems)
        vocabulary.update(raw)
        rows.append((number, " ".join(stems) if is_name else "", "" if is_name else " ".join(stems), " ".join(raw)))
    connection.executemany("INSERT INTO fts (rowid, names, prose, raw) VALUES (?, ?, ?, ?)", rows)
    return FullTextIndex(
        docs,
        {i: tuple(ts) for i, ts in types.items()},
        deprecated,
        dict(codes),
        connection,
        sorted(vocabulary),
        frozenset(vocabulary),
        _by_length(vocabulary),
    )


def _by_length(vocabulary: Iterable[str]) -> dict[int, list[str]]:
    lengths: dict[int, list[str]] = defaultdict(list)
    for word in sorted(vocabulary):
        lengths[len(word)].append(word)
    return dict(lengths)


_building = threading.Lock()


def fulltext_index(cat: Catalog) -> FullTextIndex:
    """The index of the catalog's content version, built by the first search that needs it (others wait)."""
    with _building:
        return cat.memo("fulltext_index", lambda: build_index(cat))


# --- reading a query -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...]  # lower-case, accents kept
    codes: tuple[str, ...]  # such as "5.3"
    models: tuple[str, ...]  # such as "GSBPM"


def parse_query(text: str) -> ParsedQuery:
    """Split a query into words, codes and model names.

    >>> parse_query("gsbpm 5.3"), parse_query("InstanceVariable").words
    (ParsedQuery(words=(), codes=('5.3',), models=('GSBPM',)), ('instance', 'variable'))
    """
    ws: list[str] = []
    codes: list[str] = []
    models: list[str] = []
    for part in text.split():
        if _CODE_TOKEN.match(part):
            codes.append(part.rstrip("."))
        elif part.casefold() in MODEL_WORDS:
            models.append(MODEL_WORDS[part.casefold()])
        else:
            ws.extend(words(part))
    return ParsedQuery(tuple(ws), tuple(codes), tuple(models))


def _quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _expression(terms: Iterable[tuple[set[str], str]], prefix_last: bool) -> str:
    """FTS5 query: every word must match, as one of its stems (names, prose) or as its raw form (prefix)."""
    parts = []
    items = list(terms)
    for position, (stems, raw) in enumerate(items):
        stem_part = " OR ".join(_quoted(s) for s in sorted(stems))
        raw_part = _quoted(raw) + ("*" if prefix_last and position == len(items) - 1 else "")
        parts.append(f"({{names prose}} : ({stem_part}) OR raw : {raw_part})")
    return " AND ".join(parts)


def _terms(index: FullTextIndex, ws: Iterable[str], *, correct: bool) -> list[tuple[set[str], str]]:
    """Each word with its stems in every language; with `correct`, a word the index does not know becomes the
    closest one it does (a typo)."""
    terms = []
    for word in ws:
        raw = _strip_accents(word)
        stems = {stem(word, lang) for lang in STEMMERS}
        if correct and raw not in index.known and not (stems & index.known) and len(raw) >= 4:
            near = [w for n in range(len(raw) - 2, len(raw) + 3) for w in index.by_length.get(n, ())]
            match = fuzzy.extractOne(raw, near, scorer=fuzz.ratio, score_cutoff=75)
            if match is not None:
                raw = match[0]
                stems = {raw, *(stem(raw, lang) for lang in STEMMERS)}
        terms.append((stems, raw))
    return terms


# --- ranking -------------------------------------------------------------------------------------------------------

NAME_KINDS = ("label", "synonym", "old name", "code")


def prior(iri: str, types: tuple[str, ...]) -> float:
    """What a reader most likely looks for, given equal words: GSBPM activities, then GSIM classes, then the
    other models' items; mappings, qualifiers and tasks only on their own words."""
    if iri.startswith((PHASE, SUBPROCESS, OVERARCHING)):
        return 25.0
    if iri.startswith(GSIM) and OWL + "Class" in types:
        return 20.0
    if iri.startswith((GAMSO_AREA, GAMSO_ACTIVITY, SERVICES)) or model_of(iri) in ("COOS", "CSPA"):
        return 15.0
    if iri.startswith(GSIM):
        return 5.0
    return 0.0


def find(cat: Catalog, text: str, lang: str = "en", *, limit: int = 200, prefix: bool = False) -> list[Found]:
    """The resources `text` finds, best first; `prefix` lets the last word be the start of a word (autocomplete)."""
    index = fulltext_index(cat)
    parsed = parse_query(text)
    scores: dict[str, tuple[float, Doc]] = {}

    def offer(iri: str, score: float, doc: Doc) -> None:
        if iri in index.deprecated:
            score -= 5.0  # after the current term that replaces it
        current = scores.get(iri)
        if current is None or score > current[0]:
            scores[iri] = (score, doc)

    for code in parsed.codes:
        for iri in index.codes.get(code, []):
            offer(iri, 1000.0, Doc(iri, "code", "", code))
        if not parsed.words:  # "5": the phase, then what it holds ("5.1", "5.2", ...)
            for other, iris in index.codes.items():
                if other.startswith(code + "."):
                    for iri in iris:
                        offer(iri, 500.0 - len(other), Doc(iri, "code", "", other))
    if parsed.words:
        wanted = " ".join(_strip_accents(w) for w in parsed.words)
        rows: list[tuple[int, float]] = []
        # whole words; else the last word as the start of one; else with typos corrected
        for correct, as_prefix in ((False, prefix), (False, True), (True, True)):
            rows = index.match(_expression(_terms(index, parsed.words, correct=correct), as_prefix), limit * 4)
            if rows:
                break
        for number, rank in rows:
            doc = index.docs[number]
            score = -rank + prior(doc.iri, index.types.get(doc.iri, ()))
            if doc.plain:
                score += 100.0 if doc.plain == wanted else 10.0 if doc.plain.startswith(wanted) else 0.0
            if doc.lang == lang:
                score += 1.0
            if parsed.codes and doc.iri in scores:  # a code and words: both agree
                score += scores[doc.iri][0]
            offer(doc.iri, score, doc)
    found = [
        Found(iri, score, doc, model_of(iri), index.types.get(iri, ()), iri in index.deprecated)
        for iri, (score, doc) in scores.items()
    ]
    if parsed.models:
        found = [f for f in found if f.model in parsed.models]
    found.sort(key=lambda f: (-f.score, len(f.doc.text), f.iri))
    return found[:limit]
