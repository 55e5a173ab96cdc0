"""The chat UI: a real Gradio server, asked through gradio_client as a remote user would."""

from __future__ import annotations

import re
import socket

import pytest

from assistant.ui import STARTERS, build_ui, respond

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(assistant):
    demo = build_ui(assistant)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def quotes_in(markdown: str) -> list[str]:
    return [m.strip() for m in re.findall(r"^\s*> (.+)$", markdown, flags=re.M)]


def test_a_remote_client_gets_a_cited_verbatim_answer(server, corpus_texts):
    from gradio_client import Client

    answer = Client(server, verbose=False).predict(STARTERS[1], api_name="/ask")
    assert "[1]" in answer and "**Sources**" in answer
    quotes = quotes_in(answer)
    assert quotes
    everything = "\n".join(corpus_texts.values())
    for q in quotes:
        assert q in everything


def test_follow_ups_use_the_chat_history(assistant):
    history = [
        {"role": "user", "content": [{"type": "text", "text": "What is corporate parenting?"}]},
        {"role": "assistant", "content": "…"},
    ]
    answer = respond(assistant, "What does Wigan say about it?", history)
    assert "Wigan Council" in answer and "Corporate Parenting" in answer


def test_errors_are_shown_not_raised(assistant):
    assert respond(assistant, "   ", []).startswith("⚠️ Please type a question")
