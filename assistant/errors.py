"""Errors a user sees: each message says what happened and what to do.

Faces (CLI, web, API) catch `USER_ERRORS` and show the message; anything else is a bug
and is allowed to surface as one.
"""

from __future__ import annotations

from index.store import StoreUnavailableError


class AssistantError(Exception):
    """Base of the assistant's own errors; the message is meant for the user."""


class QuestionError(AssistantError, ValueError):
    """The question cannot be asked as it is (empty, too long, not text); the message says why."""


class IndexEmptyError(AssistantError):
    """No documents are indexed yet."""


class LLMError(AssistantError):
    """The language model did not answer (down, slow, refused). Raised only around the model call."""


class LLMUnavailableError(AssistantError):
    """The configured model cannot be used at all (package missing, file missing, bad settings)."""


# What a face shows as a message rather than a traceback.
USER_ERRORS: tuple[type[Exception], ...] = (AssistantError, StoreUnavailableError)

__all__ = [
    "USER_ERRORS",
    "AssistantError",
    "IndexEmptyError",
    "LLMError",
    "LLMUnavailableError",
    "QuestionError",
    "StoreUnavailableError",
]
