"""The sections of the site: the main navigation's tabs, which tab a page belongs to, and the first crumbs of its
breadcrumb. One table, so the highlighted tab and the breadcrumb's start never disagree:
every breadcrumb reads Home > section > ... > item (the `crumbs` macro of `_macros.html` prepends the first two).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    href: str
    label_key: str  # the key of its name in the interface strings (`i18n` or `nav_strings`)
    prefixes: tuple[str, ...]  # the paths of its pages


SECTIONS: tuple[Section, ...] = (
    Section(
        "gsbpm",
        "/",
        "gsbpm",
        (
            "/activities/subProcess/",
            "/activities/phase/",
            "/activities/overarchingActivity/",
            "/activities/gsbpm",
            "/activities/statisticalProductionProcess",
            "/gsbpm",
            "/flow",
            "/gsgf/",
            "/browse/gsbpm",
            "/browse/gsgf-",
        ),
    ),
    Section("gsim", "/def/gsim", "gsim", ("/def/gsim", "/browse/gsim")),
    Section(
        "gamso",
        "/activities/gamso",
        "gamso",
        ("/activities/gamso", "/activities/activityArea/", "/activities/activity/", "/browse/gamso"),
    ),
    Section("cspa", "/def/cspa", "cspa", ("/def/cspa", "/services/", "/browse/cspa")),
    Section("coos", "/def/coos", "coos", ("/def/coos", "/browse/coos")),
    Section("matrix", "/matrix", "matrix", ("/matrix", "/mappings/", "/def/mapping", "/browse/mapping-")),
    Section("vocabularies", "/browse", "vocabularies", ("/browse",)),
    Section("downloads", "/downloads", "downloads", ("/downloads", "/releases", "/changes")),
    Section("sparql", "/sparql", "sparql", ("/sparql",)),
)
_BY_KEY = {s.key: s for s in SECTIONS}


def section_of(path: str) -> str | None:
    """The key of the tab a page path belongs to (`/` is the GSBPM overview); None for pages of no section (the
    generic resource page, search, login)."""
    if path == "/":
        return "gsbpm"
    for section in SECTIONS:  # in table order: `/browse/gsbpm` is GSBPM before `/browse` is the vocabularies
        if any(path == p.rstrip("/") or path.startswith(p) for p in section.prefixes):
            return section.key
    return None


def nav_tabs(strings: dict[str, str]) -> list[tuple[str, str, str]]:
    """(key, href, name) of every tab, names from `strings` (the interface strings of the page)."""
    return [(s.key, s.href, strings[s.label_key]) for s in SECTIONS]


def section_crumbs(section: str | None, strings: dict[str, str]) -> list[tuple[str, str]]:
    """The first crumbs of every breadcrumb: Home, then the page's section (none for a page of no section)."""
    crumbs = [("/", strings["home"])]
    if section is not None:
        found = _BY_KEY[section]
        crumbs.append((found.href, strings[found.label_key]))
    return crumbs


def breadcrumb(lead: list[tuple[str, str]], items: list[tuple[str, str]], path: str) -> list[tuple[str, str]]:
    """The whole breadcrumb: `lead` (Home and the section), then the page's own `items`, leaving out an item that
    links where a crumb before it already links, and the page itself when it is the section's own page (the
    section's crumb is then the last one)."""
    trail = list(lead)
    for href, label in items:
        if href and any(href == seen for seen, _ in trail):
            continue
        if not href and trail[-1][0] == path:
            continue
        trail.append((href, label))
    return trail
