"""Indexing: load → clean → chunk → embed → store. Knows nothing of answering."""

import os

# Set before any library that phones home is imported. Forced, not defaulted: a
# council laptop has no route to a model hub, and a hub lookup only hangs then fails.
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TOKENIZERS_PARALLELISM": "false",
}
os.environ.update(OFFLINE_ENVIRONMENT)

from index.types import Chunk, Document, SourceDocument, Unit  # noqa: E402

__all__ = ["OFFLINE_ENVIRONMENT", "Chunk", "Document", "SourceDocument", "Unit"]
