"""The read model's base: `Catalog` (a store at one content version, with the label index every page needs),
and the small value types the builders return (`Text`, `Ref`, `Lit`).

Everything here is presentation-free: builders return plain dataclasses; pages and the JSON API render them.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ParamSpec, TypeVar, cast

import pyoxigraph as ox
from cachetools import LRUCache

from ..queries import load_query
from ..store import Store, Term
from .vocab import RDF, local_name

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
Row = dict[str, Term]
Binding = str | Term

DEFAULT_LANG = "en"


@dataclass(frozen=True)
class Text:
    """A text in several languages (`""` is the key of a literal without a language tag)."""

    values: Mapping[str, str] = field(default_factory=dict)

    def pick(self, lang: str = DEFAULT_LANG) -> tuple[str, str] | None:
        """`(language, text)` best matching `lang`: exact, then same primary language, English, untagged, any."""
        if not self.values:
            return None
        if lang in self.values:
            return lang, self.values[lang]
        primary = lang.split("-")[0]
        for key in sorted(self.values):
            if key.split("-")[0] == primary:
                return key, self.values[key]
        for key in (DEFAULT_LANG, ""):
            if key in self.values:
                return key, self.values[key]
        key = sorted(self.values)[0]
        return key, self.values[key]

    def get(self, lang: str = DEFAULT_LANG, default: str = "") -> str:
        picked = self.pick(lang)
        return picked[1] if picked else default

    def lang_of(self, lang: str = DEFAULT_LANG) -> str:
        """The language of the text `get(lang)` returns (for a `lang` attribute when it fell back)."""
        picked = self.pick(lang)
        return picked[0] if picked else ""

    def __bool__(self) -> bool:
        return bool(self.values)

    def items(self) -> list[tuple[str, str]]:
        """Every language and its text, English first then by language code."""
        return sorted(self.values.items(), key=lambda kv: (kv[0] != DEFAULT_LANG, kv[0]))


EMPTY = Text({})


@dataclass(frozen=True)
class Ref:
    """A link to a resource: its IRI, labels in every language and its code (`skos:notation`) when it has one."""

    iri: str
    label: Text = EMPTY
    code: str | None = None

    def name(self, lang: str = DEFAULT_LANG) -> str:
        """The label in `lang` (with fallbacks), or the IRI's local name."""
        return self.label.get(lang) or local_name(self.iri)

    def title(self, lang: str = DEFAULT_LANG) -> str:
        """`5.3 Review and validate`: the code (if any) and the name."""
        name = self.name(lang)
        return f"{self.code} {name}" if self.code and self.code != name else name


@dataclass(frozen=True)
class Lit:
    """A literal value with its language tag or datatype (for the generic resource page)."""

    value: str
    lang: str = ""
    datatype: str = ""


Value = Ref | Lit


def is_iri(text: str) -> bool:
    """True when `text` is a valid IRI (request text often is not: spaces, `<`, quotes)."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


class Catalog:
    """The read model over one store at one content version.

    It runs the named queries of `queries/*.rq` with bound values and keeps, for the life of the content version,
    the label and code index every page uses to show names instead of IRIs. Builders in the sibling modules take a
    `Catalog` as their first argument.
    """

    def __init__(self, store: Store, version: str | None = None, *, cache_bytes: int = 64 * 1024 * 1024):
        """`cache_bytes`: memory for builder results and rendered pages kept for this content version (`Settings.
        page_cache_bytes`; 0 keeps nothing), each counted by `approximate_size`."""
        self.store = store
        self.version = version
        self.cache_bytes = max(cache_bytes, 0)
        self._memo: dict[str, object] = {}
        self._lru: LRUCache[tuple[Any, ...], tuple[object, int]] = LRUCache(
            maxsize=max(self.cache_bytes, 1), getsizeof=lambda kept: kept[1]
        )
        self._lock = threading.Lock()

    # --- queries ---------------------------------------------------------------------------------------------

    def select(self, name: str, **bindings: Binding) -> list[Row]:
        """Run `queries/{name}.rq`; each keyword binds a variable (a `str` binds an IRI). Rows map names to terms."""
        subs = {var: (ox.NamedNode(value) if isinstance(value, str) else value) for var, value in bindings.items()}
        result = self.store.query(load_query(name), substitutions=subs or None)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError(f"query {name!r} is not a SELECT query")
        names = [v.value for v in result.variables]
        rows: list[Row] = []
        for solution in result:
            row: Row = {}
            for var in names:
                term = solution[var]
                if term is not None:
                    row[var] = term
            rows.append(row)
        return rows

    def memo(self, key: str, compute: Callable[[], R]) -> R:
        """Cache a derived table for this content version."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(R, self._memo[key])  # what `compute` returned for this same key

    def recall(self, key: tuple[Any, ...]) -> Any | None:
        """The value kept for `key` in the LRU, or None."""
        with self._lock:
            kept = self._lru.get(key)
        return None if kept is None else kept[0]

    def keep(self, key: tuple[Any, ...], value: object) -> None:
        """Keep `value` for `key` in the LRU (bounded in bytes) for the life of this content version; a value
        larger than the whole cap is not kept."""
        cost = approximate_size(key) + approximate_size(value)
        if cost > self.cache_bytes:
            return
        with self._lock:
            self._lru[key] = (value, cost)

    def cache_size(self) -> int:
        """Bytes the LRU holds now, as `approximate_size` counts them."""
        with self._lock:
            return int(self._lru.currsize)

    def remembered(self, key: tuple[Any, ...], compute: Callable[[], R]) -> R:
        """The result of `compute` for `key`, computed once per content version (bounded LRU)."""
        value = self.recall(key)
        if value is None:
            value = compute()
            self.keep(key, value)
        return value

    def forget_all(self) -> None:
        """Drop every remembered result (the label index and tables stay): for benchmarks of first renders."""
        with self._lock:
            self._lru.clear()

    # --- labels and codes --------------------------------------------------------------------------------------

    @cached_property
    def _labels(self) -> dict[str, dict[str, str]]:
        """iri -> {lang: label}: `skos:prefLabel` wins over `rdfs:label`, which wins over titles."""
        rank: dict[tuple[str, str], int] = {}
        labels: dict[str, dict[str, str]] = {}
        for row in self.select("labels"):
            subject, literal, priority = row["s"], row["label"], row["rank"]
            if not isinstance(subject, ox.NamedNode) or not isinstance(literal, ox.Literal):
                continue
            lang = literal.language or ""
            key = (subject.value, lang)
            level = int(priority.value)
            if key in rank and rank[key] <= level:
                continue
            rank[key] = level
            labels.setdefault(subject.value, {})[lang] = literal.value
        return labels

    @cached_property
    def _codes(self) -> dict[str, str]:
        codes: dict[str, str] = {}
        for row in self.select("codes"):
            subject = row["s"]
            if isinstance(subject, ox.NamedNode):
                codes.setdefault(subject.value, row["code"].value)
        return codes

    def warm(self) -> None:
        """Build the indexes now (at start-up) rather than on the first request."""
        _ = self._labels, self._codes

    def text(self, iri: str) -> Text:
        return Text(self._labels.get(iri, {}))

    def code(self, iri: str) -> str | None:
        return self._codes.get(iri)

    def ref(self, iri: str) -> Ref:
        return Ref(iri, Text(self._labels.get(iri, {})), self._codes.get(iri))

    def refs(self, iris: Iterable[str]) -> list[Ref]:
        return [self.ref(iri) for iri in iris]

    def value(self, term: Term) -> Value:
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value if term.datatype else ""
            return Lit(term.value, term.language or "", "" if term.language else datatype)
        if isinstance(term, ox.BlankNode):
            return Ref("_:" + term.value)
        return self.ref(term.value)

    # --- resources ---------------------------------------------------------------------------------------------

    def outgoing(self, iri: str) -> list[tuple[str, Term]]:
        """Every (predicate, object) of `iri`, in a stable order."""

        def compute() -> list[tuple[str, Term]]:
            if not is_iri(iri):  # text from a URL: a space or `<` makes no IRI, so nothing is known of it
                return []
            rows = self.select("outgoing", s=iri)
            return sorted(((r["p"].value, r["o"]) for r in rows), key=lambda po: (po[0], str(po[1])))

        return self.remembered(("outgoing", iri), compute)

    def exists(self, iri: str) -> bool:
        """True when the IRI occurs in the graph as a subject or an object."""
        return is_iri(iri) and self.remembered(("exists", iri), lambda: bool(self.select("exists", s=iri)))

    def types(self, iri: str) -> set[str]:
        return {o.value for p, o in self.outgoing(iri) if p == RDF + "type" and isinstance(o, ox.NamedNode)}


_OBJECT_OVERHEAD = 64  # bytes counted per object, container or dataclass: header, references, dict slots


def approximate_size(value: object, depth: int = 0) -> int:
    """The memory a kept value takes, roughly and on the high side: text and bytes by length, containers and
    dataclasses by their parts (eight levels deep; deeper parts count as one object). A container of more than
    `_SAMPLE` parts is sized from a sample of them, scaled up: sizing must cost far less than building the value."""
    if isinstance(value, (str, bytes, bytearray)):
        return _OBJECT_OVERHEAD + len(value)
    if depth >= 8:
        return _OBJECT_OVERHEAD
    if isinstance(value, Ref):  # its labels are the catalog's own table, shared, not a copy
        return 3 * _OBJECT_OVERHEAD + len(value.iri) + len(value.code or "")
    if isinstance(value, Mapping):
        pairs = _sample(list(value.items()) if len(value) > _SAMPLE else value.items(), len(value))
        return _OBJECT_OVERHEAD + _scaled(
            sum(approximate_size(k, depth + 1) + approximate_size(v, depth + 1) for k, v in pairs),
            len(pairs),
            len(value),
        )
    if isinstance(value, (list, tuple, set, frozenset)):
        items = _sample(value if isinstance(value, (list, tuple)) else list(value), len(value))
        return _OBJECT_OVERHEAD + _scaled(sum(approximate_size(i, depth + 1) for i in items), len(items), len(value))
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return _OBJECT_OVERHEAD + sum(approximate_size(getattr(value, name), depth + 1) for name in fields)
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return _OBJECT_OVERHEAD + len(value.value)
    return _OBJECT_OVERHEAD


_SAMPLE = 32


def _sample(items: Sequence[T] | Iterable[T], count: int) -> Sequence[T]:
    """Every item when there are few, else `_SAMPLE` of them spread evenly over the sequence."""
    if count <= _SAMPLE or not isinstance(items, Sequence):
        return list(items)
    step = count / _SAMPLE
    return [items[int(i * step)] for i in range(_SAMPLE)]


def _scaled(sampled_bytes: int, sampled: int, total: int) -> int:
    return sampled_bytes if sampled >= total or sampled == 0 else -(-sampled_bytes * total // sampled)


def per_version(builder: Callable[P, R]) -> Callable[P, R]:
    """Decorator for builders `f(cat, *args)`: the graph does not change within a content version, so each result
    is computed once per arguments and then served from the catalog's LRU. Results are shared: never mutate them."""

    @functools.wraps(builder)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        cat = args[0]
        assert isinstance(cat, Catalog)
        key = (builder.__module__, builder.__qualname__, args[1:], tuple(sorted(kwargs.items())))
        return cat.remembered(key, lambda: builder(*args, **kwargs))

    return wrapper


def texts(pairs: Iterable[tuple[str, Term]], predicate: str) -> Text:
    """The literals of one predicate as a `Text` (first literal per language wins)."""
    values: dict[str, str] = {}
    for p, o in pairs:
        if p == predicate and isinstance(o, ox.Literal):
            values.setdefault(o.language or "", o.value)
    return Text(values)


def all_texts(pairs: Iterable[tuple[str, Term]], predicate: str) -> list[Lit]:
    """Every literal of one predicate (synonyms, alternative labels), sorted by language then text."""
    found = [Lit(o.value, o.language or "") for p, o in pairs if p == predicate and isinstance(o, ox.Literal)]
    return sorted(found, key=lambda lit: (lit.lang != DEFAULT_LANG, lit.lang, lit.value))


def objects(pairs: Iterable[tuple[str, Term]], predicate: str) -> list[str]:
    """The IRIs one predicate points at, in order."""
    return [o.value for p, o in pairs if p == predicate and isinstance(o, ox.NamedNode)]


def first_literal(pairs: Iterable[tuple[str, Term]], predicate: str) -> str | None:
    for p, o in pairs:
        if p == predicate and isinstance(o, ox.Literal):
            return o.value
    return None
