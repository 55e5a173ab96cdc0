"""Reading a question against the corpus's words: spelling, and the thesaurus relations a passage may
hold in place of the question's own word. A small corpus built in memory: no model."""

from __future__ import annotations

import os
import subprocess
import sys

from assistant.chain.expand import QueryExpander, correct_spelling
from assistant.chain.snapshot import CorpusSnapshot
from index.store import StoredChunk
from index.types import Document

_TEXTS = [
    "The lead member leads on education for children and attends the education committee.",
    "The lead member has lead responsibility for education, including the schools forum.",
    "Education services: the council leads on education for every child in care in the area.",
    "The council is corporate parent to 505 children in care, and the lead member leads that work.",
    "Children's social care is run by the director for children and families.",
    "Children in care and children leaving care have a say through the children in care council.",
    "Children and young people are heard on education: the lead member meets children at every meeting.",
    "The lead member champions children in care, their health and their education.",
    "A leek grows in the allotment beside the library.",
]


def snapshot(texts: list[str] = _TEXTS) -> CorpusSnapshot:
    """A one-document corpus, each text a chunk."""
    doc = Document("d", "Profile", "", "role_profile", " ".join(texts), "1")
    chunks = [StoredChunk(f"d:1:{i}", "d", 0, len(t), t, "", ()) for i, t in enumerate(texts)]
    return CorpusSnapshot.build("v", {"d": doc}, chunks)


def test_a_misspelt_word_is_read_as_the_commonest_corpus_word_as_near():
    # "leed" is one edit from "lead", "leek" and "led": the corpus says "lead" far more often.
    assert correct_spelling("what does the leed member do", snapshot())[0] == "what does the lead member do"


def test_chat_and_committee_shorthand_is_read_as_its_word():
    question, corrections = correct_spelling("hw often does the exec cllr meet the DCS", snapshot())
    assert question == "how often does the executive councillor meet the DCS"
    assert corrections == {"hw": "how", "exec": "executive", "cllr": "councillor"}  # shown to the user as a notice
    # A lone letter is chat only as a lower-case word of its own: "R v Southwark" is a case, "(u)" a paragraph.
    assert correct_spelling("How does R v Southwark apply under section 17(u)?", snapshot())[0].startswith(
        "How does R v Southwark apply under section 17(u)"
    )


def test_the_same_question_is_read_the_same_way_in_every_process():
    # Python orders a set of words differently in each process (hash randomisation): the reading must
    # not depend on it, or a restarted server answers the same question differently.
    code = (
        "from tests.test_expand import snapshot; from assistant.chain.expand import correct_spelling;"
        "print(correct_spelling('wat does the leed membr do', snapshot())[0])"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in (1, 2, 3, 4)
    }
    assert len(seen) == 1, seen


def test_a_one_word_synonym_counts_however_often_the_corpus_uses_it():
    # "schools" → "education": the corpus says "education" more often than "school", and a passage on
    # education still answers a question about schools.
    expansion = QueryExpander({"schools": ["education"]}).run("Am I in charge of schools?", snapshot())
    assert "educ" in expansion.related["school"]


def test_a_phrase_stands_for_a_word_only_through_its_rare_words():
    # "social workers" → "children's social care": a passage about "children" or "care" alone is not
    # about social workers; one about social care may be.
    expansion = QueryExpander({"social workers": ["children's social care"]}).run(
        "How many social workers are there?", snapshot()
    )
    assert "social" in expansion.related["worker"]
    assert not {"children", "care"} & expansion.related["worker"]


def test_a_council_named_only_in_its_files_metadata_is_still_read_through_a_typo():
    base = snapshot()
    doc = Document("t", "Profile", "Thornwick County Council", "role_profile", "The panel meets monthly.", "1")
    with_council = CorpusSnapshot("v", {**base.documents, "t": doc}, bm25=base.bm25, words=base.words)
    assert correct_spelling("how often does the panel meet in thornwik", with_council)[0].endswith("thornwick")


def test_an_amount_in_a_question_is_a_value_not_a_word_to_find():
    for question in ("Can I sign off spending of £300,000 on my own?", "can I sign off £300k myself?"):
        expansion = QueryExpander({}).run(question, snapshot())
        assert not {"300", "000", "300k"} & expansion.terms and "sign" in expansion.terms
    assert "19" in QueryExpander({}).run("What does section 19 say?", snapshot()).terms  # a reference is kept


def test_an_inflected_everyday_word_is_as_everyday_as_its_base():
    from assistant.chain.expand import english_specificity

    for word, base in (("counts", "count"), ("switching", "switch"), ("separately", "separate")):
        assert english_specificity(word) <= english_specificity(base) + 0.01, word
    assert english_specificity("safeguarding") > 0.9  # a specific word stays specific


def test_a_word_in_every_passage_is_not_the_subject_when_the_question_has_another():
    from assistant.chain.answerable import salient_terms

    texts = [
        "The council is corporate parent to its looked after children.",
        "The lead member meets children and young people every term.",
        "Schools for children in the borough are inspected by Ofsted.",
        "Children's social care is run by the director.",
        "The youth council speaks for children across the county.",
    ]
    s = snapshot(texts)
    expansion = QueryExpander({}).run("How many looked after children are there?", s)
    assert "children" in expansion.everywhere  # every passage says "children": it tells none apart
    assert salient_terms(expansion) == ["look"]  # however everyday a word "look" is
    assert salient_terms(QueryExpander({}).run("Tell me about children", s)) == ["children"]  # no other word


def test_a_phrase_relates_what_it_adds_to_the_words_it_shares():
    texts = [
        "The lead member sits on the Youth Offending Board.",
        "Holiday clubs for young people run in every town.",
        "The lead member chairs the corporate parenting panel.",
        "The youth justice plan is agreed by the council each year.",
        "Children's social care is run by the director.",
        "Children in care are visited by the lead member.",
    ]
    s = snapshot(texts)
    expander = QueryExpander({"youth justice": ["youth offending"], "social workers": ["children's social care"]})
    justice = expander.run("Which youth justice board do I sit on?", s).related
    assert "offend" in justice["justic"] and "youth" not in justice["justic"]  # youth services is no youth justice
    workers = expander.run("Who manages social workers?", s).related
    assert "social" in workers["worker"]  # what the alternative adds ("children", "care") is everywhere


def test_a_word_the_corpus_never_uses_is_read_as_a_relative_it_does():
    texts = ["The service was judged as requiring improvement.", "Health visitors see every family.", "It meets."]
    s = snapshot(texts)
    expansion = QueryExpander({}).run("What judgement did the service get?", s)
    assert "judg" in expansion.related["judgement"] and "judgement" not in expansion.foreign
    expansion = QueryExpander({}).run("Who meets the health visitors?", s)
    assert "visitor" not in expansion.related  # a word the corpus uses is read as itself, not as "visit"


def test_a_thesaurus_phrase_that_a_document_abbreviates_counts_as_its_acronym():
    texts = [
        "The Director of Children’s Services (DCS) leads the officers.",
        "The DCS runs the services; the lead member makes sure they are run well.",
        "The panel meets monthly.",
    ]
    s = snapshot(texts)
    expansion = QueryExpander({"director": ["Director of Children’s Services"]}).run(
        "Who runs services, the director?", s
    )
    assert "dcs" in expansion.related["director"]  # "The DCS runs the services" names the director


def test_a_short_stem_is_no_relative():
    from assistant.chain.expand import _derived

    assert _derived("judgement") == {"judg"} and _derived("visitors") == {"visit"}
    assert not _derived("tension") and not _derived("mission") and not _derived("mentor")  # not ten, miss, ment


def test_chat_and_asking_words_are_no_topic_the_corpus_lacks():
    """ "OK. What's the threshold there?" over documents that never say "ok" or "threshold": neither says the
    corpus lacks the topic (a refusal on those grounds would be wrong); "trampolines" does."""
    s = snapshot()
    expansion = QueryExpander({}).run("OK. What's the education threshold there?", s)
    assert expansion.unknown(s.vocabulary) == [] and expansion.unknown_share(s.vocabulary) == 0
    assert "ok" not in expansion.terms
    assert QueryExpander({}).run("OK, what about trampolines?", s).unknown(s.vocabulary) == ["trampolin"]


def test_an_everyday_word_read_as_a_common_one_is_as_common():
    """ "kids" read as "children", which nearly every passage holds: no better a subject than "children"."""
    s = snapshot([f"Children's service number {i} supports children." for i in range(12)] + ["An allotment."])
    assert "children" in QueryExpander({}).run("children", s).everywhere
    expansion = QueryExpander({"kids": ["children"]}).run("How many kids are in the allotment?", s)
    assert "kid" in expansion.everywhere and "allot" not in expansion.everywhere
    rare = QueryExpander({"fostering": ["foster carers"]}).run("How often does the allotment panel meet?", s)
    assert "allot" not in rare.everywhere  # no relative in the corpus: nothing says it is common
