"""Every kind of page answers, links the way users navigate, and shows what the graph holds (fixture content for
mechanics; the real content checked against the reference COOS for the GSBPM matrix and names)."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.namespace import SKOS

from conftest import language_of

GSIM = "http://id.unece.org/def/gsim#"
SP = "http://id.unece.org/activities/subProcess/"
MAP = rdflib.Namespace("http://id.unece.org/def/mapping#")


class Page(HTMLParser):
    """The links, headings and visible text of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.text: list[str] = []
        self._heading: int | None = None
        self._buffer: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._buffer = int(tag[1]), []

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._buffer).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._buffer.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def get_page(client: Any, path: str, **kwargs: Any) -> Page:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


@pytest.fixture(scope="module")
def fixture_graph(web_content_dir: Path) -> rdflib.Graph:
    g = rdflib.Graph()
    for path in sorted(web_content_dir.glob("*/*.ttl")):
        g.parse(path)
    return g


PAGES = [
    "/",
    "/activities/gsbpm",
    "/activities/subProcess/5.3",
    "/activities/phase/5",
    "/activities/overarchingActivity/0.2",
    "/def/gsim",
    "/def/gsim/InstanceVariable",
    "/def/gsim/UnitDataSet",
    "/def/gsim/BusinessGroup",
    "/activities/gamso",
    "/activities/activityArea/4",
    "/def/cspa",
    "/services/statisticalService/linearRuleChecking",
    "/def/coos",
    "/def/coos/Activity",
    "/def/mapping",
    "/matrix",
    "/matrix/list?activity=5.3&group=StructuresGroup",
    "/matrix/groups",
    "/matrix?phase=5&role=CoreInput",
    "/flow/gaps",
    "/flow?activity=5.3",
    "/flow?class=DataSet",
    "/search?q=data",
    "/downloads",
    "/resource?iri=http%3A%2F%2Fid.unece.org%2Fdef%2Fmapping%23input",
    "/mappings/informationMapping/5.3-coreInput-dataSet",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_kind_of_page_answers_with_one_h1_and_headings_in_order(page_client: Any, path: str) -> None:
    page = get_page(page_client, path)
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1 and levels[0] == 1, page.headings
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after} on {path}"


def test_home_shows_every_phase_and_subprocess_as_links(page_client: Any, fixture_graph: rdflib.Graph) -> None:
    page = get_page(page_client, "/")
    scheme = rdflib.URIRef("http://id.unece.org/activities/gsbpm")
    concepts = {str(s) for s in fixture_graph.subjects(SKOS.inScheme, scheme)}
    for iri in concepts:
        if "/phase/" in iri or "/subProcess/" in iri or "/overarchingActivity/" in iri:
            assert iri.removeprefix("http://id.unece.org") in page.links, iri
    for entry in ("/def/gsim", "/activities/gamso", "/def/cspa", "/def/coos", "/matrix"):
        assert entry in page.links
    assert "/search" in page_client.get("/").text  # the search form


def test_subprocess_page_shows_names_phase_neighbours_inputs_outputs_services(
    page_client: Any, fixture_graph: rdflib.Graph
) -> None:
    iri = rdflib.URIRef(SP + "5.3")
    page = get_page(page_client, "/activities/subProcess/5.3")
    for label in fixture_graph.objects(iri, SKOS.prefLabel):
        assert str(label) in page.plain, f"name in {language_of(label)} missing"
    assert "/activities/phase/5" in page.links
    assert "/activities/subProcess/5.1" in page.links  # previous
    assert "/activities/subProcess/5.4" in page.links  # next
    for mapping in fixture_graph.subjects(MAP.activity, iri):
        cls = str(fixture_graph.value(mapping, MAP.informationClass))
        assert "/def/gsim/" + cls.removeprefix(GSIM) in page.links
        assert str(fixture_graph.value(mapping, MAP.justification)) in page.plain
        role = str(fixture_graph.value(mapping, MAP.role))
        assert "/def/gsim/" + role.removeprefix(GSIM) in page.links
    assert "/services/statisticalService/linearRuleChecking" in page.links
    assert "/activities/activityArea/4" in page.links  # GAMSO context
    assert page_client.get("/activities/subProcess/5.3").text.count("<svg") == 1  # the flow diagram


def test_gsim_class_page_links_group_chain_and_every_subprocess_using_it(
    page_client: Any, fixture_graph: rdflib.Graph
) -> None:
    page = get_page(page_client, "/def/gsim/DataSet")
    assert "/def/gsim/StructuresGroup" in page.links
    assert "/def/gsim/IdentifiableArtefact" in page.links
    assert "/def/gsim/DataStructure" in page.links and "/def/gsim/InstanceVariable" in page.links  # associations
    assert "Dataset" in page.plain  # synonym
    assert "/def/gsim/UnitDataSet" in page.links  # earlier GSIM name
    for mapping in fixture_graph.subjects(MAP.informationClass, rdflib.URIRef(GSIM + "DataSet")):
        activity = str(fixture_graph.value(mapping, MAP.activity))
        assert activity.removeprefix("http://id.unece.org") in page.links
    assert "0..*" in page.plain  # inherited attribute multiplicity


def test_deprecated_gsim_name_page_points_to_its_successor(page_client: Any) -> None:
    page = get_page(page_client, "/def/gsim/UnitDataSet")
    assert "/def/gsim/DataSet" in page.links
    assert "GSIM 1.2" in page.plain


def test_group_page_draws_a_class_diagram_of_its_classes(page_client: Any, fixture_graph: rdflib.Graph) -> None:
    html = page_client.get("/def/gsim/BusinessGroup").text
    svg = html[html.index("<svg") : html.index("</svg>")]
    members = set(fixture_graph.subjects(rdflib.URIRef(GSIM + "group"), rdflib.URIRef(GSIM + "BusinessGroup")))
    for cls in members:
        assert f'href="/def/gsim/{str(cls).removeprefix(GSIM)}"' in svg
    generalisations = [
        (c, s)
        for c in members
        for s in fixture_graph.objects(c, rdflib.RDFS.subClassOf)
        if isinstance(s, rdflib.URIRef) and str(s).startswith(GSIM)
    ]
    assert svg.count('class="generalisation"') == len(generalisations)


def test_gamso_tree_and_item_pages(page_client: Any) -> None:
    tree = get_page(page_client, "/activities/gamso")
    assert {"/activities/activityArea/3", "/activities/activityArea/4", "/activities/activity/3.4"} <= set(tree.links)
    area = get_page(page_client, "/activities/activityArea/4")
    assert "/activities/statisticalProductionProcess" in area.links  # its GSBPM counterpart


def test_cspa_pages_list_services_and_what_each_supports(page_client: Any) -> None:
    index = get_page(page_client, "/def/cspa")
    assert "/services/statisticalService/linearRuleChecking" in index.links
    service = get_page(page_client, "/services/statisticalService/linearRuleChecking")
    assert {"/activities/subProcess/5.3", "/def/gsim/DataSet", "/def/gsim/Rule"} <= set(service.links)


def test_coos_pages_show_the_class_hierarchy(page_client: Any) -> None:
    index = get_page(page_client, "/def/coos")
    assert "/def/coos/StatisticalActivity" in index.links
    activity = get_page(page_client, "/def/coos/StatisticalActivity")
    assert "/def/coos/Activity" in activity.links and "/def/coos/SubProcess" in activity.links
    assert "/activities/subProcess/5.3" in get_page(page_client, "/def/coos/SubProcess").links  # instances


def test_resource_page_shows_labels_instead_of_iris_and_literals_with_language(page_client: Any) -> None:
    html = page_client.get("/resource", params={"iri": "http://id.unece.org/def/mapping#input"}).text
    page = Page(html)
    assert '<span class="literal" lang="fr">entrée</span>' in html
    assert "/mappings/informationMapping/5.3-coreInput-dataSet" in page.links  # incoming
    mapping = get_page(page_client, "/mappings/informationMapping/5.3-coreInput-dataSet")
    assert "Review and validate" in mapping.plain  # the activity's label, not its IRI
    assert "/activities/subProcess/5.3" in mapping.links


def test_resource_page_of_any_iri_in_the_graph_even_outside_id_unece_org(page_client: Any) -> None:
    page = get_page(page_client, "/resource", params={"iri": "http://www.w3.org/2002/07/owl#Class"})
    assert "/def/gsim/DataSet" in page.links  # incoming rdf:type


def test_matrix_cells_count_the_mappings_and_link_to_exactly_those(
    page_client: Any, fixture_graph: rdflib.Graph
) -> None:
    html = page_client.get("/matrix/groups").text
    cells = re.findall(r'href="(/matrix/list\?activity=[^"&]+&amp;group=[^"]+)"[^>]*>(\d+) / (\d+)</a>', html)
    assert cells
    total = 0
    for href, inputs, outputs in cells:
        listing = page_client.get(href.replace("&amp;", "&")).text
        rows = listing.count("<tr>") - 1
        assert rows == int(inputs) + int(outputs), href
        total += rows
    assert total == len(set(fixture_graph.subjects(MAP.activity, None)))


def test_flow_page_says_where_each_input_comes_from_and_where_each_output_goes(page_client: Any) -> None:
    html = page_client.get("/flow?activity=5.3").text
    rows = {
        re.findall(r'href="([^"]+)"', body)[0]: (kind, re.findall(r'href="([^"]+)"', body)[1:])
        for kind, body in re.findall(r'<tr data-kind="(\w+)">(.*?)</tr>', html, re.S)
    }
    # 4.3 and 5.1 both put out the data set: it comes from the nearest earlier one, 5.1
    assert rows["/def/gsim/DataSet"] == ("upstream", ["/activities/subProcess/5.1"])
    assert rows["/def/gsim/InstanceVariable"] == ("alongside", ["/activities/overarchingActivity/0.2"])
    assert rows["/def/gsim/Rule"] == ("none", [])  # no producer: flagged
    outputs = re.search(r'id="outputs-flow".*?</table>', html, re.S)
    assert outputs and "/activities/subProcess/5.4" in outputs.group(0)
    assert "/activities/subProcess/6.1" not in outputs.group(0)  # 5.4 puts the data set out again before 6.1
    klass = get_page(page_client, "/flow?class=InstanceVariable")
    assert "/activities/overarchingActivity/0.2" in klass.links and "/activities/subProcess/6.1" in klass.links
    gaps = page_client.get("/flow/gaps").text
    assert re.search(r'<tr data-kind="none">\s*<th scope="row"><a href="/activities/subProcess/5.3"', gaps)


def test_unknown_iri_path_answers_404_with_suggestions(page_client: Any) -> None:
    response = page_client.get("/def/gsim/InstanceVariabel", headers={"Accept": "text/html"})
    assert response.status_code == 404
    page = Page(response.text)
    assert "/def/gsim/InstanceVariable" in page.links


def test_unknown_flow_and_download_answer_404(page_client: Any) -> None:
    for path in ("/flow?activity=9.9", "/flow?class=NoSuchClass", "/downloads/nothing.ttl"):
        assert page_client.get(path, headers={"Accept": "text/html"}).status_code == 404, path


# --- real content, checked against the reference ---------------------------------------------------------------


def test_real_home_matrix_has_every_gsbpm_subprocess_of_the_reference(
    real_page_client: Any, reference_dir: Path
) -> None:
    coos = rdflib.Graph().parse(reference_dir / "coos" / "coos.ttl")
    codes = {str(c) for s, c in coos.subject_objects(SKOS.notation) if str(s).startswith(SP)}
    assert len(codes) == 44
    page = get_page(real_page_client, "/")
    for code in codes:
        assert f"/activities/subProcess/{code}" in page.links
    phases = {
        str(s)
        for s in coos.subjects(SKOS.inScheme, rdflib.URIRef("http://id.unece.org/activities/gsbpm"))
        if "/phase/" in str(s)
    }
    assert {p.removeprefix("http://id.unece.org") for p in phases} <= set(page.links)


def test_real_subprocess_page_shows_the_reference_names_in_every_language(
    real_page_client: Any, reference_dir: Path
) -> None:
    coos = rdflib.Graph().parse(reference_dir / "coos" / "coos.ttl")
    page = get_page(real_page_client, "/activities/subProcess/5.3")
    for label in coos.objects(rdflib.URIRef(SP + "5.3"), SKOS.prefLabel):
        assert str(label) in page.plain
    assert any(link.startswith("/def/gsim/") for link in page.links)


@pytest.mark.parametrize("path", PAGES)
def test_tables_have_scoped_headers_and_controls_have_labels(page_client: Any, path: str) -> None:
    body = page_client.get(path, headers={"Accept": "text/html"}).text
    headers = re.findall(r"<th\b[^>]*>", body)
    assert all('scope="' in th for th in headers), [th for th in headers if "scope=" not in th]
    labels = set(re.findall(r'<label for="([^"]+)"', body))
    for control in re.findall(r"<(?:input|select|textarea)\b[^>]*>", body):
        if 'type="hidden"' in control:
            continue
        ident = re.search(r'\sid="([^"]+)"', control)
        assert (ident and ident.group(1) in labels) or "aria-label=" in control, control
    assert re.search(r'<html lang="(en|fr|es)">', body)
    assert '<main id="main"' in body and "<header" in body and "<nav" in body
