"""The SPARQL page and the API viewers over HTTP (in-process): the policy each page carries, the vendored editor's
files and licence, the editor's completion data, the plain form's error with the parser's own words and position,
and the page in French and Spanish. The browser side is `test_browser_tools.py`."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import PROJECT_ROOT
from modernstats_kg.sparql.execution import _readable

VENDOR = PROJECT_ROOT / "service" / "modernstats_kg" / "web" / "static" / "vendor" / "yasgui"
HTML = {"Accept": "text/html"}


@pytest.mark.parametrize("path", ["/sparql", "/docs", "/redoc"])
def test_tool_pages_keep_the_strict_policy(page_client: Any, path: str) -> None:
    response = page_client.get(path, headers=HTML)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    style = re.search(r"style-src ([^;]*)", csp)
    assert style is not None
    allowed = style.group(1).split()
    assert allowed[0] == "'self'" and all(a.startswith("'sha256-") or a == "'unsafe-hashes'" for a in allowed[1:])
    assert len(allowed) <= 4, "only the few fixed style sheets of the vendored viewers"
    body = response.text
    assert re.search(r"<script\b[^>]*>\s*[^<\s]", body) is None, "no inline script"
    assert "<style" not in body and " style=" not in body
    assert re.search(r'\ssrc="(https?:)?//', body) is None, "no script from elsewhere"


def test_the_vendored_editor_is_pinned_with_its_licence(page_client: Any) -> None:
    assert "@zazuko/yasgui 4.6.2" in (VENDOR / "VERSION").read_text()
    licence = (VENDOR / "LICENSE").read_text()
    assert "MIT License" in licence and "sha512-" in licence
    for asset, kind in (("yasgui.min.js", "javascript"), ("yasgui.min.css", "text/css")):
        response = page_client.get(f"/static/vendor/yasgui/{asset}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
    page = page_client.get("/sparql", headers=HTML).text
    assert 'src="/static/vendor/yasgui/yasgui.min.js"' in page and 'src="/static/sparql-editor.js"' in page


def test_api_viewers_load_their_files_from_the_site(page_client: Any) -> None:
    for path, asset in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        page = page_client.get(path, headers=HTML).text
        assert f'src="/static/api-docs/{asset}"' in page and 'data-openapi="/openapi.json"' in page
        response = page_client.get(f"/static/api-docs/{asset}")
        assert response.status_code == 200 and "javascript" in response.headers["content-type"]
    footer = page_client.get("/", headers=HTML).text
    assert 'href="/docs"' in footer and 'href="/redoc"' in footer


def test_editor_completion_data_comes_from_this_graph(page_client: Any) -> None:
    prefixes = page_client.get("/sparql-editor/prefixes.json").json()
    assert prefixes["gsim"] == "http://id.unece.org/def/gsim#"
    terms = page_client.get("/sparql-editor/terms.json").json()
    assert set(terms) == {"class", "property"}
    assert any(t.startswith("http://id.unece.org/def/gsim#") for t in terms["class"])
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" in terms["property"]
    assert terms["class"] == sorted(set(terms["class"]))


def test_parser_checks_keep_their_own_words() -> None:
    raw = "expected one of Prefix not found, ['%'], ['-' | '0' ..= '9'], [':'], ['_']"
    assert _readable(raw) == "Prefix not found"
    assert _readable("expected one of LATERAL, SERVICE, [_]") == "expected one of LATERAL, SERVICE, more text"


def test_plain_form_shows_the_error_with_the_parser_words_and_position(page_client: Any) -> None:
    response = page_client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s foo:bar ?o\n}"}, headers=HTML)
    assert response.status_code == 400
    # pyoxigraph stops just after the prefixed name it cannot expand
    assert "line 2, column 13: Prefix not found" in response.text
    assert "  ?s foo:bar ?o\n            ^" in response.text
    json_error = page_client.get(
        "/sparql", params={"query": "SELECT * WHERE { ?s foo:bar ?o }"}, headers={"Accept": "application/json"}
    ).json()
    assert json_error["error"].endswith("Prefix not found") and json_error["column"] == 28


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ["Requête SPARQL", "Exécuter la requête", "Exemples", "Pour les programmes"]),
        ("es", ["Consulta SPARQL", "Ejecutar la consulta", "Ejemplos", "Para programas"]),
    ],
)
def test_sparql_page_in_french_and_spanish(page_client: Any, lang: str, words: list[str]) -> None:
    body = page_client.get("/sparql", params={"lang": lang}, headers=HTML).text
    for word in words:
        assert word in body
    for english in ("Run query", "Answer as", "Service description", "Download this result"):
        assert english not in body
