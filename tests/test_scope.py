"""A question that names a council is answered from that council's documents only (plus national
sources), or refused naming it; a council the index has never heard of is said to be unknown.

Fast: the seed corpus and the dev councils' files in an in-memory store with the fake embedder,
the abstention threshold lowered so that whatever the router and scope let through is answered."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chain.pipeline import build_answer_pipeline
from assistant.chain.privacy import Redactor
from assistant.settings import PROJECT_ROOT, Settings
from index.embed import FakeEmbedder
from index.load import Loader, read_manifest
from index.memory import InMemoryStore
from index.pipeline import Indexer

CORPUS = PROJECT_ROOT / "corpus"
DEV = PROJECT_ROOT / "evals" / "corpora" / "dev"
DEV_COUNCILS = {
    "kestrel-bay-lead-member.pdf": "Kestrel Bay City Council",
    "northmoor-portfolio.docx": "Northmoor Borough Council",
    "harrowfield-cabinet-member-children.html": "Harrowfield Council",
    "eastmere-executive-member-guide.md": "Eastmere County Council",
}


def _chain(**settings):
    embedder = FakeEmbedder(dimension=256)
    store = InMemoryStore(embedder.dimension)
    assert Indexer(store, embedder, Loader(read_manifest(CORPUS))).run([CORPUS]).ok
    # The unseen councils' files are added as a council's own upload would be: no metadata given.
    assert Indexer(store, embedder, Loader({})).run([DEV / name for name in DEV_COUNCILS]).ok
    found = {Path(d.source).name: d.authority for d in store.documents().values() if d.source}
    assert {n: found.get(n) for n in DEV_COUNCILS} == DEV_COUNCILS  # each council read from its own file
    s = Settings(data_dir=Path("/nonexistent"), abstain_threshold=-99, **settings)
    return build_answer_pipeline(s, embedder=embedder, store=store, redactor=Redactor(use_ner=False))


def _chain_of(path: Path):
    """A chain over one uploaded file alone (no metadata), answering whatever scope lets through."""
    embedder = FakeEmbedder(dimension=256)
    store = InMemoryStore(embedder.dimension)
    assert Indexer(store, embedder, Loader({})).run([path]).ok
    s = Settings(data_dir=path.parent / "data", abstain_threshold=-99)
    return build_answer_pipeline(s, embedder=embedder, store=store, redactor=Redactor(use_ner=False))


@pytest.fixture(scope="module")
def chain():
    return _chain()


SCOPED = [
    # (question, the council it names or None when it names one the index lacks)
    ("What does Wigan say about corporate parenting?", "Wigan Council"),
    ("Who chairs Portsmouth's Corporate Parenting Board?", "Portsmouth City Council"),
    ("How often does the Kestrel Bay lead member meet the DCS?", "Kestrel Bay City Council"),
    ("What is Northmoor Borough Council's decision limit for key decisions?", "Northmoor Borough Council"),
    ("In Harrowfield, who does the cabinet member report to?", "Harrowfield Council"),
    ("Does Eastmere's executive member sit on the safeguarding partnership?", "Eastmere County Council"),
    ("How many foster carers does Harrowfield have?", "Harrowfield Council"),  # may have no answer there
    ("What does Birmingham expect on early years places?", "Birmingham City Council"),
    ("How many looked after children does Wigan have?", "Wigan Council"),  # Wigan gives no number
    ("What does Portsmouth say about youth justice?", "Portsmouth City Council"),
    ("hw oftn dose eastmere exec membr meet the dcs", "Eastmere County Council"),  # typed in a hurry
    ("wat does the leed member do for kids in care in harowfield", "Harrowfield Council"),  # misspelt too
    ("What does Manchester City Council say about corporate parenting?", None),
    ("What does Manchester say about corporate parenting?", None),
    ("How many members does the Youth Council have in Wigan?", "Wigan Council"),
    ("Who chairs the fostering panel in the London Borough of Camden Council?", None),
]


@pytest.mark.parametrize(("question", "council"), SCOPED, ids=[q for q, _ in SCOPED])
def test_a_scoped_question_never_cites_another_council(chain, question, council):
    answer = chain.ask(question)
    if council is None:
        assert answer.abstained and not answer.citations and not answer.nearest
        assert answer.answer.startswith("I have no documents from")
        return
    cited = {c.authority for c in [*answer.citations, *answer.nearest]}
    assert cited <= {council}, (question, cited)
    if answer.abstained:
        assert council in answer.answer  # the refusal names the council whose documents were searched


def test_a_council_named_to_be_left_out_is_never_cited(chain):
    for question in (
        "Which councils other than Wigan have a corporate parenting board?",
        "Apart from Wigan, who chairs the corporate parenting board?",
    ):
        answer = chain.ask(question)
        cited = {c.authority for c in [*answer.citations, *answer.nearest]}
        assert cited and "Wigan Council" not in cited, (question, cited)


def test_reading_the_report_is_not_reading_council():
    from assistant.chain.scope import ScopeFinder

    snapshot = type("S", (), {"councils": {"read": frozenset({"reading-doc"})}, "documents": {}})()
    assert ScopeFinder().run("Should I be reading the report first?", snapshot).doc_ids is None


def test_my_council_means_the_configured_one():
    chain = _chain(council="Wigan Council")
    answer = chain.ask("What does my council say about corporate parenting?")
    assert answer.citations and {c.authority for c in answer.citations} == {"Wigan Council"}


def test_a_follow_up_that_changes_topic_keeps_the_council(chain):
    history = [
        {"role": "user", "content": "What does Northmoor say about safeguarding?"},
        {"role": "assistant", "content": "…"},
    ]
    answer = chain.ask("And what about schools?", history=history)
    assert "safeguarding" not in answer.query.lower() and "Northmoor" in answer.query
    assert {c.authority for c in answer.citations} <= {"Northmoor Borough Council"}


def test_a_sentence_that_refers_back_is_answered_with_the_sentence_it_refers_to(chain):
    """ "It meets monthly…" answers how often the Youth Council meets only with the sentence naming it."""
    answer = chain.ask("In Northmoor, how often does the Youth Council meet?")
    quotes = [c.quote for c in answer.citations]
    assert not answer.abstained
    it = next(i for i, q in enumerate(quotes) if q.startswith("It meets monthly"))
    assert it > 0 and "Youth Council" in quotes[it - 1]


def test_an_acronym_is_the_subject_even_when_it_spells_an_everyday_word(chain):
    expansion = chain.expander.run("Who chairs the SEND board with the director?", chain.snapshot())
    assert expansion.specificity["send"] == 1.0
    assert chain.expander.run("Who do I send reports to?", chain.snapshot()).specificity["send"] < 1.0


def test_a_refusal_says_which_kinds_of_document_from_which_councils_were_searched(chain):
    from assistant.chain.compose import searched

    snapshot = chain.snapshot()
    everything = searched(snapshot, None)
    assert "role profiles" in everything and "news item" in everything and "Wigan Council" in everything
    wigan = [d for d, doc in snapshot.documents.items() if doc.authority == "Wigan Council"]
    assert searched(snapshot, wigan) == "1 role profile from Wigan Council"


def test_a_council_named_only_in_its_files_metadata_is_not_taken_for_a_persons_name(tmp_path):
    """A council's upload whose text never names it (the name is in the Word header or PDF metadata, here
    given as --authority): a question naming it keeps the name, and is answered from that council."""
    chain = _chain()
    doc = tmp_path / "role-statement.txt"
    doc.write_text(
        "Role statement\n\nThe Portfolio Lead meets the Director of Children's Services every fortnight.\n",
        encoding="utf-8",
    )
    assert (
        Indexer(chain.store, chain.embedder, Loader({}, overrides={"authority": "Quillbridge Borough Council"}))
        .run([doc])
        .ok
    )
    answer = chain.ask("How often does Quillbridge's portfolio lead meet the director?")
    assert "Quillbridge" in answer.query and not answer.personal_data
    assert {c.authority for c in answer.citations} == {"Quillbridge Borough Council"}


def test_what_about_another_council_asks_the_same_question_of_that_council_only(chain):
    history = [
        {"role": "user", "content": "How often does the Kestrel Bay lead member meet the DCS?"},
        {"role": "assistant", "content": "…"},
    ]
    answer = chain.ask("What about Northmoor?", history=history)
    assert "Kestrel" not in answer.query and "meet" in answer.query
    assert answer.citations and {c.authority for c in answer.citations} <= {"Northmoor Borough Council"}


def test_a_table_answer_names_its_row(chain):
    """The cell "Termly" answers only with the cell naming what happens termly, quoted before it."""
    answer = chain.ask("How often does Northmoor's Portfolio Holder meet headteacher representatives?")
    quotes = [c.quote for c in answer.citations]
    assert "Termly" in quotes
    assert "headteacher representatives" in quotes[quotes.index("Termly") - 1]


def test_a_focused_question_only_one_council_answers_gets_a_short_answer(tmp_path):
    """Unscoped, but only one document answers (here the only one a council has loaded): the same budget as a
    question naming that council."""
    admissions = [
        "School admissions appeals panels hear parents whose child was refused a place at a school they named, "
        "and each panel has three independent members recruited and trained by the council's clerking service.",
        "Appeals panels for school admissions sit in June and July for the main round, and within thirty school "
        "days of an appeal being lodged for places sought during the school year.",
        "The Lead Member does not sit on school admissions appeals panels, because panels must be independent of "
        "the admission authority whose decision they review, but receives an annual report on their outcomes.",
        "Where school admissions appeals panels uphold many appeals for one school, the Lead Member asks officers "
        "whether the school's published admission number or its oversubscription criteria should be reviewed.",
        "Parents are told about school admissions appeals panels in every refusal letter, with the deadline for "
        "lodging an appeal, which is at least twenty school days from the date of the letter.",
    ]
    items = "".join(f"- {a}\n" for a in admissions)
    intro = "On school admissions appeals panels, the Lead Member for Children should know that:"
    (tmp_path / "foxley.md").write_text(f"# Foxley Council: Lead Member role\n\n{intro}\n\n{items}")
    chain = _chain_of(tmp_path / "foxley.md")
    answer = chain.ask("What happens at school admissions appeals panels?")
    assert not answer.abstained and len({c.doc_id for c in answer.citations}) == 1
    assert len(answer.citations) >= 2 and sum(len(c.quote) for c in answer.citations) <= chain.config.answer_chars


def test_a_body_the_documents_call_a_council_is_no_unknown_authority(tmp_path):
    """A Children in Care Council with a name of its own is asked about, not refused as a council with no documents;
    a council the documents don't cover still is."""
    (tmp_path / "foxley.md").write_text(
        "# Foxley Council: Lead Member role\n\nThe Children in Care Council is called the Lantern Council. "
        "The Lantern Council meets every month and the Lead Member attends twice a year.\n"
    )
    chain = _chain_of(tmp_path / "foxley.md")
    answer = chain.ask("How often does the Lantern Council meet?")
    assert not answer.abstained and "every month" in " ".join(c.quote for c in answer.citations)
    assert "no documents from Manchester" in chain.ask("How often does Manchester Council meet?").answer
