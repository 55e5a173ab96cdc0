"""The eval suite: the dataset is sound, the metrics measure what they say, and the CI gate holds."""

from __future__ import annotations

import tomllib

import pytest

from assistant.settings import PROJECT_ROOT
from assistant.types import Answer, Citation
from evals.dataset import CATEGORIES, EvalItem, Evidence, load_dataset, problems
from evals.metrics import EvalCorpus, aggregate, score_item
from index.clean import Cleaner
from index.load import Loader, read_manifest

CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="module")
def cleaned_corpus() -> dict[str, str]:
    loader = Loader(read_manifest(CORPUS))
    docs = [loader.run(p) for p in sorted(CORPUS.glob("*.txt"))]
    return {d.doc_id: Cleaner().run(d.raw_text) for d in docs}


def test_v1_evidence_spans_are_verbatim_in_the_cleaned_corpus(cleaned_corpus):
    items = load_dataset("v1")
    assert problems(items, cleaned_corpus) == []


def test_v1_covers_every_category_with_at_least_60_questions():
    items = load_dataset("v1")
    assert len(items) >= 60
    counts = {c: sum(i.category == c for i in items) for c in CATEGORIES if c not in {"scoped", "wrong_council"}}
    assert all(n >= 4 for n in counts.values()), counts  # v1 predates the council-scoped categories
    assert any(i.history for i in items)
    assert any(i.min_docs > 1 for i in items)


def test_the_dataset_check_catches_a_paraphrased_evidence_span(cleaned_corpus):
    bad = EvalItem(
        "x",
        "fact",
        "q",
        True,
        facts=[["Section 19"]],
        evidence=[Evidence("the LMCS must act lawfully under section 19", doc_id="unnamed-council-lmcs-profile")],
    )
    assert "not verbatim" in problems([bad], cleaned_corpus)[0]


def test_metrics_reward_the_right_things():
    texts = EvalCorpus({"d": "The LMCS should report to the Chief Executive. Early help matters."})
    item = EvalItem(
        "i", "fact", "q", True, facts=[["Chief Executive"]], evidence=[Evidence("report to the Chief Executive", "d")]
    )
    good = Citation(1, "d", "T", "A", "", "The LMCS should report to the Chief Executive.", 0, 46)
    answered = Answer(
        "q", "From 1 document (A):\n\n- The LMCS should report to the Chief Executive. [1]", False, (good,)
    )
    r = score_item(item, answered, texts, 10.0)
    assert (r.fact_recall, r.grounded, r.supported_claims, r.evidence_cited) == (1.0, 1, 1, True)

    forged = Citation(1, "d", "T", "A", "", "The LMCS should report to the Council Leader.", 0, 46)
    wrong = Answer("q", "- The LMCS should report to the Council Leader. [1]", False, (forged,))
    r2 = score_item(item, wrong, texts, 10.0)
    assert (r2.fact_recall, r2.grounded) == (0.0, 0)
    assert aggregate([r, r2])["quote_grounding"] == 0.5

    unsupported = Answer("q", "- Early help matters most of all for budgets. [1]", False, (good,))
    r3 = score_item(item, unsupported, texts, 10.0)
    assert r3.claims == 1 and r3.supported_claims == 0

    refused = score_item(EvalItem("u", "unanswerable", "q", False), Answer("q", "…", True), texts, 5.0)
    assert aggregate([refused])["abstain_recall"] == 1.0


def test_an_answer_citing_another_council_than_the_one_asked_about_is_counted():
    corpus = EvalCorpus(
        {"w": "Wigan chairs the board.", "p": "Portsmouth chairs the board."},
        truth={
            "w": {"authority": "Wigan Council", "kind": "council role profile"},
            "p": {"authority": "Portsmouth City Council", "kind": "council role profile"},
        },
    )
    item = EvalItem("s", "scoped", "Who chairs Wigan's board?", True, facts=[["chairs"]], council="Wigan Council")
    right = Answer(
        "q", "- Wigan chairs the board. [1]", False, (Citation(1, "w", "T", "", "", "Wigan chairs the board.", 0, 23),)
    )
    wrong = Answer(
        "q",
        "- Portsmouth chairs the board. [1]",
        False,
        (Citation(1, "p", "T", "", "", "Portsmouth chairs the board.", 0, 28),),
    )
    results = [score_item(item, right, corpus, 1.0), score_item(item, wrong, corpus, 1.0)]
    assert [r.wrong_council for r in results] == [False, True]
    assert aggregate(results)["wrong_council_answers"] == 1


@pytest.mark.parametrize("name", ["v2", "dev2", "v3", "dev3", "v4", "dev4", "v5", "dev5"])
def test_the_unseen_council_datasets_name_only_files_of_their_own_split(name):
    items = load_dataset(name)
    folders = {
        "v2": "heldout/",
        "dev2": "dev/",
        "v3": "heldout3/",
        "dev3": "dev3/",
        "v4": "heldout4/",
        "dev4": "dev4/",
        "v5": "heldout5/",
        "dev5": "dev5/",
    }
    folder = folders[name]
    files = {e.file for i in items for e in i.evidence if e.file}
    assert files and all(f.startswith(folder) for f in files)


@pytest.mark.slow
def test_ci_gate_default_configuration_meets_the_thresholds():
    from evals.run import run_eval

    limits = tomllib.loads((PROJECT_ROOT / "evals" / "thresholds.toml").read_text(encoding="utf-8"))
    failures = []
    for dataset, gate in limits["dataset"].items():
        (run,) = run_eval(("hybrid",), dataset, progress=False)
        overall = run.overall
        failures += [
            f"{dataset}: {m} = {overall[m]} < {v}" for m, v in gate.get("minimum", {}).items() if overall[m] < v
        ]
        failures += [
            f"{dataset}: {m} = {overall[m]} > {v}" for m, v in gate.get("maximum", {}).items() if overall[m] > v
        ]
        assert overall["quote_grounding"] == overall["quote_in_file"] == overall["quote_at_location"] == 1.0, dataset
    assert not failures, failures
