"""Every page is fully translated in French and Spanish.

Three checks: every table of interface strings (found by its shape in every module of the package, so a new page
family's table is covered as soon as it exists) is registered and has every key in every language; every page the
crawl reaches from the home page, and the pages it cannot reach (log in, errors, the SPARQL page with an answer and
with an error), shows in French and in Spanish no English interface string of the tables and no English sentence
outside an element marked `lang="en"` (content with no translation is shown in English, marked as fallback); and
the templates hold no interface word of their own.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from string import Formatter
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

import modernstats_kg
from conftest import WEB_CONTENT_DIR
from modernstats_kg.app import create_app
from modernstats_kg.editing.accounts import AccountStore, Role
from modernstats_kg.settings import Settings
from modernstats_kg.web import i18n
from modernstats_kg.web.query_editor import examples
from modernstats_kg.web.string_tables import TABLES, StringTable
from modernstats_kg.web.templating import TEMPLATES_DIR

OTHER_LANGS = [lang for lang in i18n.LANGS if lang != i18n.DEFAULT]
HTML = {"Accept": "text/html"}

# Words that are English and neither French nor Spanish: one of them outside an element marked `lang="en"` is an
# untranslated interface word or English content whose language is not marked.
ENGLISH_WORDS = (
    "the and of with this that these those from which is are was were been has have had to for by into its it here "
    "there what where when who how your you not or at in out up any each every more other than then only yet also but "
    "if after before about under over their them they will would can cannot should"
)
ENGLISH_ONLY = frozenset(ENGLISH_WORDS.split())
# Elements whose text is code or data, not words of the page.
NOT_WORDS = frozenset({"script", "style", "code", "pre", "textarea", "kbd", "samp"})
VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "col", "base", "embed"})
WORD_ATTRIBUTES = frozenset({"title", "aria-label", "placeholder", "alt", "aria-description"})


# --- the string tables ----------------------------------------------------------------------------------------------


def _is_table(value: object) -> bool:
    return (
        isinstance(value, dict)
        and i18n.DEFAULT in value
        and set(value) <= set(i18n.LANGS)
        and all(
            isinstance(strings, dict) and all(isinstance(v, str) for v in strings.values())
            for strings in value.values()
        )
    )


def discovered_tables() -> dict[str, StringTable]:
    """Every module-level table of interface strings in the package (`{"en": {...}, "fr": {...}, ...}`)."""
    found: dict[str, StringTable] = {}
    for module_info in pkgutil.walk_packages(modernstats_kg.__path__, "modernstats_kg."):
        if module_info.name.endswith("__main__"):
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if _is_table(value):
                found.setdefault(f"{module_info.name}.{name}", value)
    return found


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def test_every_table_of_interface_strings_is_registered() -> None:
    registered = {id(table) for table in TABLES.values()}
    unregistered = [name for name, table in discovered_tables().items() if id(table) not in registered]
    assert not unregistered, f"register these with web.string_tables.register: {unregistered}"
    assert len(TABLES) >= 6


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_every_key_of_every_table_has_this_language(lang: str) -> None:
    discovered_tables()  # import every module, so that every table has registered
    for name, table in TABLES.items():
        english = table[i18n.DEFAULT]
        missing = sorted(set(english) - set(table.get(lang, {})))
        extra = sorted(set(table.get(lang, {})) - set(english))
        assert not missing and not extra, (name, lang, missing, extra)
        for key, text in table[lang].items():
            assert text.strip(), (name, lang, key)
            assert _fields(text) == _fields(english[key]), (name, lang, key, "placeholders differ")


def test_the_tables_every_page_gets_do_not_share_keys() -> None:
    seen: dict[str, int] = {}
    for index, table in enumerate(i18n.PAGE_TABLES):
        for key in table[i18n.DEFAULT]:
            assert key not in seen, f"{key} is in two of the page tables"
            seen[key] = index


def test_an_unknown_language_gets_english_and_a_known_one_its_own() -> None:
    assert i18n.strings("de")["login_title"] == "Log in"
    assert i18n.strings("fr")["login_title"] == "Connexion"
    assert i18n.strings("es")["sparql_run"] == "Ejecutar la consulta"


# --- the words a page shows -----------------------------------------------------------------------------------------


class PageWords(HTMLParser):
    """The texts a reader sees (text and word attributes), each with the language of the element it is in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str | None, bool]] = []  # (tag, its lang attribute, holds data)
        self.texts: list[tuple[str, str]] = []  # (language, text)
        self.html_lang = ""

    @staticmethod
    def _is_data(tag: str, attributes: dict[str, str | None]) -> bool:
        """Code and values of the data (an untagged literal, a code) are no words of the page."""
        return tag in NOT_WORDS or bool({"literal", "code"} & set((attributes.get("class") or "").split()))

    def _lang(self) -> str:
        return next((lang for _, lang, _ in reversed(self.open) if lang is not None), "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang") or ""
        if tag not in VOID:
            self.open.append((tag, attributes.get("lang"), self._is_data(tag, attributes)))
        lang = attributes.get("lang") or self._lang()
        for name, value in attrs:
            if value and (name in WORD_ATTRIBUTES or name.startswith("data-label")):
                self.texts.append((lang, value))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(is_data for _, _, is_data in self.open):
            self.texts.append((self._lang(), data.strip()))


def page_words(body: str) -> PageWords:
    parser = PageWords()
    parser.feed(body)
    parser.close()
    return parser


def _english_interface_strings(lang: str) -> tuple[list[str], set[str]]:
    """(phrases of two words or more, single words) of the English tables whose `lang` text differs."""
    phrases: list[str] = []
    words: set[str] = set()
    for table in TABLES.values():
        for key, english in table[i18n.DEFAULT].items():
            if table[lang].get(key, english).strip() == english.strip():
                continue
            for fragment in re.split(r"\{[^}]*\}", english):
                fragment = fragment.strip(" :;,.()→")
                if len(fragment.split()) >= 2:
                    phrases.append(fragment)
                elif len(fragment) >= 3:
                    words.add(fragment)
    return phrases, words


def untranslated(body: str, lang: str) -> list[str]:
    """What in `body` (a page in `lang`) is English outside an element marked as English."""
    page = page_words(body)
    problems = [] if page.html_lang == lang else [f"<html lang={page.html_lang!r}>"]
    phrases, words = _english_interface_strings(lang)
    for text_lang, text in page.texts:
        if text_lang not in ("", lang):
            continue  # marked as another language: content without a translation
        if text.strip(" :;,.()·→") in words:
            problems.append(f"interface word {text!r}")
        problems += [f"interface phrase {p!r} in {text!r}" for p in phrases if p in text]
        english = [w for w in re.findall(r"[^\W\d_]+", text) if w.lower() in ENGLISH_ONLY and not w.isupper()]
        if english:
            problems.append(f"English {english} in {text!r}")
    return problems


# --- the pages ------------------------------------------------------------------------------------------------------

ACCOUNT = ("tess", "a long test password 1")
EXTRA_PAGES = (
    "/login",
    "/sparql",
    "/sparql?query=SELECT+%3Fs+WHERE+%7B+%3Fs+a+%3Ft+%7D+LIMIT+3",
    "/sparql?query=ASK+%7B%7D",
    "/sparql?query=SELEC+nothing",
    "/docs",
    "/redoc",
    "/search?q=valid",
    "/search?q=zzzzqqq",
    "/activities/subProcess/9.9",
    "/releases",
    "/matrix/full",
    "/sparql?query=SELECT",
)
ERROR_PAGES = (("GET", "/api/v1/subprocesses?limit=-3"), ("DELETE", "/matrix"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the fixture content with a durable store and one account, so that log-in and releases show."""
    folder = tmp_path_factory.mktemp("translations-store")
    accounts = AccountStore.in_folder(folder)
    accounts.add_user(ACCOUNT[0], Role.EDITOR, ACCOUNT[1])
    accounts.close()
    app = create_app(Settings(store=str(folder), content_dir=WEB_CONTENT_DIR))
    with TestClient(app) as client:
        yield client
    app.state.service.store.close()


def crawl(client: TestClient, lang: str, depth: int) -> dict[str, str]:
    """path -> HTML of every page reachable from `/` in `depth` clicks, and of the extra pages, in `lang`."""
    pages: dict[str, str] = {}
    frontier = ["/", *EXTRA_PAGES]
    for level in range(depth + 1):
        following: list[str] = []
        for path in frontier:
            if path in pages:
                continue
            response = client.get(path, params={"lang": lang}, headers=HTML)
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            pages[path] = response.text
            for href in re.findall(r'href="([^"#][^"]*)"', response.text) if level < depth else []:
                parts = urlsplit(urljoin(path, unescape(href)))
                if parts.scheme or parts.netloc or parts.path.startswith(("/api/", "/static/", "/downloads/")):
                    continue
                query = "&".join(p for p in parts.query.split("&") if p and not p.startswith(("lang=", "clang=")))
                following.append(parts.path + (f"?{query}" if query else ""))
        frontier = following
    client.cookies.clear()
    return pages


@pytest.fixture(scope="module")
def crawled(site: TestClient) -> dict[str, dict[str, str]]:
    return {lang: crawl(site, lang, depth=2) for lang in OTHER_LANGS}


@pytest.mark.slow
@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_no_page_shows_an_untranslated_interface_word(crawled: dict[str, dict[str, str]], lang: str) -> None:
    pages = crawled[lang]
    assert len(pages) > 60, len(pages)
    assert {"/login", "/releases", "/docs", "/activities/subProcess/9.9", "/matrix/full"} <= set(pages)
    found = {path: problems for path, body in pages.items() if (problems := untranslated(body, lang))}
    assert not found, found


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_error_pages_speak_the_readers_language_and_mark_the_english_message(site: TestClient, lang: str) -> None:
    for method, path in ERROR_PAGES:
        response = site.request(method, path, headers={**HTML, "Accept-Language": lang})
        assert response.status_code >= 400, path
        assert not untranslated(response.text, lang), (path, untranslated(response.text, lang))
        assert f'<html lang="{lang}">' in response.text and '<p lang="en">' in response.text


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_log_in_refusals_are_translated(site: TestClient, lang: str) -> None:
    site.cookies.clear()
    form = site.get("/login", params={"lang": lang}, headers=HTML).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    refused = site.post("/login", data={"csrf_token": token.group(1), "name": ACCOUNT[0], "password": "wrong"})
    site.cookies.clear()
    assert refused.status_code == 401
    assert i18n.strings(lang)["login_wrong"] in unescape(refused.text) and not untranslated(refused.text, lang)


@pytest.mark.slow
def test_a_french_page_marks_the_english_fallback_content(crawled: dict[str, dict[str, str]]) -> None:
    """The checks above skip text marked `lang="en"`: that content really is there, and only as marked fallback."""
    body = crawled["fr"]["/activities/subProcess/5.3"]
    page = page_words(body)
    assert page.html_lang == "fr"
    assert any(lang == "en" for lang, _ in page.texts), "GSIM class names have no French: marked English"
    assert 'lang="en" class="fallback"' in body
    assert not untranslated(body, "fr")


def test_the_check_finds_an_untranslated_word() -> None:
    """The detector itself: a hard-coded English heading, an English table string, a wrong <html lang>."""
    assert untranslated('<html lang="fr"><h1>Log in</h1></html>', "fr")
    assert untranslated('<html lang="fr"><p>Nothing matches this search.</p></html>', "fr")
    assert untranslated('<html lang="fr"><p>Voir the flow</p></html>', "fr")
    assert untranslated('<html lang="en"><p>Connexion</p></html>', "fr")
    assert not untranslated('<html lang="fr"><p lang="en">Data Set is structured by Data Structure</p></html>', "fr")
    assert not untranslated('<html lang="fr"><p>Connexion</p><code>the query</code></html>', "fr")


# --- the templates --------------------------------------------------------------------------------------------------

# Names of standards, formats and protocols: the same words in every language.
NAMES = (
    "SPARQL OpenAPI JSON ReDoc Swagger UI SSSOM GSIM GSBPM GAMSO COOS CSPA GeoGSBPM Turtle N-Triples JSON-LD RDF/XML "
    "CSV TSV XML SELECT ASK CONSTRUCT DESCRIBE CI"
)
PROPER_NAMES = frozenset(NAMES.split())


def _names_only(part: str) -> bool:
    """True for names of standards, formats and keywords, versions, file names and identifiers (`dataset.nq`,
    `gsim-gsbpm`): the same in every language."""
    return all(
        word in PROPER_NAMES or re.fullmatch(r"[\d.]+|[a-z]+\.[a-z]*|[a-z]+(-[a-z0-9]+)+", word)
        for word in re.split(r"[\s,;:()]+", part)
        if word
    )


def template_words(path: Path) -> list[str]:
    """The words a template writes itself: its text and word attributes, Jinja expressions and tags removed."""
    source = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", " ", path.read_text(encoding="utf-8"), flags=re.S)
    page = page_words(source)
    pieces = [re.sub(r"\s+", " ", text).strip(" ·×()≥;,:") for _, text in page.texts]
    words: list[str] = []
    for piece in pieces:
        for part in re.split(r"\s*[·×]\s*|\s{2,}|\(|\)", piece):
            part = part.strip(" ,;:")
            if re.search(r"[A-Za-z]{2,}", part) and not _names_only(part):
                words.append(part)
    return words


def test_templates_write_no_interface_word_themselves() -> None:
    templates = sorted(TEMPLATES_DIR.glob("*.html"))
    assert len(templates) > 20
    found = {path.name: words for path in templates if (words := template_words(path))}
    assert not found, f"move these into a string table: {found}"


def test_the_template_check_finds_a_hard_coded_word(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text('<h1>{{ t.title }}</h1><button aria-label="Close">{{ t.x }}</button><p>GSIM 2.0</p>')
    assert template_words(page) == ["Close"]


def test_every_sparql_example_has_a_title_in_the_tables() -> None:
    names = [example.name for example in examples()]
    assert len(names) >= 5
    for lang in i18n.LANGS:
        assert all(f"example_{name}" in i18n.strings(lang) for name in names), lang
