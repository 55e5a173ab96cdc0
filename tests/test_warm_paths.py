"""The warm path's shortcuts change no answer: a council named in a question is still looked for
however it is written, and BM25 ranks passages with bm25s's own scores, to the bit."""

from __future__ import annotations

import numpy as np

from assistant.chain.scope import may_name_council
from evals.dataset import load_dataset
from index.councils import find_councils, gazetteer
from index.lexical import BM25Index, tokenize
from tests.documents import PROFILE


def test_every_council_the_gazetteer_knows_is_looked_for_however_a_question_writes_it():
    forms = {f for key, c in gazetteer().items() for f in (c.name, *c.aliases, key)}
    asked = 0
    for form in sorted(forms):
        for name in (form, form.lower(), form.upper(), form.replace("'", "’"), form.replace("-", " ")):
            for question in (f"What does {name} say?", f"Who leads {name}'s children's services?", f"({name})"):
                if find_councils(question):  # what the scope finder finds without the shortcut
                    asked += 1
                    assert may_name_council(question), question
    assert asked > 2 * len(forms)
    assert not may_name_council("How often must the lead member meet the director?")  # the shortcut's point


def test_bm25_ranks_with_bm25s_own_scores():
    texts = [PROFILE, "Wigan's lead member chairs the corporate parenting board.", "Early help, twice a year."]
    bm25 = BM25Index.build(["a:1:0", "b:1:0", "c:1:0"], texts, ["a", "b", "c"])
    for item in load_dataset("v1"):
        query = f"{item.question} (lead member; Director of Children's Services)"  # as expanded: repeated words
        terms = [t for t in tokenize(query) if t in bm25.vocabulary]
        if terms:
            assert np.array_equal(bm25._scores(terms), bm25._model.get_scores(terms)), item.question
    assert [i for i, _ in bm25.search("who chairs the corporate parenting board?", 3, ["b", "c"])] == ["b:1:0"]
