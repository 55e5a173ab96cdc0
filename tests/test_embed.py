"""The fast-start embedder: the ONNX copy gives the torch model's vectors and survives a damaged cache."""

from __future__ import annotations

import logging
import subprocess
import sys

import numpy as np
import pytest

from index.embed import OnnxEmbedder, SentenceTransformerEmbedder, load_embedder, onnx_cache_path

TEXTS = [
    "What must the Lead Member for Children's Services do?",
    "Corporate parenting",
    "- champion the interests of children in care and care leavers;",
    "Ysgol Gymraeg · café · naïve — “quotes” ‘and’ emoji 🙂 " * 20,  # long enough to be truncated
    "",
]


def test_onnx_vectors_equal_the_torch_model(embedder):
    assert embedder.precision == "fp32", "the default embedder is the fp32 copy"
    torch_model = SentenceTransformerEmbedder()
    assert embedder.name == torch_model.name, "an index built by one must open with the other"
    ours, theirs = embedder.embed_documents(TEXTS), torch_model.embed_documents(TEXTS)
    assert ours.shape == theirs.shape == (len(TEXTS), 384)
    assert np.abs(ours - theirs).max() < 1e-4
    # Batching and order do not change a vector.
    assert np.allclose(embedder.embed_query(TEXTS[2]), ours[2], atol=1e-5)
    assert np.allclose(embedder.embed_documents(TEXTS[::-1])[::-1], ours, atol=1e-5)


def test_a_damaged_cache_file_is_replaced_not_fatal(tmp_path, caplog):
    target = onnx_cache_path(cache_dir=tmp_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"not an onnx model")
    with caplog.at_level(logging.WARNING):
        model = load_embedder(cache_dir=tmp_path)
    assert "Ignoring the cached ONNX model" in caplog.text
    assert model.embed_query("safeguarding").shape == (384,)
    assert OnnxEmbedder(target).embed_query("safeguarding").shape == (384,), "a good copy was exported again"


def test_an_unwritable_cache_falls_back_to_torch(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    with caplog.at_level(logging.WARNING):
        model = load_embedder(cache_dir=blocker / "models")
    assert isinstance(model, SentenceTransformerEmbedder)
    assert "using torch" in caplog.text


def test_asking_with_a_cached_model_never_imports_torch(corpus_data_dir, model_cache):
    """What makes `lmcs ask` start fast: nothing on its path imports torch or sentence-transformers."""
    code = (
        "import sys; from assistant.cli import app; "
        "app(['ask', 'Who does the LMCS work with?', '--no-llm'], standalone_mode=False); "
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers', 'gradio') if m in sys.modules); "
        "print('HEAVY', heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **__import__("os").environ,
            "LMCS_DATA_DIR": str(corpus_data_dir),
            "LMCS_MODEL_CACHE": str(model_cache),
        },
    )
    assert out.returncode == 0, out.stderr
    assert "[" in out.stdout and "HEAVY []" in out.stdout, out.stdout[-500:]


def test_the_int8_copy_agrees_with_fp32_on_the_corpus_sentences_and_never_opens_an_fp32_index(
    embedder, model_cache, tmp_path
):
    """Opt-in speed (LMCS_EMBED_PRECISION=int8): close to fp32 on every sentence of the corpus, and
    a model of its own, so its query vectors never search an index of fp32 vectors."""
    from assistant.settings import PROJECT_ROOT
    from index.pipeline import build_index_pipeline, open_store
    from index.store import IndexMismatchError

    int8 = load_embedder(cache_dir=model_cache, precision="int8")
    assert isinstance(int8, OnnxEmbedder) and int8.precision == "int8"
    assert int8.name == embedder.name + "+int8"
    sentences = [
        line.strip("-•* ").strip()
        for path in sorted((PROJECT_ROOT / "corpus").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 20
    ]
    assert len(sentences) > 150
    cosines = np.sum(int8.embed_documents(sentences) * embedder.embed_documents(sentences), axis=1)
    assert cosines.mean() >= 0.99 and cosines.min() >= 0.97, (cosines.mean(), cosines.min())

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "role.txt").write_text("Role\n\n- The lead member champions children in care.\n", encoding="utf-8")
    assert build_index_pipeline(embedder, tmp_path / "data", folder).run([folder]).ok
    with pytest.raises(IndexMismatchError, match="lmcs ingest --rebuild"):
        open_store(int8, tmp_path / "data")
