"""The chat UI (Gradio Blocks): one module per tab, assembled here.

`ask_tab.py` (chat, sources, feedback, export, upload), `quiz.py` (induction quiz and
handouts), `reviews.py` (compare councils, duty coverage map). Each calls the service like
any other client.
"""

from __future__ import annotations

import gradio as gr

from assistant.chain.privacy import NOTICE
from assistant.web.ask_tab import ask_tab
from assistant.web.chat import ChatUI
from assistant.web.quiz import QuizUI, quiz_tab
from assistant.web.reviews import ReviewUI, review_tabs
from index import go_offline

TAGLINE = "The duties of a council's Lead Member for Children's Services, quoted from the documents."
CSS = """
mark { background: #ffe066; color: #111; padding: 0 .1em; }
.lmcs-sources { padding-left: 1.2em; }
.lmcs-where { margin: .6rem 0 .3rem; font-weight: 500; }
.lmcs-passage { line-height: 1.5; margin: 0 0 .8rem; padding-left: .8rem; border-left: 3px solid #8a8a8a; }
.lmcs-document { line-height: 1.55; max-height: 32rem; overflow-y: auto; }
.lmcs-h { font-size: 1.1rem; margin: .2rem 0 .6rem; }
#lmcs-notice { font-size: .95rem; }
"""

__all__ = ["ChatUI", "build_ui", "launch"]


def build_ui(ui: ChatUI):  # type: ignore[no-untyped-def]
    """The Blocks app for one ChatUI."""
    with gr.Blocks(title="LMCS Assistant") as demo:
        gr.Markdown(f"# LMCS Assistant\n{TAGLINE}")
        gr.Markdown(NOTICE, elem_id="lmcs-notice")
        with gr.Tabs():
            ask_tab(ui)
            quiz_tab(QuizUI(ui.bank, ui.exports))
            review_tabs(ReviewUI(ui.service, ui.exports))
    return demo


def launch(ui: ChatUI, host: str, port: int, prevent_thread_lock: bool = False, quiet: bool = False):  # type: ignore[no-untyped-def]
    """Serve the UI: with login when an auth file is configured, else on loopback only."""
    go_offline()
    demo = build_ui(ui)
    auth = ui.check_login if ui.login else None
    demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message="LMCS Assistant: sign in with the account your administrator gave you." if auth else None,
        css=CSS,
        prevent_thread_lock=prevent_thread_lock,
        quiet=quiet,
        footer_links=["api"],
    )
    return demo
