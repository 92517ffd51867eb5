"""The read model (`modernstats_kg.catalog`): builders over the fixture content, checked against the graph itself
(independent SPARQL in the tests) and against intrinsic rules (GSBPM order, fallbacks of languages)."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pyoxigraph as ox
import pytest

from modernstats_kg.catalog import Catalog
from modernstats_kg.catalog.core import Text
from modernstats_kg.catalog.flow import class_flow, information_flow
from modernstats_kg.catalog.gsbpm import activity_detail, gsbpm_model
from modernstats_kg.catalog.gsim import gsim_class_detail, gsim_model
from modernstats_kg.catalog.mapping import all_mappings, matrix
from modernstats_kg.catalog.resource import describe, description_triples
from modernstats_kg.catalog.search import fold, search, suggest
from modernstats_kg.catalog.vocab import GSIM, SUBPROCESS, code_key
from modernstats_kg.loader import load_content
from modernstats_kg.queries import load_query, query_names
from modernstats_kg.store import EmbeddedStore

PACKAGE = Path(__file__).resolve().parent.parent / "service" / "modernstats_kg"
MAP = "http://id.unece.org/def/mapping#"


@pytest.fixture(scope="module")
def store(web_content_dir: Path) -> EmbeddedStore:
    s = EmbeddedStore()
    load_content(s, root=web_content_dir)
    return s


@pytest.fixture(scope="module")
def cat(store: EmbeddedStore) -> Catalog:
    return Catalog(store, store.version())


def rows(store: EmbeddedStore, sparql: str) -> list[dict[str, str]]:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


# --- queries ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", query_names())
def test_every_named_query_parses_and_runs(store: EmbeddedStore, name: str) -> None:
    store.query(load_query(name))


def test_an_unknown_query_name_is_an_error() -> None:
    with pytest.raises(FileNotFoundError):
        load_query("no_such_query")


def _query_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "query"
    ]


@pytest.mark.parametrize("folder", ["catalog", "web"])
def test_pages_never_build_sparql_from_strings_at_run_time(folder: str) -> None:
    """Every `.query(...)` in the read model and the pages takes a constant text or a named query: never an
    f-string, a concatenation or a `.format()` (values are bound with `substitutions`)."""
    offenders = []
    for path in sorted((PACKAGE / folder).glob("*.py")):
        for call in _query_calls(ast.parse(path.read_text(), filename=str(path))):
            first = call.args[0] if call.args else None
            constant = isinstance(first, ast.Constant) and isinstance(first.value, str)
            named = isinstance(first, ast.Call) and getattr(first.func, "id", "") == "load_query"
            if not (constant or named):
                offenders.append(f"{path.name}:{call.lineno}")
    assert not offenders, f"SPARQL text built at run time: {offenders}"


# --- values ----------------------------------------------------------------------------------------------------


def test_text_picks_the_language_then_english_then_untagged() -> None:
    text = Text({"en": "Review", "fr": "Examiner", "": "plain"})
    assert text.get("fr") == "Examiner"
    assert text.get("fr-CA") == "Examiner"
    assert text.get("es") == "Review"
    assert Text({"": "plain", "de": "x"}).get("es") == "plain"
    assert Text({}).get("en", "fallback") == "fallback"


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("Données") == fold("DONNEES") == "donnees"
    assert fold("Core-Input") == "core input"


# --- GSBPM -----------------------------------------------------------------------------------------------------


def test_gsbpm_model_lists_every_subprocess_under_its_phase_in_code_order(cat: Catalog, store: EmbeddedStore) -> None:
    model = gsbpm_model(cat)
    expected = rows(
        store,
        f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?sp ?phase WHERE {{ ?sp skos:broader ?phase . FILTER(STRSTARTS(STR(?sp), "{SUBPROCESS}")) }}""",
    )
    shown = {(sp.iri, column.phase.iri) for column in model.phases for sp in column.subprocesses}
    assert shown == {(r["sp"], r["phase"]) for r in expected}
    for column in model.phases:
        codes = [sp.code for sp in column.subprocesses]
        assert codes == sorted(codes, key=code_key)
        assert all(code is not None and code.startswith(f"{column.phase.code}.") for code in codes)
    assert [c.phase.code for c in model.phases] == sorted((c.phase.code for c in model.phases), key=code_key)


def test_previous_and_next_follow_the_process_across_phases(cat: Catalog) -> None:
    sequence = gsbpm_model(cat).sequence()
    for before, after in itertools.pairwise(sequence):
        assert activity_detail(cat, before.iri).next == after  # type: ignore[union-attr]
        assert activity_detail(cat, after.iri).previous == before  # type: ignore[union-attr]
    assert activity_detail(cat, sequence[0].iri).previous is None  # type: ignore[union-attr]
    assert activity_detail(cat, sequence[-1].iri).next is None  # type: ignore[union-attr]


def test_subprocess_detail_groups_every_mapping_by_direction_and_role(cat: Catalog, store: EmbeddedStore) -> None:
    iri = SUBPROCESS + "5.3"
    detail = activity_detail(cat, iri)
    assert detail is not None
    expected = rows(
        store,
        f"""PREFIX map: <{MAP}>
        SELECT ?class ?role ?direction WHERE {{ ?m map:activity <{iri}> ; map:informationClass ?class ;
        map:role ?role ; map:direction ?direction FILTER NOT EXISTS {{ ?m map:status map:deprecated }} }}""",
    )
    shown = {
        (e.cls.iri, group.role.iri if group.role else "", direction)
        for direction, groups in ((MAP + "input", detail.inputs), (MAP + "output", detail.outputs))
        for group in groups
        for e in group.entries
        if group.role is None or e.role == group.role
    }
    assert shown == {(r["class"], r["role"], r["direction"]) for r in expected}
    assert all(e.justification.get("en") for g in detail.inputs + detail.outputs for e in g.entries)


def test_subprocess_detail_names_its_phase_services_and_gamso_context(cat: Catalog, store: EmbeddedStore) -> None:
    detail = activity_detail(cat, SUBPROCESS + "5.3")
    assert detail is not None
    assert detail.phase is not None and detail.phase.code == "5"
    services = {
        r["s"]
        for r in rows(
            store,
            f"""SELECT ?s WHERE {{ ?s ?p <{SUBPROCESS}5.3> .
        FILTER(STRSTARTS(STR(?s), "http://id.unece.org/services/")) }}""",
        )
    }
    assert {s.iri for s in detail.services} == services and services
    # the Production area matches the whole statistical production process, so every sub-process is in it
    assert any(link.item.iri.endswith("/activityArea/4") for link in detail.gamso)


def test_an_unknown_activity_has_no_detail(cat: Catalog) -> None:
    assert activity_detail(cat, SUBPROCESS + "9.9") is None


# --- GSIM ------------------------------------------------------------------------------------------------------


def test_gsim_model_puts_each_class_in_its_group(cat: Catalog, store: EmbeddedStore) -> None:
    expected = rows(store, f"SELECT ?c ?g WHERE {{ ?c <{GSIM}group> ?g }}")
    shown = {(c.iri, g.group.iri) for g in gsim_model(cat).groups for c in g.classes}
    assert shown == {(r["c"], r["g"]) for r in expected}


def test_gsim_class_detail_has_chain_subclasses_attributes_associations_and_usage(cat: Catalog) -> None:
    data_set = gsim_class_detail(cat, GSIM + "DataSet")
    assert data_set is not None
    assert [c.iri for c in data_set.chain] == [GSIM + "IdentifiableArtefact"]
    assert {a.range.iri for a in data_set.associations_out} == {GSIM + "DataStructure", GSIM + "InstanceVariable"}
    assert [p.iri for p in data_set.predecessors] == [GSIM + "UnitDataSet"]
    assert data_set.inherited and data_set.inherited[0][1][0].multiplicity == "0..*"
    takers = {e.activity.code for e in data_set.taken_in_by}
    makers = {e.activity.code for e in data_set.put_out_by}
    assert "5.3" in takers and "4.3" in makers
    variable = gsim_class_detail(cat, GSIM + "InstanceVariable")
    assert variable is not None
    assert [c.iri for c in variable.chain] == [GSIM + "RepresentedVariable", GSIM + "IdentifiableArtefact"]
    assert [a.domain.iri for a in variable.associations_in] == [GSIM + "DataSet"]


def test_a_deprecated_gsim_name_shows_its_successor(cat: Catalog) -> None:
    old = gsim_class_detail(cat, GSIM + "UnitDataSet")
    assert old is not None and old.deprecated
    assert [s.iri for s in old.successors] == [GSIM + "DataSet"]


# --- mappings and flows ----------------------------------------------------------------------------------------


def test_matrix_counts_add_up_to_the_mappings(cat: Catalog, store: EmbeddedStore) -> None:
    groups = [g.group for g in gsim_model(cat).groups]
    table = matrix(cat, groups)
    total = int(rows(store, f"SELECT (COUNT(?m) AS ?n) WHERE {{ ?m <{MAP}activity> ?a }}")[0]["n"])
    assert sum(c.total for c in table.cells.values()) == total == len(all_mappings(cat))
    assert sum(table.row_total(a.iri) for a in table.activities) == total


def _code(iri: str) -> tuple[int, ...]:
    return code_key(iri.rsplit("/", 1)[1])


def test_information_flow_of_a_subprocess_follows_the_mapping_and_the_process_order(
    cat: Catalog, store: EmbeddedStore
) -> None:
    me = SUBPROCESS + "5.3"
    flow = information_flow(cat, me)
    facts = rows(
        store,
        f"""PREFIX map: <{MAP}>
        SELECT ?a ?c ?d WHERE {{ ?m map:activity ?a ; map:informationClass ?c ; map:direction ?d
        FILTER NOT EXISTS {{ ?m map:status map:deprecated }} }}""",
    )
    assert flow.inputs and flow.outputs
    for source in flow.inputs:
        producers = {
            f["a"] for f in facts if f["c"] == source.entry.cls.iri and f["d"] == MAP + "output" and f["a"] != me
        }
        phase = {p for p in producers if "/subProcess/" in p}
        earlier = {p for p in phase if _code(p) < _code(me)}
        if earlier:  # the nearest earlier producer, and only it
            assert source.kind == "upstream"
            assert [p.iri for p in source.producers] == [max(earlier, key=_code)]
        elif producers - phase:
            assert source.kind == "alongside"
        elif phase:  # produced only later: a loop from the last producer
            assert source.kind == "loop" and [p.iri for p in source.producers] == [max(phase, key=_code)]
        else:
            assert source.kind == "none" and not source.producers
    for dest in flow.outputs:
        for taker, kind in dest.takers:
            if kind == "upstream":
                assert _code(taker.iri) > _code(me)


def test_class_flow_draws_hand_offs_forward_and_loops_back(cat: Catalog) -> None:
    flow = class_flow(cat, GSIM + "DataSet")
    assert flow.producers and flow.consumers
    phase = [a.iri for a, _ in flow.steps if "/subProcess/" in a.iri]
    assert phase == sorted(phase, key=_code)
    for h in flow.hand_offs:
        if h.kind == "upstream":
            assert _code(h.producer.iri) < _code(h.consumer.iri)
        elif h.kind == "loop":
            assert _code(h.producer.iri) > _code(h.consumer.iri)
        else:
            assert "/overarchingActivity/" in h.producer.iri + h.consumer.iri


# --- resources and search --------------------------------------------------------------------------------------


def test_describe_lists_outgoing_and_incoming_statements_with_labels(cat: Catalog) -> None:
    description = describe(cat, GSIM + "DataSet")
    assert description is not None
    props = {pv.prop.iri for pv in description.outgoing}
    assert "http://www.w3.org/2004/02/skos/core#altLabel" in props
    incoming = {v.iri for pv in description.incoming for v in pv.values if hasattr(v, "iri")}
    assert GSIM + "UnitDataSet" in incoming
    assert describe(cat, "http://id.unece.org/nothing/here") is None


def test_description_triples_hold_every_outgoing_triple_and_blank_node_closure(
    cat: Catalog, store: EmbeddedStore
) -> None:
    iri = GSIM + "IdentifiableArtefact"
    triples = description_triples(cat, iri)
    result = store.query(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
    assert isinstance(result, ox.QuerySolutions)
    outgoing = [(s["p"], s["o"]) for s in result]
    described = [(t.predicate, t.object) for t in triples if t.subject == ox.NamedNode(iri)]
    assert sorted(map(str, (o for _, o in outgoing if not isinstance(o, ox.BlankNode)))) == sorted(
        map(str, (o for _, o in described if not isinstance(o, ox.BlankNode)))
    )
    blank = [o for _, o in outgoing if isinstance(o, ox.BlankNode)]
    assert blank, "the fixture class has a restriction"
    for node in blank:
        inner = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", substitutions={"s": node})
        assert isinstance(inner, ox.QuerySolutions)
        assert {(s["p"], s["o"]) for s in inner} <= {(t.predicate, t.object) for t in triples if t.subject == node}


def test_search_finds_codes_labels_in_every_language_synonyms_and_old_names(cat: Catalog) -> None:
    assert search(cat, "5.3").groups[0][1][0].ref.iri == SUBPROCESS + "5.3"
    french = search(cat, "valider les donnees", "fr")
    assert french.groups and french.groups[0][1][0].ref.iri == SUBPROCESS + "5.3"
    assert any(
        h.ref.iri == GSIM + "DataSet" and h.kind == "synonym" for _, hs in search(cat, "dataset").groups for h in hs
    )
    assert any(h.ref.iri == GSIM + "UnitDataSet" for _, hs in search(cat, "unit data set").groups for h in hs)
    assert search(cat, "   ").total == 0
    order = ["GSBPM", "GSIM", "GAMSO", "CSPA", "COOS", "Mapping", "Other"]
    models = [m for m, _ in search(cat, "data").groups]
    assert models == sorted(models, key=order.index)


def test_suggest_returns_at_most_the_limit_best_first(cat: Catalog) -> None:
    hits = suggest(cat, "data", limit=3)
    assert 0 < len(hits) <= 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize(
    "module",
    [
        "modernstats_kg.catalog.vocab",
        "modernstats_kg.catalog.search",
        "modernstats_kg.web.paths",
        "modernstats_kg.web.languages",
        "modernstats_kg.catalog.fulltext",
    ],
)
def test_docstring_examples_run(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
