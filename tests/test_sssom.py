"""The cross-model mappings as SSSOM TSV: downloadable, valid for sssom-py, every mapping present with its role."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path
from typing import Any

import pytest

from modernstats_kg.namespaces import prologue

ALIGNMENT_QUERY = (
    "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?p IN (skos:exactMatch, skos:closeMatch, "
    "skos:broadMatch, skos:narrowMatch, skos:relatedMatch, coos:supports, coos:uses) && isIRI(?o)) }"
)
SETS = {
    "gsim-gsbpm": (
        "http://id.unece.org/mappings/gsimGsbpm",
        "SELECT ?g ?m WHERE { GRAPH ?g { ?m a map:InformationMapping } }",
    ),
    "cspa-gsbpm": (
        "http://id.unece.org/mappings/cspaGsbpm",
        "SELECT ?g ?m WHERE { GRAPH ?g { ?m a map:ServiceSupport } }",
    ),
    "gamso-gsbpm": (
        "http://id.unece.org/mappings/gamsoGsbpm",
        ALIGNMENT_QUERY,
    ),
    "coos-gsim-w3c": (
        "http://id.unece.org/mappings/coosAlignment",
        ALIGNMENT_QUERY,
    ),
}


@pytest.mark.parametrize("name", list(SETS))
def test_sssom_downloads_validate_and_hold_every_mapping(real_page_client: Any, tmp_path: Path, name: str) -> None:
    response = real_page_client.get(f"/downloads/sssom/{name}.sssom.tsv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/tab-separated-values")
    path = tmp_path / f"{name}.sssom.tsv"
    path.write_bytes(response.content)
    with warnings.catch_warnings():
        # sssom-py 0.4 still uses pandas APIs that pandas 3.1 deprecates (Pandas4Warning): its code, not this file's
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="sssom")
        warnings.filterwarnings("ignore", message="The 'mode.copy_on_write' option is deprecated")
        warnings.filterwarnings("ignore", message="The inplace keyword in DataFrame")
        from sssom.parsers import parse_sssom_table  # imported here: sssom-py takes seconds to import
        from sssom.validators import validate

        msdf = parse_sssom_table(path)
        reports = validate(msdf)
    for report in reports.values():
        assert report.results == [], report.results
    assert msdf.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert msdf.metadata["mapping_set_id"].endswith(f"/{name}.sssom.tsv") and msdf.metadata["creator_id"]
    assert set(msdf.df["mapping_justification"]) == {"semapv:ManualMappingCuration"}

    graph, query = SETS[name]
    store = real_page_client.app.state.service.store
    from pyoxigraph import NamedNode

    expected = list(
        store.select(
            prologue("map", "skos") + "PREFIX coos: <http://id.unece.org/def/coos#>\n" + query,
            substitutions={"g": NamedNode(graph)},
        )
    )
    assert len(msdf.df) == len(expected) > 0
    if name in ("gsim-gsbpm", "cspa-gsbpm"):
        assert sorted(msdf.df["see_also"]) == sorted(row["m"].value for row in expected)


def test_gsim_gsbpm_rows_carry_the_role_in_a_declared_extension_column(real_page_client: Any) -> None:
    text = real_page_client.get("/downloads/sssom/gsim-gsbpm.sssom.tsv").text
    assert "#  - slot_name: mapping_role\n#    property: map:role" in text
    table = list(
        csv.DictReader(
            io.StringIO("".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))), delimiter="\t"
        )
    )
    by_iri = {row["see_also"]: row for row in table}
    row = by_iri["http://id.unece.org/mappings/informationMapping/5.3-coreInput-instanceVariable"]
    assert (row["subject_id"], row["object_id"], row["mapping_role"], row["mapping_direction"]) == (
        "sp:5.3",
        "gsim:InstanceVariable",
        "gsim:CoreInput",
        "map:input",
    )
    assert real_page_client.get("/downloads/sssom/nothing.sssom.tsv").status_code == 404
