"""Small stages in isolation: fusion, condensing, expansion, acronyms, prompts, BM25, verification."""

from __future__ import annotations

import os

import pytest

from assistant.chain.condense import condense, is_ellipsis, is_follow_up
from assistant.chain.expand import QueryExpander
from assistant.chain.fuse import reciprocal_rank_fusion
from assistant.chain.prompts import Prompt, PromptError, load_prompt
from assistant.chain.snapshot import CorpusSnapshot, council_words
from assistant.chain.verify import verify
from assistant.types import Citation
from index.acronyms import find_acronyms
from index.lexical import BM25Index, tokenize


def test_every_entry_point_sets_the_offline_environment_itself_not_an_import():
    """`import assistant` changes nothing; running `lmcs` (here its main with --version) does."""
    import subprocess
    import sys

    names = ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "GRADIO_ANALYTICS_ENABLED", "ANONYMIZED_TELEMETRY"]
    probe = (
        "import os, sys\n"
        "import assistant, assistant.cli\n"
        f"print([os.environ.get(n) for n in {names!r}])\n"
        "sys.argv = ['lmcs', '--version']\n"
        "try:\n    assistant.cli.main()\nexcept SystemExit:\n    pass\n"
        f"print([os.environ.get(n) for n in {names!r}])\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in names}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    lines = [line for line in out.stdout.splitlines() if line.startswith("[")]
    assert lines[0] == str([None, None, None, None]), out.stderr
    assert lines[1] == str(["1", "1", "False", "False"])


def test_rrf_rewards_agreement_between_rankings():
    fused = reciprocal_rank_fusion([["a", "b"], ["b", "c"]], k=60)
    assert [i for i, _ in fused] == ["b", "a", "c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_rrf_of_one_ranking_keeps_its_order():
    assert [i for i, _ in reciprocal_rank_fusion([["x", "y", "z"]])] == ["x", "y", "z"]


@pytest.mark.parametrize(
    ("question", "follows"),
    [
        ("What about Wigan?", True),
        ("And who chairs it?", True),
        ("Does that include academies?", True),
        ("What is corporate parenting?", False),
        ("Which section of the Children Act 2004 requires a lead member?", False),
    ],
)
def test_follow_up_detection(question, follows):
    assert is_follow_up(question) is follows


def test_condense_prefixes_the_earlier_user_turns_only_for_follow_ups():
    history = [
        {"role": "user", "content": "What is corporate parenting?"},
        {"role": "assistant", "content": "From 3 documents… [1]"},
    ]
    assert (
        condense("Who chairs the board for it?", history) == "What is corporate parenting? Who chairs the board for it?"
    )
    assert condense("What is the Equality Act duty?", history) == "What is the Equality Act duty?"
    assert condense("What about Wigan?", []) == "What about Wigan?"
    # A pronoun pointing back at the question's own first clause: a new topic, not a follow-up of the old one.
    assert condense("What about safeguarding, what's my role there?", history) == (
        "What about safeguarding, what's my role there?"
    )
    assert condense("And after that, who chairs it?", history).startswith("What is corporate parenting?")
    assert condense("Cheers, who chairs it?", history).startswith("What is corporate parenting?")  # no topic of its own
    # The user says the topic changes: nothing of the earlier one is searched, whatever pronoun follows.
    for question in (
        "Thanks. Separate question: how many plans were there that year?",
        "Different topic - who runs it?",
        "OK, switching topic, who runs it?",
        "Something else: what's their budget?",
    ):
        assert not condense(question, history).startswith("What is corporate parenting?")
    # Saying there is another question about the same thing is no change of topic.
    assert condense("Another thing - how often does it meet?", history).startswith("What is corporate parenting?")
    asked_of_wigan = [{"role": "user", "content": "How many Family Hubs does Wigan have?"}]
    assert condense("Changing the subject, is there a Schools Forum there?", asked_of_wigan, frozenset({"wigan"})) == (
        "is there a Schools Forum there? (Wigan)"  # the conversation's council stays
    )
    # "there" with a subject of its own points at the council, not at the earlier topic (family hubs).
    assert condense("ok, and what's the allowance for the job there?", asked_of_wigan, frozenset({"wigan"})) == (
        "ok, and what's the allowance for the job there? (Wigan)"
    )
    assert condense("What happens there?", asked_of_wigan, frozenset({"wigan"})).startswith("How many Family Hubs")
    # A bare noun phrase after a "how many" or "how often" question asks that again of its own subject.
    assert condense("and care leavers?", asked_of_wigan, frozenset({"wigan"})) == "How many care leavers? (Wigan)"
    assert condense("and schools?", history) == "and schools?"  # "What is corporate parenting?" sets no frame
    long = "and " + "a" * 2000 + "!b"  # a long fragment is read at once (a regex once took minutes on this)
    assert not condense(long, asked_of_wigan, frozenset({"wigan"})).startswith("How many a")


def test_an_ellipsis_has_no_subject_of_its_own():
    councils = frozenset({"wigan"})
    assert is_ellipsis("What about Wigan?", councils) and is_ellipsis("and that?", councils)
    assert not is_ellipsis("And what about schools?", councils)
    assert not is_ellipsis("What's the key decision threshold there?", councils)  # a pronoun, and its own subject


def test_acronyms_are_found_as_the_corpus_defines_them():
    text = (
        "work with the Director of Children’s Services (DCS) and "
        "the United Nations Convention on the Rights of the Child (UNCRC)"
    )
    assert find_acronyms(text) == {
        "DCS": "Director of Children’s Services",
        "UNCRC": "United Nations Convention on the Rights of the Child",
    }
    assert find_acronyms("children looked after (LA) and key performance (KPIs)") == {}


def test_expansion_adds_statutory_words_and_names_councils():
    expander = QueryExpander({"children in care": ["looked after children"]})
    view = CorpusSnapshot(
        "v", {}, acronyms={"DCS": "Director of Children’s Services"}, councils={"wigan": frozenset({"wigan-doc"})}
    )
    e = expander.run("What does Wigan say about the DCS and children in care?", view)
    assert "looked after children" in e.query and "Director of Children’s Services" in e.query
    assert "wigan" not in e.terms  # a named council is a scope (scope.py), not a word to match
    assert e.covered(set(tokenize("looked after children"))) > 0


def test_council_words_ignore_generic_words():
    assert council_words("Birmingham City Council") == {"birmingham"}
    assert council_words("Unnamed council") == set()


def test_prompts_render_strictly():
    assert Prompt("p", "Hi $name").render(name="Ada") == "Hi Ada"
    with pytest.raises(PromptError, match="needs name"):
        Prompt("p", "Hi $name").render()
    with pytest.raises(PromptError, match="no prompt named"):
        load_prompt("no-such-prompt")
    assert load_prompt("extractive_lead").variables == {"sources"}


def test_bm25_finds_exact_references():
    bm25 = BM25Index.build(
        ["a", "b", "c"],
        ["functions set out in section 18(2) of the Children Act", "Section 19 of the Children Act 2004", "early help"],
    )
    assert bm25.search("section 18(2)", k=3)[0][0] == "a"
    assert bm25.search("section 19", k=3)[0][0] == "b"
    assert bm25.search("weather", k=3) == []
    assert [i for i, _ in bm25.search("children act", k=3, groups=["b"])] == ["b"]


def test_verify_rejects_any_quote_not_verbatim_at_its_offsets():
    texts = {"d": "The LMCS should report to the Chief Executive."}

    def cite(quote: str, start: int, end: int) -> Citation:
        return Citation(1, "d", "T", "A", "H", quote, start, end)

    good = cite("report to the Chief Executive", 16, 45)
    assert verify([good], texts) == ([good], [])
    for bad in (
        cite("report to the chief executive", 16, 45),  # case changed
        cite("report to the Chief Executive", 15, 44),  # offsets shifted
        cite("report to the Leader", 16, 36),  # not in the text
        Citation(1, "other", "T", "A", "H", "report", 16, 22),  # unknown document
        cite("", 0, 0),
    ):
        assert verify([bad], texts) == ([], [bad])


def test_the_public_surface_is_pinned():
    import assistant

    assert sorted(assistant.__all__) == [
        "Answer",
        "AnswerChain",
        "AssistantError",
        "Citation",
        "Delta",
        "Final",
        "IndexEmptyError",
        "LLMError",
        "QuestionError",
        "Service",
        "Settings",
        "build_answer_pipeline",
    ]
