"""Pages treat the graph's text as text: hostile labels, definitions and justifications are escaped everywhere
(HTML and SVG), no page carries inline script or style, and HTML responses carry a Content-Security-Policy."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from modernstats_kg.app import create_app
from modernstats_kg.settings import Settings

SCRIPT = '<script>alert("label")</script>'
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*7 }}{% raw %}"

HOSTILE = f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix gsim: <http://id.unece.org/def/gsim#> .
@prefix map: <http://id.unece.org/def/mapping#> .
@prefix cspa: <http://id.unece.org/def/cspa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<http://id.unece.org/def/hostile> a owl:Ontology .

<http://id.unece.org/activities/subProcess/5.9> a skos:Concept ;
    skos:notation "5.9" ;
    skos:prefLabel {SCRIPT!r}@en , {IMG!r}@fr , {TEMPLATE!r}@es ;
    skos:definition "Defined as {SCRIPT.replace('"', "&quot;")}"@en ;
    skos:inScheme <http://id.unece.org/activities/gsbpm> ;
    skos:broader <http://id.unece.org/activities/phase/5> ;
    rdfs:seeAlso <javascript:alert(1)> .

gsim:Evil a owl:Class ; rdfs:label {SCRIPT!r}@en ; gsim:group gsim:BusinessGroup ;
    skos:altLabel {IMG!r}@en ; skos:definition {SCRIPT!r}@en ; rdfs:subClassOf gsim:ProcessInput .

<http://id.unece.org/mappings/informationMapping/5.9-coreInput-evil> a map:InformationMapping ;
    map:activity <http://id.unece.org/activities/subProcess/5.9> ; map:informationClass gsim:Evil ;
    map:role gsim:CoreInput ; map:direction map:input ; map:justification {SCRIPT!r}@en ; map:status map:proposed .
<http://id.unece.org/mappings/informationMapping/5.9-coreOutput-dataSet> a map:InformationMapping ;
    map:activity <http://id.unece.org/activities/subProcess/5.9> ; map:informationClass gsim:DataSet ;
    map:role gsim:CoreOutput ; map:direction map:output ; map:justification {IMG!r}@en ; map:status map:proposed .

<http://id.unece.org/services/statisticalService/evil> a cspa:StatisticalService ;
    rdfs:label {SCRIPT!r}@en ; dcterms:description {IMG!r}@en ;
    cspa:supportsSubProcess <http://id.unece.org/activities/subProcess/5.9> .
"""

PATHS = [
    "/",
    "/activities/subProcess/5.9",
    "/activities/subProcess/5.9?lang=fr",
    "/activities/subProcess/5.9?lang=es",
    "/activities/subProcess/5.8",  # a 404 whose suggestions may include the hostile label
    "/activities/phase/5",
    "/def/gsim/Evil",
    "/def/gsim/BusinessGroup",
    "/def/gsim/ProcessInput",
    "/def/gsim",
    "/services/statisticalService/evil",
    "/def/cspa",
    "/matrix",
    "/matrix/list?activity=5.9",
    "/flow?activity=5.9",
    "/flow?class=Evil",
    "/search?q=alert",
    "/search?q=" + SCRIPT,
    "/resource?iri=http%3A%2F%2Fid.unece.org%2Factivities%2FsubProcess%2F5.9",
    "/mappings/informationMapping/5.9-coreInput-evil",
    "/def/gsim/" + "%3Cscript%3E",
]


@pytest.fixture(scope="module")
def hostile_client(web_content_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(web_content_dir, root, dirs_exist_ok=True)
    (root / "ontology" / "hostile.ttl").write_text(HOSTILE, encoding="utf-8")
    with TestClient(create_app(Settings(content_dir=root))) as client:
        yield client


@pytest.mark.parametrize("path", PATHS)
def test_hostile_text_is_escaped_on_every_page(hostile_client: TestClient, path: str) -> None:
    response = hostile_client.get(path, headers={"Accept": "text/html"})
    assert response.status_code in (200, 404), path
    body = response.text
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "onerror=alert" not in body.replace("onerror=alert(1)&gt;", "")  # only ever inside escaped text
    assert 'href="javascript:' not in body.lower()


def test_hostile_label_is_shown_as_text(hostile_client: TestClient) -> None:
    body = hostile_client.get("/activities/subProcess/5.9").text
    assert "&lt;script&gt;alert(&#34;label&#34;)&lt;/script&gt;" in body
    es = hostile_client.get("/activities/subProcess/5.9?lang=es").text
    assert "{{ 7*7 }}" in es, "template syntax in data stays literal text"


def test_hostile_text_in_svg_diagrams_is_escaped(hostile_client: TestClient) -> None:
    for path in ("/def/gsim/BusinessGroup", "/flow?activity=5.9", "/flow?class=Evil"):
        body = hostile_client.get(path).text
        svg = body[body.index("<svg") : body.index("</svg>")]
        assert "&lt;script&gt;" in svg, path
        assert "<script" not in svg


def test_suggest_json_carries_labels_as_data(hostile_client: TestClient) -> None:
    response = hostile_client.get("/search/suggest", params={"q": "alert"})
    assert response.headers["content-type"].startswith("application/json")
    assert any(item["label"] == SCRIPT for item in response.json())


ALL_PAGES = [
    "/",
    "/activities/subProcess/5.3",
    "/def/gsim/DataSet",
    "/def/gsim/BusinessGroup",
    "/matrix",
    "/flow?activity=5.3",
    "/search?q=data",
    "/downloads",
    "/activities/gamso",
    "/def/cspa",
    "/def/coos",
    "/resource?iri=http%3A%2F%2Fid.unece.org%2Fdef%2Fgsim%23Rule",
    "/nothing/here",
]


@pytest.mark.parametrize("path", ALL_PAGES)
def test_html_pages_have_a_csp_and_no_inline_script_or_style(page_client: Any, path: str) -> None:
    response = page_client.get(path, headers={"Accept": "text/html"})
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    body = response.text
    for tag in re.findall(r"<script\b[^>]*>", body):
        assert 'src="/static/' in tag, f"inline script on {path}: {tag}"
    assert re.search(r"<script\b[^>]*>\s*[^<\s]", body) is None, "script elements carry no code"
    assert "<style" not in body and " style=" not in body, f"inline style on {path}"
    assert re.search(r"\son[a-z]+=", body) is None, f"inline event handler on {path}"
    assert re.search(r'\ssrc="(https?:)?//', body) is None, "no external scripts or images"
    assert re.search(r'<link\b[^>]*href="(https?:)?//', body) is None, "no external stylesheets"


def test_static_assets_are_served_and_same_origin(page_client: Any) -> None:
    for asset, kind in (("/static/style.css", "text/css"), ("/static/suggest.js", "javascript")):
        response = page_client.get(asset)
        assert response.status_code == 200 and kind in response.headers["content-type"]
        assert "http://" not in response.text and "https://" not in response.text, "no external resources"
