"""The chat UI (Gradio). It calls the answer pipeline like any other client."""

from __future__ import annotations

from typing import Any

import index  # noqa: F401  (analytics off before gradio is imported)
from assistant.pipeline import Assistant, IndexEmptyError, QuestionError
from assistant.present import to_markdown

STARTERS = [
    "What must I do as LMCS?",
    "What is corporate parenting?",
    "What is my role on the safeguarding partnership?",
]


def respond(assistant: Assistant, message: str, history: list[dict[str, Any]]) -> str:
    """One chat turn: the answer as Markdown with its sources, or a plain error."""
    turns = [
        {"role": t["role"], "content": _text(t["content"])} for t in history if t.get("role") in {"user", "assistant"}
    ]
    try:
        return to_markdown(assistant.ask(message, history=turns))
    except (QuestionError, IndexEmptyError) as exc:
        return f"⚠️ {exc}"


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # gradio 6 may send content as a list of parts
        return " ".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content)


def build_ui(assistant: Assistant):  # type: ignore[no-untyped-def]
    import gradio as gr

    def chat_fn(message: str, history: list[dict[str, Any]]) -> str:
        return respond(assistant, message, history)

    return gr.ChatInterface(
        chat_fn,
        title="LMCS Assistant",
        description=(
            "Answers about the duties of a council's Lead Member for Children's Services, "
            "quoted word for word from the documents, each point cited."
        ),
        examples=STARTERS,
        api_name="ask",
    )
