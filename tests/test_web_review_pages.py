"""Reviewer-facing page fixes on the real content: a GSIM 1.2 class shows its successor's mappings, answers above
the fold on sub-process and class pages, a status said once, readable type kickers, the GSBPM tab current on
sub-process pages, and a way back from a 404."""

from __future__ import annotations

import re
from typing import Any

HTML = {"Accept": "text/html"}


def en(path: str) -> str:
    """The path in English: the shared client may carry another language's cookie."""
    return path + ("&" if "?" in path else "?") + "lang=en"


def test_deprecated_gsim_1_2_class_shows_the_mappings_of_its_successor(real_page_client: Any) -> None:
    html = real_page_client.get(en("/def/gsim/AdministrativeRegister"), headers=HTML).text
    section = re.search(r'<section aria-labelledby="succ-1-title".*?</section>', html, re.S)
    assert section and 'href="/def/gsim/Register"' in section.group(0)
    successor = real_page_client.get(en("/matrix.csv?shape=list")).text
    register_rows = [line for line in successor.splitlines() if ",Register," in line]
    assert register_rows
    assert section.group(0).split("<tbody>")[1].count("<tr>") == len(register_rows)


def test_subprocess_and_class_pages_answer_first(real_page_client: Any) -> None:
    html = real_page_client.get(en("/activities/subProcess/5.3"), headers=HTML).text
    glance = html.index('class="glance"')
    assert glance < html.index('class="prevnext"') < html.index('id="inputs-title"')
    summary = html[glance : html.index("</section>", glance)]
    # the summary names each input with where it comes from: 5.3 takes in the instance variables 4.4 puts out
    assert 'href="/def/gsim/InstanceVariable"' in summary and 'href="/activities/subProcess/4.4"' in summary
    assert 'href="/flow?activity=5.3"' in summary
    klass = real_page_client.get(en("/def/gsim/InstanceVariable"), headers=HTML).text
    assert klass.index('class="glance"') < klass.index('id="used-title"')


def test_small_defects(real_page_client: Any) -> None:
    mapping = real_page_client.get(en("/mappings/informationMapping/5.3-coreInput-instanceVariable"), headers=HTML).text
    assert 'href="/def/mapping/proposed">proposed</a>' in mapping
    assert "proposed</span> proposed" not in mapping
    prop = real_page_client.get(en("/def/mapping/flowBoundary"), headers=HTML).text
    kicker_match = re.search(r'<p class="kicker">(.*?)</p>', prop, re.S)
    assert kicker_match, "the property page has no kicker"
    kicker = kicker_match.group(1)
    assert ">Object property</a>" in kicker and ">ObjectProperty<" not in kicker
    sub = real_page_client.get(en("/activities/subProcess/5.3"), headers=HTML).text
    assert '<a href="/" aria-current="page">' in sub
    missing = real_page_client.get(en("/activities/subProcess/9.9"), headers=HTML)
    assert missing.status_code == 404
    back = re.search(r'<p class="way-back">(.*?)</p>', missing.text, re.S)
    assert back and 'href="/"' in back.group(1) and 'href="/matrix"' in back.group(1)
    gsim = real_page_client.get(en("/def/gsim/NoSuchClass"), headers=HTML).text
    gsim_back = re.search(r'<p class="way-back">(.*?)</p>', gsim, re.S)
    assert gsim_back and 'href="/def/gsim"' in gsim_back.group(1)
