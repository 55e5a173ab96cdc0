"""An Act saved from legislation.gov.uk, as XML (CLML) and as a web page: every subsection is
one unit located by its section number, and a clause inside it by its paragraph letter.

The fixture (tests/fixtures/children-act-extract.*) follows the site's markup; its wording
is made up for the test. The file is read back here with ElementTree and BeautifulSoup,
not the project's reader.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from index.chunk import Chunker
from index.clean import Cleaner
from index.load import Loader, LoadError
from index.prepare import prepare
from tests.documents import make_act

NS = {"leg": "http://www.legislation.gov.uk/namespaces/legislation"}
FORMS = ["act.xml", "act.html"]


@pytest.fixture(scope="module", params=FORMS, ids=["clml-xml", "html"])
def act(request, tmp_path_factory):
    path = make_act(tmp_path_factory.mktemp("act") / request.param)
    src = Loader().run(path)
    doc, chunks = prepare(src, Cleaner(), Chunker())
    return path, src, doc, chunks


def test_an_act_is_legislation_from_its_markup(act):
    _, _, doc, _ = act
    assert doc.kind == "legislation" and "legislation.gov.uk" in doc.kind_evidence
    assert doc.title == "Children Act 2004"
    assert doc.authority == ""  # Parliament, not a council


def test_every_subsection_is_one_unit_located_by_section(act):
    _, _, doc, chunks = act
    located = [(str(doc.locate(u.start, u.end)), doc.text[u.start : u.end]) for c in chunks for u in c.units]
    assert [where for where, _ in located] == [
        "Children Act 2004, s.18(1)",
        "Children Act 2004, s.19(1)",
        "Children Act 2004, s.19(2)",
    ]
    quote = located[2][1]
    assert quote.startswith("The lead member is responsible, on behalf of the authority, for— (a) the functions")
    assert quote.endswith("(b) such other functions as the authority may assign to the lead member.")
    assert all(u.kind == "provision" for c in chunks for u in c.units)


def test_a_clause_is_located_by_its_paragraph(act):
    _, _, doc, _ = act
    clause = "such other functions as the authority may assign to the lead member"
    start = doc.text.index(clause)
    assert str(doc.locate(start, start + len(clause))) == "Children Act 2004, s.19(2)(b)"
    assert doc.locate(start, start + len(clause)).provision == "s.19(2)(b)"


def test_chunks_are_headed_by_their_section(act):
    _, _, doc, chunks = act
    by_section = {c.heading.split(" › ")[-1]: c for c in chunks}
    assert set(by_section) == {"s.18 Director of children’s services", "s.19 Lead member for children’s services"}
    assert "Part 2 Children’s services in England" in chunks[0].heading
    # The subsection number is context in the chunk, never part of the quote.
    s19 = by_section["s.19 Lead member for children’s services"]
    assert "(2) The lead member is responsible" in s19.text
    assert not any(doc.text[u.start : u.end].startswith("(") for u in s19.units)


def test_the_quote_is_the_text_of_that_subsection_in_the_file(act):
    import re

    path, _, doc, chunks = act
    unit = chunks[-1].units[-1]
    quote = re.sub(r"\([a-z]\) ", "", doc.text[unit.start : unit.end])  # paragraph letters are the file's numbers
    if path.suffix == ".xml":
        root = ET.parse(path).getroot()
        p2 = next(e for e in root.iter(f"{{{NS['leg']}}}P2") if e.get("id") == "section-19-2")
        texts = ["".join(t.itertext()) for t in p2.iter(f"{{{NS['leg']}}}Text")]
    else:
        from bs4 import BeautifulSoup

        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        first = page.find(id="section-19-2").parent
        texts = []
        for p in [first, *first.find_next_siblings("p")]:
            if p is not first and p.find(class_=re.compile("LegP[12]No")):
                break
            texts.append(p.find(class_=re.compile(r"LegP\dText")).get_text())
    assert quote == " ".join(" ".join(texts).split())


def test_other_xml_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?><rss><channel><title>News</title></channel></rss>', encoding="utf-8")
    with pytest.raises(LoadError, match=r"only legislation\.gov\.uk XML"):
        Loader().run(path)


def test_a_saved_contents_page_with_no_sections_is_refused(tmp_path):
    page = Path(tmp_path / "contents.html")
    page.write_text(
        "<html><head><title>Children Act 2004</title></head><body><p>legislation.gov.uk</p>"
        '<div class="LegSnippet"><p class="LegP1Text"></p></div></body></html>',
        encoding="utf-8",
    )
    with pytest.raises(LoadError, match="no sections found"):
        Loader().run(page)
