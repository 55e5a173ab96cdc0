"""The Ask tab's layout and events: chat beside the sources panel, feedback, export, upload."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from assistant.web.chat import ChatUI, refused_turn, turn_of
from assistant.web.gate import UPLOAD_TYPES

STARTERS = [
    "What must I do as LMCS?",
    "What is corporate parenting?",
    "What is my role on the safeguarding partnership?",
]
EXTRACTIVE = "Quotes only (no language model)"
NO_SOURCES = "<p>Sources for each answer appear here.</p>"
QUESTION_HINT = "Enter asks · Shift+Enter adds a new line · up to 2,000 characters"
# After an answer: show it from its first line (the chat does not jump to the bottom), without
# scrolling the page when the answer's start is already in view.
SCROLL_TO_ANSWER = """() => { setTimeout(() => {
  const rows = document.querySelectorAll('#lmcs-chat .message-row.bot-row, #lmcs-chat .bot-row');
  const last = rows[rows.length - 1]; if (!last) { return; }
  let box = last.parentElement;
  while (box && box !== document.body && !(box.scrollHeight > box.clientHeight + 2
         && getComputedStyle(box).overflowY !== 'visible')) { box = box.parentElement; }
  if (box && box !== document.body) {
    box.scrollTop += last.getBoundingClientRect().top - box.getBoundingClientRect().top;
  }
  const top = last.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight - 80) { last.scrollIntoView({block: 'start'}); }
}, 50); }"""
COPY_PLAIN = """(text) => { if (!text) { return 'There is no answer to copy yet.'; }
  navigator.clipboard.writeText(text); return 'Copied the answer as plain text, with its sources.'; }"""
SCROLL_TO_HIGHLIGHT = (
    "() => { const el = document.getElementById('lmcs-highlight'); if (el) { el.scrollIntoView({block: 'center'}); } }"
)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # gradio may send content as a list of parts
        return " ".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content)


def announcement(text: str) -> str:
    """What screen readers hear when an answer or an error arrives (the live region's content)."""
    return f"<p>{html.escape(text)}</p>" if text else ""


def _user(request: gr.Request | None) -> str:
    return str(getattr(request, "username", None) or "")


def ask_tab(ui: ChatUI) -> list[Callable[..., Any]]:
    """The tab, and its HTTP API functions (registered outside gr.Tabs: inside, Gradio mislabels the tabs)."""
    with gr.Tab("Ask", id="ask"):
        turns = gr.State([])  # inside the tab: anything else directly under gr.Tabs is taken for a tab
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    height=None,
                    min_height="10rem",
                    max_height="calc(100vh - 18rem)",  # grows with the window
                    autoscroll=False,  # each new answer is scrolled to its start instead (SCROLL_TO_ANSWER)
                    buttons=[],  # "Copy answer" below copies plain text; the built-in one copies Markdown
                    placeholder="Ask about the Lead Member's duties. Every answer is quoted from the documents.",
                    elem_id="lmcs-chat",
                )
                question = gr.Textbox(
                    label="Your question",
                    info=QUESTION_HINT,
                    placeholder="e.g. What must I do as LMCS?",
                    lines=1,  # with one line Gradio asks on Enter; Shift+Enter still adds a line
                    max_lines=8,
                    elem_id="lmcs-question",
                )
                doc_filter = gr.Dropdown(
                    choices=ui.document_choices(),
                    multiselect=True,
                    label="Search only these documents",
                    info="Leave empty to search all of them.",
                    elem_id="lmcs-filter",
                )
                with gr.Row(elem_classes=["lmcs-actions"]):
                    ask_btn = gr.Button("Ask", variant="primary", elem_id="lmcs-ask", min_width=80)
                    new_btn = gr.Button("New conversation", elem_id="lmcs-new", min_width=80)
                with gr.Row(elem_classes=["lmcs-actions"], elem_id="lmcs-feedback-row"):
                    up_btn = gr.Button("👍 Helpful", size="sm", elem_id="lmcs-up", min_width=80)
                    down_btn = gr.Button("👎 Not helpful", size="sm", elem_id="lmcs-down", min_width=80)
                    copy_btn = gr.Button("Copy answer as text", size="sm", elem_id="lmcs-copy", min_width=80)
                feedback_status = gr.Markdown("", elem_id="lmcs-feedback-status")
                announce = gr.HTML("", elem_id="lmcs-announce", elem_classes=["lmcs-sr-only"])
                plain = gr.Textbox("", visible=False, elem_id="lmcs-plain")
                gr.Markdown("**Try one of these:**", elem_classes=["lmcs-try"])
                with gr.Row():
                    starter_btns = [gr.Button(q, size="sm", elem_classes=["lmcs-starter"]) for q in STARTERS]
                statutory = gr.Checkbox(
                    label="Statutory wording mode (verbatim passages only)", value=False, elem_id="lmcs-statutory"
                )
                answerer = gr.Radio(
                    choices=[EXTRACTIVE] + ([f"Language model: {ui.model_name}"] if ui.model_name else []),
                    value=f"Language model: {ui.model_name}" if ui.model_name else EXTRACTIVE,
                    label="Who writes the answer",
                    info="Every quote is checked against the documents either way.",
                    visible=ui.model_name is not None,
                    elem_id="lmcs-answerer",
                )
            with gr.Column(scale=2, min_width=300):
                sources = gr.HTML(NO_SOURCES, elem_id="lmcs-sources")
                open_choice = gr.Radio(choices=[], label="Open a cited document", elem_id="lmcs-open")
                document = gr.HTML("", elem_id="lmcs-document")
        with gr.Accordion("Comment and export", open=False):
            comment = gr.Textbox(
                label="Comment on the last answer (optional; sent with 👍 or 👎)", lines=2, elem_id="lmcs-comment"
            )
            with gr.Row():
                md_btn = gr.Button("Export conversation as Markdown", elem_id="lmcs-export-md")
                pdf_btn = gr.Button("Export conversation as PDF", elem_id="lmcs-export-pdf")
            export_file = gr.File(label="Download", interactive=False, visible=False, elem_id="lmcs-export-file")
        # Shown to administrators only once the page knows who signed in (always without login): the
        # upload route refuses anyone else anyway (gate.py).
        with gr.Accordion("Add documents", open=False, elem_id="lmcs-add", visible=not ui.login) as add_panel:
            uploads = gr.File(
                label="Files (PDF, Word, HTML, Markdown, text)", file_count="multiple", file_types=list(UPLOAD_TYPES)
            )
            authority = gr.Textbox(label="Council (authority) for these files", placeholder="e.g. Anytown Council")
            add_btn = gr.Button("Add to the index")
            add_status = gr.Markdown("")

    def chat_turn(
        message: str, chat: list, state: list, wording: bool, docs: list[str] | None, who: str, request: gr.Request
    ) -> Iterator[tuple]:
        message = message or ""
        keep = (gr.update(), gr.update(), gr.update(), gr.update(), gr.update())  # the question stays on error
        generate = who != EXTRACTIVE and not wording  # statutory wording is verbatim only
        written, answer = "", None
        shown_question = html.escape(message[:300]) + ("…" if len(message) > 300 else "")
        asker = _user(request) or str(getattr(request, "session_hash", "") or "")  # a person, or this page
        for kind, value in ui.answer_stream(message, state, docs, generate, asker):
            if kind == "error":  # e.g. too long: said plainly, the question kept in the box to shorten
                chat = [*chat, {"role": "user", "content": shown_question}]
                reply = f"⚠️ {html.escape(value)}"
                state = [*state, refused_turn(value)]  # a row of the chat like any other: 👍 cannot rate another
                yield [*chat, {"role": "assistant", "content": reply}], state, *keep, announcement(value), ""
                return
            if kind == "delta":  # the model's words as they arrive, before they are checked
                written += value
                pending = [{"role": "user", "content": shown_question}]
                yield (
                    [*chat, *pending, {"role": "assistant", "content": f"{html.escape(written)}\n\n_(checking…)_"}],
                    state,
                    *keep,
                    gr.update(),
                    gr.update(),
                )
            else:
                answer = value
        assert answer is not None
        chat = [*chat, {"role": "user", "content": html.escape(answer.question)}]  # as the chain redacted it
        text = ui.display(answer, wording)
        if not written:
            shown = ""
            for line in text.splitlines(keepends=True):  # extractive: stream line by line
                shown += line
                yield [*chat, {"role": "assistant", "content": shown}], state, *keep, gr.update(), gr.update()
        state = [*state, turn_of(answer)]
        copied = ui.plain(answer)
        yield (
            [*chat, {"role": "assistant", "content": text}],
            state,
            ui.sources(answer),
            gr.update(choices=ui.cited_documents(answer), value=None),
            "",
            "",
            "",
            announcement(copied),
            copied,
        )

    outputs = [chatbot, turns, sources, open_choice, question, document, feedback_status, announce, plain]
    inputs = [question, chatbot, turns, statutory, doc_filter, answerer]

    def current_documents(chosen: list[str] | None) -> Any:
        """The filter's list as the index is now: a document another session added appears here at
        once (kept choices that still exist)."""
        choices = ui.document_choices()
        known = {value for _, value in choices}
        return gr.update(choices=choices, value=[c for c in chosen or [] if c in known])

    doc_filter.focus(current_documents, doc_filter, doc_filter, api_visibility="private")
    ask_btn.click(chat_turn, inputs, outputs, api_visibility="private").then(None, js=SCROLL_TO_ANSWER)
    question.submit(chat_turn, inputs, outputs, api_visibility="private").then(None, js=SCROLL_TO_ANSWER)
    for btn, q in zip(starter_btns, STARTERS, strict=True):
        btn.click(lambda q=q: q, None, question, api_visibility="private").then(
            chat_turn, inputs, outputs, api_visibility="private"
        ).then(None, js=SCROLL_TO_ANSWER)

    def clear() -> tuple:
        return [], [], NO_SOURCES, gr.update(choices=[], value=None), "", "", "", ""

    new_btn.click(
        clear,
        None,
        [chatbot, turns, sources, open_choice, document, feedback_status, announce, plain],
        api_visibility="private",
    )
    open_choice.change(ui.open_document, [turns, open_choice], document, api_visibility="private").then(
        None, None, None, js=SCROLL_TO_HIGHLIGHT
    )

    def thumbs(rating: int):  # type: ignore[no-untyped-def]
        def give(state: list, note: str, request: gr.Request) -> tuple[str, str]:
            said = ui.record_feedback(state, len(state) - 1, rating, note or "", _user(request))
            return f"{'👍' if rating > 0 else '👎'} {said}", ""

        return give

    up_btn.click(thumbs(1), [turns, comment], [feedback_status, comment], api_visibility="private")
    down_btn.click(thumbs(-1), [turns, comment], [feedback_status, comment], api_visibility="private")
    copy_btn.click(None, plain, feedback_status, js=COPY_PLAIN)

    def liked(state: list, data: gr.LikeData, request: gr.Request) -> str:
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        return ui.record_feedback(state, int(index) // 2, 1 if data.liked else -1, "", _user(request))

    chatbot.like(liked, [turns], feedback_status, api_visibility="private")

    def export(state: list, kind: str) -> dict:
        path = ui.export(state, kind)
        return gr.update(value=path, visible=path is not None)

    md_btn.click(lambda s: export(s, "md"), turns, export_file, api_visibility="private")
    pdf_btn.click(lambda s: export(s, "pdf"), turns, export_file, api_visibility="private")

    def add(files: list | None, council: str, request: gr.Request) -> tuple[str, Any]:
        paths = [f if isinstance(f, str) else f.name for f in files or []]
        status = ui.add_documents(paths, council or "", _user(request) or None)
        return status, gr.update(choices=ui.document_choices())

    add_btn.click(add, [uploads, authority], [add_status, doc_filter], api_visibility="private")

    def show_add_panel(request: gr.Request) -> Any:
        return gr.update(visible=ui.may_add_documents(_user(request) or None))

    if ui.login:
        gr.on(None, show_add_panel, None, add_panel, api_visibility="private")  # None: when the page loads

    def api_ask(
        question: str, history: list | None = None, doc_ids: list | None = None, request: gr.Request | None = None
    ) -> dict[str, Any]:
        """Ask one question; the answer as JSON with verbatim citations."""
        turns_in = []
        for t in history or []:
            if isinstance(t, dict) and t.get("role") == "user":
                turns_in.append({"question": _text(t.get("content", "")), "answer": ""})
        # The signed-in user (or this client's session): for the question log and the per-user limit.
        asker = _user(request) or str(getattr(request, "session_hash", "") or "")
        answer, error = ui.answer(question, turns_in, doc_ids, user=asker)
        if answer is None:
            return {"error": error}
        return answer.to_dict()

    return [api_ask]
