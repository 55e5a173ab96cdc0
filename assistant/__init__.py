"""LMCS Assistant: cited, verbatim answers about the Lead Member for Children's Services.

The public surface the CLI, the UI, the eval and tests use:

    >>> from assistant import Service, Settings       # doctest: +SKIP
    >>> answer = Service.open(Settings()).ask("What must I do as LMCS?")  # doctest: +SKIP
"""

from assistant.chain.pipeline import AnswerChain, build_answer_pipeline
from assistant.errors import AssistantError, IndexEmptyError, LLMError, QuestionError
from assistant.service import Service
from assistant.settings import Settings
from assistant.types import Answer, Citation, Delta, Final

__all__ = [
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
