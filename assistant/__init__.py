"""LMCS Assistant: cited, verbatim answers about the Lead Member for Children's Services.

The public surface the CLI, the UI and tests use:

    >>> from assistant import Settings, build_answer_pipeline   # doctest: +SKIP
    >>> answer = build_answer_pipeline(Settings()).ask("What must I do as LMCS?")  # doctest: +SKIP
"""

import index  # noqa: F401  (sets the offline environment before anything else loads)
from assistant.pipeline import Assistant, IndexEmptyError, QuestionError, build_answer_pipeline
from assistant.settings import Settings
from assistant.types import Answer, Citation

__all__ = [
    "Answer",
    "Assistant",
    "Citation",
    "IndexEmptyError",
    "QuestionError",
    "Settings",
    "build_answer_pipeline",
]
