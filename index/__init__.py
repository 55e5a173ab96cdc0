"""Indexing: load → clean → chunk → embed → store. Knows nothing of answering."""

import os

# A council laptop has no route to a model hub, and a hub lookup only hangs then fails;
# analytics and telemetry would phone home. Every entry point calls `go_offline()` before
# the libraries that read these are imported (forced, not defaulted).
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TOKENIZERS_PARALLELISM": "false",
}


def go_offline() -> None:
    """Set the offline environment for this process (idempotent)."""
    os.environ.update(OFFLINE_ENVIRONMENT)


from index.types import Chunk, Document, SourceDocument, Unit  # noqa: E402

__all__ = ["OFFLINE_ENVIRONMENT", "Chunk", "Document", "SourceDocument", "Unit", "go_offline"]
