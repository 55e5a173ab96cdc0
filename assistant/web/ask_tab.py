"""The Ask tab's layout and events: chat beside the sources panel, feedback, export, upload."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.web.chat import ChatUI, turn_of

STARTERS = [
    "What must I do as LMCS?",
    "What is corporate parenting?",
    "What is my role on the safeguarding partnership?",
]
EXTRACTIVE = "Quotes only (no language model)"
UPLOAD_TYPES = [".pdf", ".docx", ".html", ".htm", ".md", ".txt"]
NO_SOURCES = "<p>Sources for each answer appear here.</p>"
SCROLL_TO_HIGHLIGHT = (
    "() => { const el = document.getElementById('lmcs-highlight'); if (el) { el.scrollIntoView({block: 'center'}); } }"
)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # gradio may send content as a list of parts
        return " ".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content)


def _user(request: gr.Request | None) -> str:
    return str(getattr(request, "username", None) or "")


def ask_tab(ui: ChatUI) -> None:
    turns = gr.State([])
    with gr.Tab("Ask", id="ask"):
        with gr.Row():
            starter_btns = [gr.Button(q, size="sm", elem_classes=["lmcs-starter"]) for q in STARTERS]
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                chatbot = gr.Chatbot(label="Conversation", height=380, buttons=["copy"], elem_id="lmcs-chat")
                question = gr.Textbox(
                    label="Your question",
                    placeholder="e.g. What must I do as LMCS?",
                    lines=2,
                    elem_id="lmcs-question",
                )
                with gr.Row():
                    ask_btn = gr.Button("Ask", variant="primary", elem_id="lmcs-ask")
                    new_btn = gr.Button("New conversation", elem_id="lmcs-new")
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
                doc_filter = gr.Dropdown(
                    choices=ui.document_choices(),
                    multiselect=True,
                    label="Only search these documents (empty: all)",
                    elem_id="lmcs-filter",
                )
            with gr.Column(scale=2, min_width=300):
                sources = gr.HTML(NO_SOURCES, elem_id="lmcs-sources")
                open_choice = gr.Radio(choices=[], label="Open a cited document", elem_id="lmcs-open")
                document = gr.HTML("", elem_id="lmcs-document")
        with gr.Accordion("Feedback and export", open=False):
            with gr.Row():
                comment = gr.Textbox(label="Comment on the last answer (optional)", lines=2, scale=3)
                with gr.Column(scale=1):
                    up_btn = gr.Button("👍 Helpful", elem_id="lmcs-up")
                    down_btn = gr.Button("👎 Not helpful", elem_id="lmcs-down")
            feedback_status = gr.Markdown("", elem_id="lmcs-feedback-status")
            with gr.Row():
                md_btn = gr.Button("Export conversation as Markdown", elem_id="lmcs-export-md")
                pdf_btn = gr.Button("Export conversation as PDF", elem_id="lmcs-export-pdf")
            export_file = gr.File(label="Download", interactive=False, elem_id="lmcs-export-file")
        with gr.Accordion("Add documents", open=False, elem_id="lmcs-add"):
            uploads = gr.File(
                label="Files (PDF, Word, HTML, Markdown, text)", file_count="multiple", file_types=UPLOAD_TYPES
            )
            authority = gr.Textbox(label="Council (authority) for these files", placeholder="e.g. Anytown Council")
            add_btn = gr.Button("Add to the index")
            add_status = gr.Markdown("")

    def chat_turn(
        message: str, chat: list, state: list, wording: bool, docs: list[str] | None, who: str
    ) -> Iterator[tuple]:
        message = message or ""
        keep = (gr.update(), gr.update(), gr.update(), "")
        generate = who != EXTRACTIVE and not wording  # statutory wording is verbatim only
        written, answer = "", None
        shown_question = message[:300] + ("…" if len(message) > 300 else "")
        for kind, value in ui.answer_stream(message, state, docs, generate):
            if kind == "error":
                chat = [*chat, {"role": "user", "content": shown_question}]
                yield [*chat, {"role": "assistant", "content": f"⚠️ {value}"}], state, *keep
                return
            if kind == "delta":  # the model's words as they arrive, before they are checked
                written += value
                pending = [{"role": "user", "content": shown_question}]
                yield (
                    [*chat, *pending, {"role": "assistant", "content": f"{written}\n\n_(checking…)_"}],
                    state,
                    *keep,
                )
            else:
                answer = value
        assert answer is not None
        chat = [*chat, {"role": "user", "content": answer.question}]  # as the chain redacted it
        text = ui.display(answer, wording)
        if answer.backend != "extractive":
            text += f"\n\n_Answered by: {answer.backend}_"
        if not written:
            shown = ""
            for line in text.splitlines(keepends=True):  # extractive: stream line by line
                shown += line
                yield [*chat, {"role": "assistant", "content": shown}], state, *keep
        state = [*state, turn_of(answer)]
        cited = answer.citations or answer.nearest
        choices = [f"[{c.n}] {c.title}" for c in cited]
        yield (
            [*chat, {"role": "assistant", "content": text}],
            state,
            ui.sources(answer),
            gr.update(choices=choices, value=None),
            "",
            "",
        )

    outputs = [chatbot, turns, sources, open_choice, question, document]
    inputs = [question, chatbot, turns, statutory, doc_filter, answerer]
    ask_btn.click(chat_turn, inputs, outputs, api_visibility="private")
    question.submit(chat_turn, inputs, outputs, api_visibility="private")
    for btn, q in zip(starter_btns, STARTERS, strict=True):
        btn.click(lambda q=q: q, None, question, api_visibility="private").then(
            chat_turn, inputs, outputs, api_visibility="private"
        )

    def clear() -> tuple:
        return [], [], NO_SOURCES, gr.update(choices=[], value=None), "", ""

    new_btn.click(
        clear, None, [chatbot, turns, sources, open_choice, document, feedback_status], api_visibility="private"
    )
    open_choice.change(ui.open_document, [turns, open_choice], document, api_visibility="private").then(
        None, None, None, js=SCROLL_TO_HIGHLIGHT
    )

    def thumbs(rating: int):  # type: ignore[no-untyped-def]
        def give(state: list, note: str, request: gr.Request) -> tuple[str, str]:
            return ui.record_feedback(state, len(state) - 1, rating, note or "", _user(request)), ""

        return give

    up_btn.click(thumbs(1), [turns, comment], [feedback_status, comment], api_visibility="private")
    down_btn.click(thumbs(-1), [turns, comment], [feedback_status, comment], api_visibility="private")

    def liked(state: list, data: gr.LikeData, request: gr.Request) -> str:
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        return ui.record_feedback(state, int(index) // 2, 1 if data.liked else -1, "", _user(request))

    chatbot.like(liked, [turns], feedback_status, api_visibility="private")
    md_btn.click(lambda s: ui.export(s, "md"), turns, export_file, api_visibility="private")
    pdf_btn.click(lambda s: ui.export(s, "pdf"), turns, export_file, api_visibility="private")

    def add(files: list | None, council: str, request: gr.Request) -> tuple[str, Any]:
        paths = [f if isinstance(f, str) else f.name for f in files or []]
        status = ui.add_documents(paths, council or "", _user(request) or None)
        return status, gr.update(choices=ui.document_choices())

    add_btn.click(add, [uploads, authority], [add_status, doc_filter], api_visibility="private")

    def api_ask(question: str, history: list | None = None, doc_ids: list | None = None) -> dict[str, Any]:
        """Ask one question; the answer as JSON with verbatim citations."""
        turns_in = []
        for t in history or []:
            if isinstance(t, dict) and t.get("role") == "user":
                turns_in.append({"question": _text(t.get("content", "")), "answer": ""})
        answer, error = ui.answer(question, turns_in, doc_ids)
        if answer is None:
            return {"error": error}
        return answer.to_dict()

    gr.api(api_ask, api_name="ask")
