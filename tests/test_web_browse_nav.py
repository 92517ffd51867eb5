"""The browser's navigation over the real content: the A-Z index and hierarchy of every vocabulary (checked against
the store), one breadcrumb (Home > section > ... > item) and the matching tab on every page type, download links that
say what they hold and how big they are (checked against the bytes served), and the new strings in en/fr/es."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox
import pytest

from modernstats_kg.web.nav_strings import _BY_LANG, human_size
from modernstats_kg.web.paths import page_url

TEMPLATES = Path(__file__).resolve().parents[1] / "service" / "modernstats_kg" / "web" / "templates"
HTML = {"Accept": "text/html"}


@pytest.fixture(autouse=True)
def _no_language_cookie(real_page_client: Any) -> None:
    """These tests choose the language with Accept-Language; a `lang` cookie another file left on the shared client
    would win over it."""
    real_page_client.cookies.clear()


SKOS = "http://www.w3.org/2004/02/skos/core#"
GSIM = "http://id.unece.org/def/gsim#"
GSBPM = "http://id.unece.org/activities/gsbpm"


def select(client: Any, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT run on the app's own store (values as strings)."""
    result = client.app.state.service.store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def hrefs(html: str) -> list[str]:
    return [unquote(h) for h in re.findall(r'href="([^"]+)"', html)]


def main_part(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


# --- A-Z index ------------------------------------------------------------------------------------------------------


def test_the_gsim_a_z_lists_every_class_of_the_namespace_once_with_deprecated_ones_marked(
    real_page_client: Any,
) -> None:
    classes = {
        row["c"]
        for row in select(
            real_page_client,
            "SELECT DISTINCT ?c WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> "
            f'FILTER(STRSTARTS(STR(?c), "{GSIM}")) }}',
        )
    }
    assert len(classes) > 100
    page = real_page_client.get("/browse/gsim/a-z", headers=HTML)
    assert page.status_code == 200
    lists = "".join(re.findall(r'<ul class="az multi">(.*?)</ul>', page.text, re.S))
    entries = re.findall(r'<li( class="deprecated")?><a href="([^"]+)"', lists)
    listed = [href for _, href in entries]
    assert sorted(listed) == sorted(page_url(c) for c in classes)  # every class, each once
    deprecated = {href for mark, href in entries if mark}
    old = {
        row["c"]
        for row in select(real_page_client, "SELECT ?c WHERE { ?c <http://www.w3.org/2002/07/owl#deprecated> true }")
    }
    assert deprecated == {page_url(c) for c in old if c in classes}
    assert 'href="/def/gsim/UnitDataSet"' in page.text and "replaced by" in page.text


def test_the_letter_bar_leads_to_every_letter_and_names_are_in_order(real_page_client: Any) -> None:
    html = real_page_client.get("/browse/gsbpm/a-z", headers=HTML).text
    bar = re.search(r'<nav class="letters".*?</nav>', html, re.S)
    assert bar is not None
    targets = re.findall(r'href="#(letter-\d+)">(\w|#)<', bar.group(0))
    assert [letter for _, letter in targets] == sorted(letter for _, letter in targets)
    for target, letter in targets:
        assert f'<h2 id="{target}">{letter}</h2>' in html
    # every GSBPM concept with its code: 5.3 is listed with its notation
    assert re.search(
        r'<a href="/activities/subProcess/5\.3"><span class="code">5\.3</span> Review and validate</a>', html
    )
    concepts = select(real_page_client, f"SELECT ?c WHERE {{ ?c <{SKOS}inScheme> <{GSBPM}> }}")
    main = main_part(html)
    assert all(f'href="{page_url(row["c"])}"' in main for row in concepts)


def test_the_a_z_follows_the_content_language_and_marks_fallbacks(real_page_client: Any) -> None:
    french = real_page_client.get("/browse/gsbpm/a-z", headers={**HTML, "Accept-Language": "fr"}).text
    assert "<h1>Index A-Z" in french
    assert "Examiner et valider" in french or 'class="fallback"' in french
    missing = real_page_client.get("/browse/gsim/a-z", headers={**HTML, "Accept-Language": "es"}).text
    # a GSIM class has no Spanish name: its English one is shown, marked as a fallback in English
    assert 'lang="en" class="fallback"' in missing


# --- hierarchy trees ------------------------------------------------------------------------------------------------


class TreeEdges(HTMLParser):
    """(child href, parent href) pairs of the nested `ul.tree` lists of a page section."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []  # the link of each open <li>
        self.edges: list[tuple[str, str | None]] = []
        self.want_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.stack.append(None)
            self.want_link = True
        elif tag == "a" and self.want_link and self.stack:
            href = unquote(dict(attrs).get("href") or "")
            self.stack[-1] = href
            parents = [h for h in self.stack[:-1] if h]
            self.edges.append((href, parents[-1] if parents else None))
            self.want_link = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self.stack:
            self.stack.pop()


def tree_edges(html: str, section_id: str) -> list[tuple[str, str | None]]:
    start = html.index(f'aria-labelledby="{section_id}"')
    end = html.find("</section>", start)
    parser = TreeEdges()
    parser.feed(html[start:end])
    return parser.edges


def test_the_gsbpm_tree_nests_exactly_as_skos_broader_says(real_page_client: Any) -> None:
    html = real_page_client.get("/browse/gsbpm/tree", headers=HTML).text
    edges = tree_edges(html, "tree-hierarchy")
    rows = select(
        real_page_client,
        f"SELECT ?n ?b WHERE {{ ?n <{SKOS}inScheme> <{GSBPM}> ; <{SKOS}broader> ?b . ?b <{SKOS}inScheme> <{GSBPM}> }}",
    )
    expected = {(page_url(r["n"]), page_url(r["b"])) for r in rows}
    assert {(c, p) for c, p in edges if p is not None} == expected
    assert [c for c, p in edges if p is None] == ["/activities/statisticalProductionProcess"]
    # phase 5's children in code order
    fives = [c for c, p in edges if p == "/activities/phase/5"]
    assert fives == [f"/activities/subProcess/5.{i}" for i in range(1, 9)]
    assert "<details open>" in html and "<script" not in main_part(html)


def test_the_gsim_trees_follow_groups_and_subclass_of(real_page_client: Any) -> None:
    html = real_page_client.get("/browse/gsim/tree", headers=HTML).text
    by_group = tree_edges(html, "tree-by_group")
    rows = select(real_page_client, f"SELECT ?c ?g WHERE {{ ?c <{GSIM}group> ?g }}")
    assert {(c, p) for c, p in by_group if p} == {(page_url(r["c"]), page_url(r["g"])) for r in rows}
    by_super = tree_edges(html, "tree-by_generalisation")
    rows = select(
        real_page_client,
        "SELECT ?c ?s WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?s ; "
        f"<{GSIM}group> ?g1 . ?s <{GSIM}group> ?g2 }}",
    )
    nested = {(c, p) for c, p in by_super if p}
    assert nested == {(page_url(r["c"]), page_url(r["s"])) for r in rows}
    assert ("/def/gsim/InstanceVariable", "/def/gsim/RepresentedVariable") in nested


@pytest.mark.parametrize("vocid", ["gsbpm", "gamso", "gsim", "cspa", "coos", "gsgf-principles", "mapping-status"])
def test_every_vocabulary_has_both_pages_linked_from_the_list_and_its_index(real_page_client: Any, vocid: str) -> None:
    listing = real_page_client.get("/browse", headers=HTML).text
    for kind in ("a-z", "tree"):
        assert f'href="/browse/{vocid}/{kind}"' in listing
        assert real_page_client.get(f"/browse/{vocid}/{kind}", headers=HTML).status_code == 200
    index = {"gsbpm": "/", "gamso": "/activities/gamso", "gsim": "/def/gsim", "cspa": "/def/cspa", "coos": "/def/coos"}
    if vocid in index:
        assert f'href="/browse/{vocid}/a-z"' in real_page_client.get(index[vocid], headers=HTML).text


def test_an_unknown_vocabulary_is_a_404_page_with_a_way_back(real_page_client: Any) -> None:
    page = real_page_client.get("/browse/nope/tree", headers=HTML)
    assert page.status_code == 404
    assert '<nav class="crumbs"' in page.text and 'href="/browse"' in page.text


# --- one breadcrumb, the right tab ----------------------------------------------------------------------------------

# page type -> (a page of it, its section tab, the first crumbs after Home)
PAGE_TYPES = {
    "subprocess": ("/activities/subProcess/5.3", "GSBPM", ["GSBPM", "5 Process"]),
    "overarching": ("/activities/overarchingActivity/0.1", "GSBPM", ["GSBPM"]),
    "phase": ("/activities/phase/5", "GSBPM", ["GSBPM"]),
    "flow": ("/flow?activity=5.3", "GSBPM", ["GSBPM"]),
    "flow-gaps": ("/flow/gaps", "GSBPM", ["GSBPM"]),
    "gsbpm-changes": ("/gsbpm/changes", "GSBPM", ["GSBPM"]),
    "gsbpm-geospatial": ("/gsbpm/geospatial", "GSBPM", ["GSBPM"]),
    "gsbpm-commonalities": ("/gsbpm/commonalities", "GSBPM", ["GSBPM"]),
    "gsgf-principle": ("/gsgf/principle/1", "GSBPM", ["GSBPM"]),
    "gsim-index": ("/def/gsim", "GSIM", ["GSIM"]),
    "gsim-group": ("/def/gsim/ConceptsGroup", "GSIM", ["GSIM"]),
    "gsim-class": ("/def/gsim/InstanceVariable", "GSIM", ["GSIM", "Concepts Group"]),
    "gsim-deprecated": ("/def/gsim/UnitDataSet", "GSIM", ["GSIM"]),
    "gamso-index": ("/activities/gamso", "GAMSO", ["GAMSO"]),
    "gamso-item": ("/activities/activity/3.4", "GAMSO", ["GAMSO"]),
    "cspa-index": ("/def/cspa", "CSPA", ["CSPA"]),
    "cspa-service": ("/services/statisticalService/seasonalAdjustment", "CSPA", ["CSPA"]),
    "coos-index": ("/def/coos", "COOS", ["COOS"]),
    "coos-class": ("/def/coos/StatisticalProgram", "COOS", ["COOS"]),
    "matrix": ("/matrix", "Mapping matrix", ["Mapping matrix"]),
    "mapping-list": ("/matrix/list?activity=5.3", "Mapping matrix", ["Mapping matrix"]),
    "mapping": ("/mappings/informationMapping/7.2-coreInput-presentation", "Mapping matrix", ["Mapping matrix"]),
    "vocabularies": ("/browse", "Vocabularies", ["Vocabularies"]),
    "az-index": ("/browse/gamso/a-z", "GAMSO", ["GAMSO", "A-Z index"]),
    "tree": ("/browse/coos-product-contents/tree", "COOS", ["COOS", "Product contents", "Hierarchy"]),
    "downloads": ("/downloads", "Downloads", ["Downloads"]),
    "releases": ("/releases", "Downloads", ["Downloads", "Releases"]),
    "search": ("/search?q=validation", None, ["Search"]),
    "resource": ("/resource?iri=http%3A%2F%2Fwww.w3.org%2F2000%2F01%2Frdf-schema%23domain", None, ["domain"]),
    "not-found": ("/activities/subProcess/9.9", "GSBPM", ["GSBPM", "Not found"]),
}


def crumbs_of(html: str) -> list[str]:
    found = re.findall(r'<nav class="crumbs"[^>]*><ol>(.*?)</ol></nav>', html, re.S)
    assert len(found) == 1, f"{len(found)} breadcrumbs"
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", found[0], re.S)]


def current_tabs(html: str) -> list[str]:
    nav = re.search(r'<nav class="main".*?</nav>', html, re.S)
    assert nav is not None
    return re.findall(r'aria-current="page">([^<]+)<', nav.group(0))


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_every_page_type_starts_its_breadcrumb_the_same_way_and_lights_its_tab(
    real_page_client: Any, name: str
) -> None:
    path, tab, after_home = PAGE_TYPES[name]
    page = real_page_client.get(path, headers={**HTML, "Accept-Language": "en"})
    assert page.status_code in (200, 404)
    crumbs = crumbs_of(page.text)
    assert crumbs[0] == "Home"
    assert crumbs[1 : 1 + len(after_home)] == after_home, crumbs
    assert len(crumbs) == len(dict.fromkeys(crumbs)) or name == "not-found", f"a crumb twice: {crumbs}"
    assert current_tabs(page.text) == ([tab] if tab else [])
    if tab:
        assert crumbs[1] == tab  # the tab and the breadcrumb name the same section


def test_the_breadcrumb_is_rendered_by_the_one_macro_only() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        if template.name in ("_macros.html", "_base.html"):
            continue
        assert 'class="crumbs"' not in text, f"{template.name} draws its own breadcrumb"
        if "{% block crumbs %}" in text:
            assert "{{ crumbs(" in text.split("{% block crumbs %}", 1)[1].split("{% endblock %}", 1)[0]


# --- downloads: what each link holds, and its size -------------------------------------------------------------------


def test_every_download_link_says_its_format_and_its_true_size(real_page_client: Any) -> None:
    html = real_page_client.get("/downloads", headers=HTML).text
    links = re.findall(
        r'<a href="(/downloads/[^"]+)"[^>]*>(.*?)</a>\)? *:? *([^<]*)<span class="size">\(?([^<)]+)\)?</span>', html
    )
    assert len(links) >= 4 * 20, "every graph in every format, the quads, the CSV and the SSSOM sets"
    for href, text, _, shown in links[::7] + links[-8:]:  # a sample across the table, and every file of the list
        body = real_page_client.get(href).content
        assert shown == human_size(len(body), "en"), href
        assert text.strip()
    main = main_part(html)
    for description in ("Turtle (RDF as readable text)", "N-Quads", "TriG", "one row per GSIM-GSBPM mapping", "SSSOM"):
        assert description in main
    french = real_page_client.get("/downloads", headers={**HTML, "Accept-Language": "fr"}).text
    assert re.search(r"\d+,\d (ko|Mo)", french)


def test_the_format_links_of_a_page_give_the_size_of_what_they_serve(real_page_client: Any) -> None:
    html = real_page_client.get("/activities/subProcess/5.3", headers=HTML).text
    formats = re.search(r'<p class="formats">.*?</p>', html, re.S)
    assert formats is not None
    pairs = re.findall(
        r'<a href="([^"]+)" type="[^"]+">[^<]+</a> <span class="size">\(([^)]+)\)</span>', formats.group(0)
    )
    assert len(pairs) == 4
    for href, shown in pairs:
        assert shown == human_size(len(real_page_client.get(href).content), "en")


def test_human_sizes() -> None:
    assert human_size(532, "en") == "532 bytes"
    assert human_size(12_345, "en") == "12.3 kB"
    assert human_size(1_250_000, "fr") == "1,2 Mo"
    assert human_size(999, "es") == "999 bytes"


# --- GSIM group pages: a clear list first ---------------------------------------------------------------------------


def test_a_group_page_lists_its_classes_by_generalisation_before_the_diagram(real_page_client: Any) -> None:
    html = real_page_client.get("/def/gsim/ConceptsGroup", headers=HTML).text
    assert html.index('id="classes-title"') < html.index('id="diagram-title"')
    edges = tree_edges(html, "classes-title")
    assert ("/def/gsim/InstanceVariable", "/def/gsim/RepresentedVariable") in edges
    assert ("/def/gsim/RepresentedVariable", "/def/gsim/ConceptualVariable") in edges
    members = {
        r["c"] for r in select(real_page_client, f"SELECT ?c WHERE {{ ?c <{GSIM}group> <{GSIM}ConceptsGroup> }}")
    }
    assert {c for c, _ in edges if c.startswith("/def/gsim/") and c[10:] in {m[len(GSIM) :] for m in members}} == {
        page_url(m) for m in members
    }


# --- interface strings ----------------------------------------------------------------------------------------------


def test_the_navigation_strings_exist_in_english_french_and_spanish() -> None:
    english = _BY_LANG["en"]
    for lang in ("fr", "es"):
        assert set(_BY_LANG[lang]) == set(english), f"{lang}: {set(english) ^ set(_BY_LANG[lang])}"
    assert _BY_LANG["fr"]["vocabularies"] != english["vocabularies"]


def test_the_navigation_tab_and_pages_speak_the_interface_language(real_page_client: Any) -> None:
    spanish = real_page_client.get("/browse/gsim/tree", headers={**HTML, "Accept-Language": "es"}).text
    assert ">Vocabularios<" in spanish and "Por generalización" in spanish and "Inicio" in crumbs_of(spanish)


# --- the same data as JSON ------------------------------------------------------------------------------------------


def test_the_api_gives_the_same_index_and_trees_as_the_pages(real_page_client: Any) -> None:
    listing = real_page_client.get("/api/v1/browse").json()["vocabularies"]
    assert {"gsbpm", "gamso", "gsim", "cspa", "coos", "gsgf-principles"} <= {v["id"] for v in listing}
    index = real_page_client.get("/api/v1/browse/gsim/a-z?lang=es").json()
    entries = [e for letter in index["letters"] for e in letter["entries"]]
    page = real_page_client.get("/browse/gsim/a-z", headers={**HTML, "Accept-Language": "es"}).text
    lists = "".join(re.findall(r'<ul class="az multi">(.*?)</ul>', page, re.S))
    assert [page_url(e["uri"]) for e in entries] == re.findall(r'<li(?: class="deprecated")?><a href="([^"]+)"', lists)
    unit = next(e for e in entries if e["uri"] == GSIM + "UnitDataSet")
    assert unit["deprecated"] and unit["label_lang"] == "en"
    trees = real_page_client.get("/api/v1/browse/gsbpm/tree").json()["trees"]
    top = trees[0]["roots"][0]
    phase5 = next(n for n in top["children"] if n["notation"] == "5")
    assert [n["notation"] for n in phase5["children"]] == [f"5.{i}" for i in range(1, 9)]
