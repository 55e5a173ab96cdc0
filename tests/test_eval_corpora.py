"""The unseen-council eval corpora and the v2/dev2/v3/dev3/v4/dev4/v5/dev5 question sets are sound (fast: no model, no
Chroma).

The evidence check reads each file with pypdf, python-docx or BeautifulSoup and its own small
normaliser, on purpose not index/clean.py: the dataset says what a READER sees, so it must not
inherit the cleaner's mistakes.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "evals" / "corpora"
DATASETS = ROOT / "evals" / "datasets"
COUNCILS = tomllib.loads((CORPORA / "councils.toml").read_text(encoding="utf-8"))
FILES = {f["file"]: f for f in COUNCILS["file"]}
SEEDS = {s["doc_id"]: s for s in COUNCILS["seed"]}
KINDS = {"legislation", "statutory guidance", "council role profile", "news", "other"}

# The mix each set must have at least (the brief's proportions); v2 is over heldout/, dev2 over dev/,
# v3 over heldout3/, dev3 over dev3/ (v3's mix, for tuning), v4 over heldout4/ (v3's mix again),
# dev4 over dev4/ (v3's mix, for tuning), v5 over heldout5/ (dev4's mix, held out), dev5 over dev5/ (dev4's mix, for
# tuning).
TARGETS = {
    "v2": {
        "fact": 20,
        "paraphrase": 16,
        "statutory": 6,
        "synthesis": 8,
        "scoped": 12,
        "follow_up": 10,
        "unanswerable": 10,
        "wrong_council": 8,
        "off_topic": 4,
        "adversarial": 6,
    },
    "dev2": {
        "fact": 12,
        "paraphrase": 10,
        "statutory": 4,
        "synthesis": 5,
        "scoped": 7,
        "follow_up": 6,
        "unanswerable": 6,
        "wrong_council": 5,
        "off_topic": 2,
        "adversarial": 4,
    },
    "v3": {
        "fact": 16,
        "paraphrase": 12,
        "statutory": 5,
        "synthesis": 6,
        "scoped": 10,
        "follow_up": 8,
        "unanswerable": 8,
        "wrong_council": 7,
        "off_topic": 3,
        "adversarial": 5,
    },
    "dev4": {
        "fact": 16,
        "paraphrase": 20,
        "statutory": 5,
        "synthesis": 6,
        "scoped": 10,
        "follow_up": 8,
        "unanswerable": 8,
        "wrong_council": 7,
        "off_topic": 3,
        "adversarial": 5,
    },
    "dev3": {
        "fact": 14,
        "paraphrase": 14,
        "statutory": 4,
        "synthesis": 5,
        "scoped": 8,
        "follow_up": 8,
        "unanswerable": 7,
        "wrong_council": 6,
        "off_topic": 3,
        "adversarial": 5,
    },
}
TARGETS["v4"] = TARGETS["v3"]
TARGETS["v5"] = TARGETS["dev4"]
TARGETS["dev5"] = TARGETS["dev4"]
SPLIT = {
    "v2": "heldout",
    "dev2": "dev",
    "v3": "heldout3",
    "dev3": "dev3",
    "v4": "heldout4",
    "dev4": "dev4",
    "v5": "heldout5",
    "dev5": "dev5",
}
SPLITS = ("dev", "heldout", "heldout3", "dev3", "heldout4", "dev4", "heldout5", "dev5")
DATASETS_ALL = ["v2", "dev2", "v3", "dev3", "v4", "dev4", "v5", "dev5"]
MIN_ITEMS = {"v2": 90, "dev2": 60, "v3": 80, "dev3": 80, "v4": 100, "dev4": 100, "v5": 100, "dev5": 100}
# The first row of each split's Word table (each council words its own).
TABLE_HEADERS = {
    "heldout3": ["Board or meeting", "Role of the Portfolio Lead", "How often"],
    "dev3": ["Duty", "How often or limit"],
    "heldout4": ["Function", "Decided by", "Limit or condition"],
    "dev4": ["Key fact", "Detail"],
    "heldout5": ["Indicator", "Outturn 2024/25", "Target 2025/26", "Reported to"],
    "dev5": ["Item", "Arrangement"],
}
# Most PDFs are 3-4 pages; the heldout3 role description and the heldout4 committee report are longer, and the
# heldout5 induction deck has one slide per topic.
PDF_PAGES = {"heldout3": (6, 8), "heldout4": (5, 6), "heldout5": (12, 14)}
DEFAULT_TABLE_HEADER = ["Area", "What the Portfolio Holder does", "Meets"]
GENERIC_NAME_WORDS = {"London", "Borough", "of", "City", "County", "Metropolitan", "Council", "Bay"}
ANSWER_TYPES = {"number", "date", "frequency", "person_or_body", "yes_no", None}


def by_kind(suffix: str) -> list[str]:
    return [name for name in FILES if name.endswith(suffix)]


def place_name(authority: str) -> str:
    """The word that tells a council apart: "Ravensholt" in "London Borough of Ravensholt"."""
    return next(w for w in authority.split() if w not in GENERIC_NAME_WORDS)


# ---------------------------------------------------------------- what a reader sees

FUNCTION_WORDS = {"the", "a", "an", "of", "to", "and", "with", "for", "in", "on", "at", "by"}


def pdf_lines(path: Path) -> list[list[str]]:
    from pypdf import PdfReader

    return [(page.extract_text() or "").splitlines() for page in PdfReader(path).pages]


def pdf_blocks(path: Path) -> list[str]:
    """Page text without the running header and footer; wraps joined, split words rejoined, a bullet starts a block."""
    pages = pdf_lines(path)
    blocks: list[str] = []
    for lines in pages:
        for line in lines[1:-1]:  # line 0 is the running header, the last the page footer
            line = " ".join(line.split())
            if line.startswith("• ") or not blocks:
                blocks.append(line.removeprefix("• "))
            elif re.search(r"[A-Za-z]-$", blocks[-1]) and line[:1].islower():
                blocks[-1] = blocks[-1][:-1] + line
            else:
                blocks[-1] = f"{blocks[-1]} {line}"
    return blocks


def docx_blocks(path: Path) -> list[str]:
    from docx import Document

    doc = Document(str(path))
    blocks = [p.text for p in doc.paragraphs]
    blocks += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return [" ".join(b.split()) for b in blocks if b.strip()]


LEAVES = ["p", "li", "h1", "h2", "h3", "h4", "td", "th", "dd", "dt"]


def html_blocks(html: str) -> list[str]:
    """The page's content blocks: scripts, navigation, header, footer, cookie and feedback furniture dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "form", "button"]):
        tag.decompose()
    for tag in soup.find_all(True):
        if not tag.decomposed and re.search(
            r"cookie|breadcrumb|feedback|helpful|skip", " ".join([*tag.get("class", []), tag.get("id", "")])
        ):
            tag.decompose()
    blocks = [" ".join(el.get_text().split()) for el in soup.find_all(LEAVES) if not el.find(LEAVES)]
    return [b for b in blocks if b]


def markdown_blocks(text: str) -> list[str]:
    from markdown_it import MarkdownIt

    return html_blocks(MarkdownIt("commonmark").render(text))


@cache
def blocks_of(name: str) -> tuple[str, ...]:
    """A corpus file (path under evals/corpora/) or a seed doc_id → its blocks as a reader sees them."""
    if name in SEEDS:
        raw = (ROOT / "corpus" / SEEDS[name]["file"]).read_text(encoding="utf-8")
        return (" ".join(raw.replace("\uf0b7", " ").split()),)
    path = CORPORA / name
    if path.suffix == ".pdf":
        return tuple(pdf_blocks(path))
    if path.suffix == ".docx":
        return tuple(docx_blocks(path))
    if path.suffix == ".html":
        return tuple(html_blocks(path.read_text(encoding="utf-8")))
    return tuple(markdown_blocks(path.read_text(encoding="utf-8")))


# ---------------------------------------------------------------- the files


def test_councils_toml_lists_every_file_on_disk_once() -> None:
    on_disk = {str(p.relative_to(CORPORA)) for split in SPLITS for p in (CORPORA / split).iterdir()}
    assert on_disk == set(FILES)
    manifest = tomllib.loads((ROOT / "corpus" / "manifest.toml").read_text(encoding="utf-8"))
    assert set(SEEDS) == {d["doc_id"] for d in manifest["document"]}
    for entry in [*FILES.values(), *SEEDS.values()]:
        assert entry["kind"] in KINDS
    for split in SPLITS:
        formats = sorted(Path(f).suffix for f, e in FILES.items() if e["split"] == split and f.startswith(split))
        assert formats == [".docx", ".html", ".md", ".pdf"], split
    assert len({e["authority"] for e in FILES.values()}) == len(FILES) == 4 * len(SPLITS)
    assert len({place_name(e["authority"]) for e in FILES.values()}) == len(FILES)


def test_the_made_up_councils_are_not_real_ones() -> None:
    """No eval council may share its distinctive name with a real UK council (index/council_names.py)."""
    from index.council_names import COUNCILS as REAL

    real_words = {w.lower() for line in REAL.splitlines() for w in re.split(r"[\s\t|,&-]+", line) if w}
    for entry in FILES.values():
        assert place_name(entry["authority"]).lower() not in real_words, entry["authority"]


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_file_opens_with_the_project_reader(name: str) -> None:
    from index.readers import read

    text = read(CORPORA / name).text
    assert len(text.split()) >= 550
    assert "Director of Children’s Services" in text or "Director of Children's Services" in text


@pytest.mark.parametrize("name", by_kind(".pdf"))
def test_pdf_has_header_footer_on_every_page_and_real_wraps(name: str) -> None:
    from pypdf import PdfReader

    entry = FILES[name]
    pages = pdf_lines(CORPORA / name)
    least, most = PDF_PAGES.get(entry["split"], (3, 4))
    assert least <= len(pages) <= most
    for number, lines in enumerate(pages, start=1):
        assert lines[0].startswith(f"{entry['authority']} | ")
        assert re.fullmatch(rf"Page {number} of {len(pages)} \| Version [\d.]+ \| OFFICIAL", lines[-1])
    body = [line for lines in pages for line in lines[1:-1]]
    pairs = list(pairwise(body))
    assert any(re.search(r"[a-z]-$", a) and b[:1].islower() for a, b in pairs), "no hyphen-split word"
    assert any(a.rsplit(" ", 1)[-1] in FUNCTION_WORDS and b[:1].isupper() for a, b in pairs), "no wrap before a capital"
    assert sum(line.startswith("• ") for line in body) >= 3
    assert not any(entry["authority"] in line for line in body), "the council is named in the body"
    meta = PdfReader(CORPORA / name).metadata
    assert meta is not None and meta.author == entry["authority"] and entry["authority"] in (meta.subject or "")


def test_dev3_pdf_has_a_two_level_numbered_list() -> None:
    """Items "2." with sub-items "2.1", as a council role profile numbers its duties; the number is not run into the text."""
    body = [line for lines in pdf_lines(CORPORA / "dev3/thornwick-cabinet-member-children.pdf") for line in lines[1:-1]]
    top = [line for line in body if re.match(r"\d\. [A-Z][a-z]", line)]
    sub = [line for line in body if re.match(r"\d\.\d [A-Z][a-z]", line)]
    assert len(top) >= 3 and len(sub) >= 6
    assert "1.2 Receiving the annual report of the Local Safeguarding Children" in body


def test_dev4_faq_page_answers_in_a_definition_list() -> None:
    """Hethersedge's FAQ is an accordion of <dt> questions and <dd> answers, not headings and paragraphs."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(
        (CORPORA / "dev4/hethersedge-cabinet-member-faq.html").read_text(encoding="utf-8"), "html.parser"
    )
    questions = [dt.get_text() for dt in soup.find_all("dt")]
    assert len(questions) == len(soup.find_all("dd")) >= 12
    assert all(q.endswith("?") for q in questions)


def test_heldout5_pdf_is_a_landscape_slide_deck_with_a_topic_per_slide() -> None:
    """Ormsbridge's induction deck, as PowerPoint exports it: landscape pages, each topic heading opening its own
    slide, short bullet fragments, so a quote never runs from one topic's slide into the next."""
    from pypdf import PdfReader

    path = CORPORA / "heldout5/ormsbridge-executive-member-induction-slides.pdf"
    pages = PdfReader(path).pages
    assert all(page.mediabox.width > page.mediabox.height for page in pages)
    bodies = [lines[1:-1] for lines in pdf_lines(path)]
    assert [body[0] for body in bodies[1:4]] == [
        "Why the role exists",
        "Your portfolio at a glance",
        "The county in numbers (31 March 2025)",
    ]
    assert all(len(body) <= 16 for body in bodies)


@pytest.mark.parametrize("name", by_kind(".docx"))
def test_docx_has_a_table_and_a_header_naming_its_council(name: str) -> None:
    from docx import Document

    entry = FILES[name]
    doc = Document(str(CORPORA / name))
    assert entry["authority"] in " ".join(p.text for p in doc.sections[0].header.paragraphs)
    assert doc.core_properties.author == entry["authority"]
    [table] = doc.tables
    assert [c.text for c in table.rows[0].cells] == TABLE_HEADERS.get(entry["split"], DEFAULT_TABLE_HEADER)
    assert len(table.rows) >= 6
    assert any(p.style is not None and p.style.name == "List Bullet" for p in doc.paragraphs)
    assert not any(entry["authority"] in b for b in docx_blocks(CORPORA / name))


@pytest.mark.parametrize("name", by_kind(".html"))
def test_html_is_a_saved_council_page(name: str) -> None:
    from bs4 import BeautifulSoup

    entry = FILES[name]
    soup = BeautifulSoup((CORPORA / name).read_text(encoding="utf-8"), "html.parser")
    assert soup.find("meta", property="og:site_name")["content"] == entry["authority"]
    assert soup.title is not None and soup.title.string.endswith(f"| {entry['authority']}")
    assert f"© 2025 {entry['authority']}" in soup.find("footer").get_text()
    assert soup.find("nav") is not None and soup.find(string=re.compile("Was this page helpful"))
    assert soup.find(class_=re.compile("cookie")) is not None
    assert sum(place_name(entry["authority"]) in b for b in html_blocks(str(soup))) <= 1


@pytest.mark.parametrize("name", by_kind(".md"))
def test_markdown_names_its_council_in_the_first_sentence(name: str) -> None:
    first_paragraph = markdown_blocks((CORPORA / name).read_text(encoding="utf-8"))[1]
    assert FILES[name]["authority"] in first_paragraph.split(". ")[0]


def test_make_regenerates_byte_identical_files(tmp_path: Path) -> None:
    from evals.corpora import make

    for src_path in sorted((CORPORA / "src").glob("*.txt")):
        src = make.parse(src_path)
        out = tmp_path / Path(src.meta["output"]).name
        (make.make_pdf if out.suffix == ".pdf" else make.make_docx)(src, out)
        assert out.read_bytes() == (CORPORA / src.meta["output"]).read_bytes(), src.meta["output"]


# ---------------------------------------------------------------- the datasets


def load(name: str) -> list[dict]:
    lines = (DATASETS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def doc_name(evidence: dict) -> str:
    return evidence.get("doc_id") or evidence["file"]


def authority_of(name: str) -> str:
    return (SEEDS.get(name) or FILES[name])["authority"]


@pytest.mark.parametrize("name", DATASETS_ALL)
def test_dataset_has_the_planned_mix(name: str) -> None:
    items = load(name)
    assert len(items) >= MIN_ITEMS[name]
    assert len({i["id"] for i in items}) == len(items)
    counts = Counter(i["category"] for i in items)
    assert set(counts) == set(TARGETS[name])
    for category, least in TARGETS[name].items():
        assert counts[category] >= least, category
    follow = [i for i in items if i["category"] == "follow_up"]
    assert all(len(i["history"]) >= 2 and i["history"][-1]["role"] == "assistant" for i in follow)
    assert sum(bool(i.get("topic_change")) for i in follow) * 2 >= len(follow) - 1
    assert sum(not i["answerable"] for i in items if i["category"] == "adversarial") >= 1
    assert sum(i["answerable"] for i in items if i["category"] == "adversarial") >= 2


@pytest.mark.parametrize("name", DATASETS_ALL)
def test_dataset_items_are_well_formed(name: str) -> None:
    councils = {e["authority"] for e in [*FILES.values(), *SEEDS.values()]}
    for item in load(name):
        where = item["id"]
        assert item["council"] is None or item["council"] in councils, where
        assert isinstance(item["lookup"], bool) and item.get("answer_type") in ANSWER_TYPES, where
        if item["answerable"]:
            assert item["facts"] and item["evidence"], where
            assert all(isinstance(f, list) and f for f in item["facts"]), where
        else:
            assert not item["facts"] and not item["evidence"], where
        if item["category"] in {"unanswerable", "wrong_council", "off_topic"}:
            assert not item["answerable"], where
        if item["category"] in {"scoped", "wrong_council"}:
            assert item["council"] is not None, where
        if item["category"] == "scoped":
            assert {authority_of(doc_name(e)) for e in item["evidence"]} == {item["council"]}, where
        if item["category"] == "synthesis":
            assert item["min_docs"] >= 2 and len({doc_name(e) for e in item["evidence"]}) >= item["min_docs"], where


@pytest.mark.parametrize("name", DATASETS_ALL)
def test_evidence_is_verbatim_in_what_a_reader_sees(name: str) -> None:
    """Each span inside one block of its document, each fact in its documents' own words, right split only."""
    missing: list[str] = []
    for item in load(name):
        docs = [doc_name(e) for e in item["evidence"]]
        for ev, doc in zip(item["evidence"], docs):
            assert ("doc_id" in ev) != ("file" in ev), item["id"]
            assert doc in SEEDS or FILES[doc]["split"] == SPLIT[name], f"{item['id']}: {doc} is not in {name}'s corpus"
            if not any(ev["text"] in block for block in blocks_of(doc)):
                missing.append(f"{item['id']}: {ev['text'][:70]!r} not in {doc}")
        text = " ".join(block for doc in docs for block in blocks_of(doc)).lower()
        for fact in item["facts"]:
            if not any(alt.lower() in text for alt in fact):
                missing.append(f"{item['id']}: fact {fact} is not in its documents' words")
    assert not missing, "\n".join(missing)


def test_a_number_ending_a_sentence_is_no_page_furniture():
    """The independent reader drops running headers and footers, not "467." that ends a sentence on one page because
    other pages have some other number and a full stop alone on a line."""
    from evals.originals import _without_furniture

    pages = [
        ["Annual report | OFFICIAL", "plans fell from 512 to", "467.", "1"],
        ["Annual report | OFFICIAL", "5.", "Education", "2"],
        ["Annual report | OFFICIAL", "12.", "Priorities", "3"],
    ]
    kept = _without_furniture(pages)
    assert kept[0] == ["plans fell from 512 to", "467."] and kept[1] == ["5.", "Education"]
