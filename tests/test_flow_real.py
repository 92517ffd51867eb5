"""Information flow on the real mapping: hand-offs in GSBPM order, loops drawn as loops, every input without an
upstream producer on the gaps page, and the full matrix with its filters and CSV export."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from conftest import PROJECT_ROOT
from modernstats_kg.catalog.vocab import code_key
from modernstats_kg.validation.coverage import coverage_of_files

SP = "/activities/subProcess/"


def en(path: str) -> str:
    """The path in English: the shared client may carry another language's cookie."""
    return path + ("&" if "?" in path else "?") + "lang=en"


def _code(href: str) -> tuple[int, ...]:
    return code_key(href.rsplit("/", 1)[1])


def _handoffs(html: str) -> list[tuple[str, str, str]]:
    table = re.search(r'id="handoffs".*?</table>', html, re.S)
    assert table, "no hand-off table"
    found = []
    for kind, body in re.findall(r'<tr data-kind="(\w+)">(.*?)</tr>', table.group(0), re.S):
        links = re.findall(r'href="([^"]+)"', body)
        found.append((kind, links[0], links[1]))
    return found


def found(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """The first match of `pattern` in a page; a page without it fails the test."""
    match = re.search(pattern, text, flags)
    assert match is not None, f"{pattern!r} not found in the page"
    return match


def test_instance_variable_flows_forward_from_its_first_producer_and_loops_back_from_later_ones(
    real_page_client: Any,
) -> None:
    html = real_page_client.get(en("/flow?class=InstanceVariable")).text
    steps = re.findall(r'<li><a href="(/activities/[^"]+)"', found(r'id="class-steps".*?</ol>', html, re.S).group(0))
    assert steps == sorted(steps, key=_code)  # drawn and listed in GSBPM order
    hand_offs = _handoffs(html)
    assert hand_offs
    kinds = set()
    for kind, producer, consumer in hand_offs:
        if SP in producer and SP in consumer:
            # an upstream hand-off runs forward in GSBPM order, a loop runs backward: never the other way round
            assert (kind == "upstream") == (_code(producer) < _code(consumer)), (kind, producer, consumer)
            kinds.add(kind)
    # 4.4 puts out the instance variables that 5.2 takes in; 5.4-5.6 put out revised ones that earlier steps
    # take in again only when the process iterates
    assert ("upstream", SP + "4.4", SP + "5.2") in hand_offs
    assert "upstream" in kinds and kinds <= {"upstream", "loop"}
    assert "the later ones that take it in" not in html


def test_every_forward_hand_off_of_every_used_class_runs_in_gsbpm_order(real_page_client: Any) -> None:
    matrix = real_page_client.get(en("/matrix.csv?shape=list")).text
    classes = {row["class"].replace(" ", "") for row in csv.DictReader(io.StringIO(matrix))}
    checked = 0
    for name in sorted(classes):
        response = real_page_client.get(en(f"/flow?class={name}"))
        if response.status_code != 200:
            continue
        for kind, producer, consumer in _handoffs(response.text) if 'id="handoffs"' in response.text else []:
            if SP in producer and SP in consumer:
                assert (_code(producer) < _code(consumer)) == (kind == "upstream"), (name, kind, producer, consumer)
                checked += 1
    assert checked > 100


def test_subprocess_flow_takes_the_data_from_the_nearest_earlier_producer(real_page_client: Any) -> None:
    html = real_page_client.get(en("/flow?activity=5.3")).text
    rows = {}
    for kind, body in re.findall(r'<tr data-kind="(\w+)">(.*?)</tr>', html, re.S):
        links = re.findall(r'href="([^"]+)"', body)
        qualifier = re.search(r'class="qualifier">\(([^)]+)\)', body)
        rows[(links[0], qualifier.group(1) if qualifier else "")] = (kind, links[1:])
    assert rows[("/def/gsim/DataSet", "coded data")] == ("upstream", [SP + "5.2"])
    assert rows[("/def/gsim/InstanceVariable", "")] == ("upstream", [SP + "4.4"])
    assert rows[("/def/gsim/Rule", "")] == ("upstream", [SP + "3.2"])


def test_gaps_page_lists_every_input_without_an_upstream_producer(real_page_client: Any) -> None:
    html = real_page_client.get(en("/flow/gaps")).text
    kinds = re.findall(r'<tr data-kind="(\w+)">', html)
    count = int(found(r'id="gap-count">(\d+)<', html).group(1))
    assert count == len(kinds) > 0 and set(kinds) <= {"outside", "loop", "none"}
    # the page and `mskg coverage` read the flow by the same rules: the same inputs, the same unexplained ones
    check = coverage_of_files(root=PROJECT_ROOT).flow
    assert count == len(check.unproduced_inputs)
    flagged = int(found(r'id="flagged-count">(\d+)<', html).group(1))
    assert flagged == kinds.count("loop") + kinds.count("none") == len(check.unexplained)
    # an explained gap names what explains it: parameters are set at run time
    assert html.count('"kind-outside">set at run time<') == sum(
        g.explanation == "set at run time" for g in check.unproduced_inputs
    )
    # an input with an upstream producer is no gap: 5.3 takes in the instance variables 4.4 puts out
    assert not re.search(
        r'href="/activities/subProcess/5\.3">[^<]*</a>\s*</td>\s*<td[^>]*><a href="/def/gsim/InstanceVariable"', html
    )
    # a gap of the same class and qualifier as an output of an earlier sub-process would be wrong: 4.4 puts out
    # instance variables, so no later step lists them as a gap with no producer
    assert not re.search(
        (
            r'data-kind="none">\s*<th scope="row"><a href="/activities/subProcess/[5-8]\.[0-9]+">[^\n]*\n'
            r'\s*<td><a href="/flow\?class=InstanceVariable">Instance Variable</a>'
        ),
        html,
    )


def test_full_matrix_filters_apply_to_page_and_csv_alike(real_page_client: Any) -> None:
    page = real_page_client.get(en("/matrix?phase=5&role=CoreInput")).text
    shown = int(found(r'id="shown-count">(\d+)<', page).group(1))
    rows = list(
        csv.DictReader(io.StringIO(real_page_client.get(en("/matrix.csv?shape=list&phase=5&role=CoreInput")).text))
    )
    assert shown == len(rows) > 0
    assert {r["role"] for r in rows} == {"Core Input"} and {r["code"].split(".")[0] for r in rows} == {"5"}
    cells = re.findall(r'href="/matrix/list\?activity=([\d.]+)&amp;class=(\w+)&amp;phase=5&amp;role=CoreInput"', page)
    assert len(cells) == len({(r["code"], r["class"]) for r in rows})
    grid = list(csv.reader(io.StringIO(real_page_client.get(en("/matrix.csv?phase=5&role=CoreInput")).text)))
    assert [g[0] for g in grid[2:]] == sorted({g[0] for g in grid[2:]}, key=code_key)
    assert sum(cell.count("CI") for g in grid[2:] for cell in g[2:]) == len(rows)
    whole = real_page_client.get(en("/matrix")).text
    assert whole.count('<th scope="row">') == 50 and whole.count('class="cls') == 127
    unused = int(found(r'id="unused-count">(\d+)<', whole).group(1))
    assert unused == whole.count('class="cls unused"') > 0
    assert real_page_client.get(en("/matrix?status=%3Cscript%3E")).status_code == 400
