"""Statistical organisations that contribute tasks: registered by an admin through the gate, named by a short code.

An organisation lives at `http://id.unece.org/organizations/{code}` in the named graph `ORGANIZATION_GRAPH`:

    <http://id.unece.org/organizations/{code}> a coos:NationalStatisticalInstitute ;   # or coos:InternationalAgency
        rdfs:label "Its name"@en ; skos:notation "{code}" ; gsbpmx:countryCode "CA" .   # ISO 3166-1, where it has one

Accounts act for one organisation each (`mskg users add NAME --role editor --organisation CODE`): the tasks an
account submits are attributed to that organisation; admins may submit for any. Registering is an admin's change
like any other (`POST /api/v1/organizations`, or `mskg organisations add`): validated by the shapes, recorded in
the history. No organisation is shipped with the content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import Forbidden, Unprocessable
from ..namespaces import COOS, GSBPMX, RDF, RDFS, SKOS
from ..store import ChangeSet, Store
from .accounts import ORGANIZATION_CODE, Role, User
from .gate import Receipt, Submission, submit
from .mappings import AlreadyExists

__all__ = [
    "KINDS",
    "ORGANIZATION_BASE",
    "ORGANIZATION_GRAPH",
    "Organization",
    "build_registration",
    "check_acts_for",
    "list_organizations",
    "organization_iri",
    "read_organization",
    "register_organization",
]

ORGANIZATION_BASE = "http://id.unece.org/organizations/"
ORGANIZATION_GRAPH = "http://id.unece.org/organizations"
KINDS = {"nsi": "NationalStatisticalInstitute", "agency": "InternationalAgency"}
COUNTRY = re.compile(r"[A-Z]{2}")
_GRAPH = ox.NamedNode(ORGANIZATION_GRAPH)


@dataclass(frozen=True)
class Organization:
    code: str
    iri: str
    kind: str  # NationalStatisticalInstitute | InternationalAgency
    name: str
    country: str | None

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "iri": self.iri, "kind": self.kind, "name": self.name, "country": self.country}


def organization_iri(code: str) -> str:
    return ORGANIZATION_BASE + code


_READ = f"""
SELECT ?org ?kind ?name ?code ?country WHERE {{
  VALUES ?kind {{ <{COOS}NationalStatisticalInstitute> <{COOS}InternationalAgency> }}
  ?org a ?kind ; <{SKOS}notation> ?code .
  FILTER(STRSTARTS(STR(?org), "{ORGANIZATION_BASE}"))
  OPTIONAL {{ ?org <{RDFS}label> ?name FILTER(LANGMATCHES(LANG(?name), "en")) }}
  OPTIONAL {{ ?org <{GSBPMX}countryCode> ?country }}
}} ORDER BY ?code
"""


def _organization(row: ox.QuerySolution) -> Organization:
    name, country = row["name"], row["country"]
    return Organization(
        code=row["code"].value,
        iri=row["org"].value,
        kind=row["kind"].value.removeprefix(COOS),
        name=name.value if name is not None else row["code"].value,
        country=country.value if country is not None else None,
    )


def list_organizations(store: Store) -> list[Organization]:
    """Every registered organisation, in code order."""
    seen: dict[str, Organization] = {}
    for row in store.select(_READ):
        seen.setdefault(row["org"].value, _organization(row))
    return list(seen.values())


def read_organization(store: Store, code: str) -> Organization:
    """The registered organisation with this code (422 when there is none: it is a value the caller gave)."""
    if ORGANIZATION_CODE.fullmatch(code):
        for organization in list_organizations(store):
            if organization.code == code:
                return organization
    raise Unprocessable(
        f"organization: no statistical organisation is registered with the code {code!r} "
        "(an admin registers it: POST /api/v1/organizations or `mskg organisations add`)"
    )


def check_acts_for(user: User, code: str) -> None:
    """403 unless the account acts for the organisation `code` (admins act for any)."""
    if user.can(Role.ADMIN) or user.organization == code:
        return
    acts_for = f"acts for {user.organization}" if user.organization else "acts for no organisation"
    raise Forbidden(
        f"{user.name} {acts_for}, so it cannot submit tasks for {code}: an admin sets the organisation of an "
        "account (`mskg users organisation NAME CODE`)"
    )


def build_registration(code: str, kind: str, name: str, country: str | None) -> ChangeSet:
    """The statements of a new organisation (422 for a code, kind, name or country that cannot be right)."""
    if not ORGANIZATION_CODE.fullmatch(code):
        raise Unprocessable(
            f"code: 2 to 32 lower-case letters, digits or -, starting with a letter (used in IRIs), not {code!r}"
        )
    if kind not in KINDS:
        raise Unprocessable(
            f"kind: nsi (a national statistical institute) or agency (an international one), not {kind!r}"
        )
    if not name.strip() or len(name) > 300:
        raise Unprocessable("name: the organisation's name in English, 1 to 300 characters")
    if country is not None and not COUNTRY.fullmatch(country):
        raise Unprocessable(f"country: the ISO 3166-1 alpha-2 code in capitals (CA, IT), not {country!r}")
    subject = ox.NamedNode(organization_iri(code))
    quads = [
        ox.Quad(subject, ox.NamedNode(RDF + "type"), ox.NamedNode(COOS + KINDS[kind]), _GRAPH),
        ox.Quad(subject, ox.NamedNode(RDFS + "label"), ox.Literal(name.strip(), language="en"), _GRAPH),
        ox.Quad(subject, ox.NamedNode(SKOS + "notation"), ox.Literal(code), _GRAPH),
    ]
    if country is not None:
        quads.append(ox.Quad(subject, ox.NamedNode(GSBPMX + "countryCode"), ox.Literal(country), _GRAPH))
    return ChangeSet.of(add=quads)


def register_organization(
    store: Store, code: str, kind: str, name: str, country: str | None, *, author: str, comment: str
) -> tuple[Receipt, Organization]:
    """Register an organisation through the gate (409 when the code is taken)."""
    changes = build_registration(code, kind, name, country)
    if any(o.code == code for o in list_organizations(store)):
        raise AlreadyExists(f"an organisation with the code {code!r} is registered already")
    receipt = submit(store, Submission(changes, author, comment, "create", (organization_iri(code),)))
    return receipt, read_organization(store, code)
