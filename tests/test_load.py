"""Twenty people at once against a real `lmcs serve`: no errors, and each gets the answer
they would have got alone, quoted verbatim."""

from __future__ import annotations

import shutil

import pytest

from evals.dataset import load_dataset
from evals.load import run_load, serving

pytestmark = pytest.mark.slow


def quotes(result: dict) -> list[tuple[str, int, int]]:
    return [(c["doc_id"], c["start"], c["end"]) for c in result.get("citations", [])]


def test_twenty_users_two_hundred_questions(tmp_path, corpus_data_dir, corpus_texts):
    from gradio_client import Client

    data = tmp_path / "data"
    shutil.copytree(corpus_data_dir, data)  # the server gets its own copy of the index
    questions = [i.question for i in load_dataset("v1")]
    with serving(data) as (url, _):
        alone = {q: Client(url, verbose=False).predict(q, api_name="/ask") for q in questions}
        report = run_load(url, questions, users=20, total=200)

    print({k: v for k, v in report.items() if k != "results"})
    assert report["errors"] == 0, report["error_examples"]
    assert len(report["results"]) == 200
    for question, result in report["results"]:
        assert result["abstained"] == alone[question]["abstained"], question
        assert quotes(result) == quotes(alone[question]), question
        for c in result["citations"]:
            assert corpus_texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]
