"""The chat UI (Gradio Blocks). It calls the answer pipeline like any other client.

Chat with streamed answers beside a sources panel; statutory wording mode; starter
questions; a document filter; feedback; Markdown/PDF export; an "Add documents" panel
(admin-only when login is on).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

import index  # noqa: F401  (analytics off before gradio is imported)
from assistant.auth import AuthFile
from assistant.compare import compare, compare_markdown, coverage, coverage_markdown, coverage_png
from assistant.export import conversation_markdown, conversation_pdf
from assistant.feedback import FeedbackStore
from assistant.pipeline import Assistant, IndexEmptyError, QuestionError
from assistant.present import document_html, source_line, sources_html, to_statutory_markdown
from assistant.privacy import NOTICE, Redactor, notice_for
from assistant.settings import PROJECT_ROOT
from assistant.training import (
    BANK_NAME,
    Bank,
    BankQuestion,
    QuizSession,
    handout_docx,
    handout_markdown,
    handout_pdf,
    mark,
)
from assistant.types import Answer
from index.store import StoreUnavailableError

STARTERS = [
    "What must I do as LMCS?",
    "What is corporate parenting?",
    "What is my role on the safeguarding partnership?",
]
EXTRACTIVE = "Quotes only (no language model)"
TAGLINE = "The duties of a council's Lead Member for Children's Services, quoted from the documents."
UPLOAD_TYPES = [".pdf", ".docx", ".html", ".htm", ".md", ".txt"]
CSS = """
mark { background: #ffe066; color: #111; padding: 0 .1em; }
.lmcs-sources { padding-left: 1.2em; }
.lmcs-where { margin: .6rem 0 .3rem; font-weight: 500; }
.lmcs-passage { line-height: 1.5; margin: 0 0 .8rem; padding-left: .8rem; border-left: 3px solid #8a8a8a; }
.lmcs-document { line-height: 1.55; max-height: 32rem; overflow-y: auto; }
.lmcs-h { font-size: 1.1rem; margin: .2rem 0 .6rem; }
#lmcs-notice { font-size: .95rem; }
"""
SCROLL_TO_HIGHLIGHT = (
    "() => { const el = document.getElementById('lmcs-highlight'); if (el) { el.scrollIntoView({block: 'center'}); } }"
)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # gradio may send content as a list of parts
        return " ".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content)


def history_of(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for t in turns:
        out += [{"role": "user", "content": t["question"]}, {"role": "assistant", "content": t["answer"]}]
    return out


def turn_of(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "citations": [c.to_dict() for c in answer.citations],
        "nearest": [c.to_dict() for c in answer.nearest],
    }


def safe_upload_name(name: str) -> str:
    """A file name that cannot leave the uploads folder: no path parts, no hidden files."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).lstrip(".-") or "document"
    return base[:120]


class ChatUI:
    """The UI's behaviour, separate from its layout so it can be tested without a browser."""

    def __init__(
        self,
        assistant: Assistant,
        data_dir: Path,
        auth: AuthFile | None = None,
        corpus_dir: Path | None = None,
        max_file_bytes: int = 50_000_000,
        retention_days: int = 90,
    ) -> None:
        self.assistant = assistant
        self.data_dir = Path(data_dir)
        self.auth = auth
        self.corpus_dir = corpus_dir
        self.max_file_bytes = max_file_bytes
        places = {d.authority for d in assistant.documents().values() if d.authority}
        self.redactor = Redactor(allow=places | {w for p in places for w in p.split()})
        self.feedback = FeedbackStore.in_data_dir(self.data_dir, redact=self.redactor.redact)
        self.feedback.purge(retention_days)
        self.exports = Path(tempfile.mkdtemp(prefix="lmcs-exports-"))
        bank_path = (corpus_dir or PROJECT_ROOT / "corpus") / BANK_NAME
        self.bank = Bank.load(bank_path) if bank_path.exists() else None
        # The name detector takes seconds to load: start now, not on the first question.
        threading.Thread(target=self.redactor.kinds, args=("Warm up the detector, Alice.",), daemon=True).start()

    # --- asking ----------------------------------------------------------------------

    def answer(
        self, question: str, turns: list[dict[str, Any]], doc_ids: list[str] | None = None, generate: bool = True
    ) -> tuple[Answer | None, str]:
        """(answer, error message): errors are shown to the user, never raised."""
        for kind, value in self.answer_stream(question, turns, doc_ids, generate):
            if kind == "answer":
                return value, ""
            if kind == "error":
                return None, value
        return None, "No answer."

    def answer_stream(
        self, question: str, turns: list[dict[str, Any]], doc_ids: list[str] | None = None, generate: bool = True
    ) -> Iterator[tuple[str, Any]]:
        """("delta", text)… then ("answer", Answer) or ("error", message). Personal details in the
        question are left out of what is asked, logged or stored."""
        kinds = self.redactor.kinds(question) if isinstance(question, str) else []
        asked = self.redactor.general_question(question) if kinds else question
        try:
            for kind, value in self.assistant.ask_stream(asked, history_of(turns), doc_ids or None, generate=generate):
                if kind == "answer":
                    if kinds:
                        value.notice = f"{notice_for(kinds)} {value.notice}".strip()
                    self.feedback.log_question(question, value.abstained, len(value.citations), kinds)
                yield kind, value
        except (QuestionError, IndexEmptyError, StoreUnavailableError) as exc:
            yield "error", str(exc)

    @property
    def model_name(self) -> str | None:
        return self.assistant.generator.name if self.assistant.generator else None

    def display(self, answer: Answer, statutory: bool) -> str:
        text = to_statutory_markdown(answer) if statutory else answer.answer
        if answer.notice:
            text += f"\n\n_{answer.notice.strip()}_"
        return text

    def sources(self, answer: Answer) -> str:
        cited = answer.citations or answer.nearest
        return sources_html(answer, self.assistant.texts({c.doc_id for c in cited}))

    def open_document(self, turns: list[dict[str, Any]], choice: str | None) -> str:
        if not turns or not choice:
            return ""
        last = turns[-1]
        cited = last["citations"] or last["nearest"]
        n = int(choice.split(" ", 1)[0].strip("[]"))
        c = next((c for c in cited if c["n"] == n), None)
        if c is None:
            return ""
        text = self.assistant.texts({c["doc_id"]}).get(c["doc_id"], "")
        return document_html(c["title"], c["authority"], text, c["start"], c["end"])

    # --- feedback and export ---------------------------------------------------------

    def record_feedback(self, turns: list[dict[str, Any]], turn: int, rating: int, comment: str, user: str) -> str:
        if not turns or not 0 <= turn < len(turns):
            return "There is no answer to give feedback on yet."
        t = turns[turn]
        self.feedback.add(t["question"], t["answer"], t["citations"], rating, comment, user)
        return "Thank you: your feedback was saved."

    def export(self, turns: list[dict[str, Any]], kind: str) -> str | None:
        if not turns:
            return None
        path = self.exports / f"lmcs-conversation.{kind}"
        turns = [t | {"question": self.redactor.redact(t["question"])} for t in turns]
        if kind == "md":
            path.write_text(conversation_markdown(turns), encoding="utf-8")
        else:
            conversation_pdf(turns, path)
        return str(path)

    # --- trainers and reviewers -------------------------------------------------------

    def quiz_start(self, theme: str | None) -> tuple[dict[str, Any], str, str, str]:
        assert self.bank is not None
        pool = self.bank.by_theme(theme or None)
        state = {"ids": [q.id for q in pool], "at": 0, "results": []}
        return state, self._quiz_prompt(state), "", ""

    def _quiz_question(self, state: dict[str, Any]) -> BankQuestion | None:
        if not self.bank or not state.get("ids") or state["at"] >= len(state["ids"]):
            return None
        return next(q for q in self.bank.questions if q.id == state["ids"][state["at"]])

    def _quiz_prompt(self, state: dict[str, Any]) -> str:
        q = self._quiz_question(state)
        if q is None:
            return "Choose a theme and press **Start quiz**."
        return f"**Question {state['at'] + 1} of {len(state['ids'])}** — {q.question}"

    def quiz_reveal(self, state: dict[str, Any], reply: str) -> tuple[dict[str, Any], str]:
        q = self._quiz_question(state)
        if q is None:
            return state, "Start a quiz first."
        marks = mark(reply or "", q.key_points)
        state = {**state, "results": [*state["results"], [q.id, marks]]}
        ticks = "\n".join(f"- {'✅' if hit else '⬜'} {k}" for k, hit in marks.items())
        quotes = "\n\n".join(f"> {c.quote}\n\n— [{c.n}] *{source_line(c)}*" for c in q.citations)
        return state, f"**Model answer**\n\n{q.answer}\n\n{quotes}\n\n**Key points you covered**\n\n{ticks}"

    def quiz_next(self, state: dict[str, Any]) -> tuple[dict[str, Any], str, str, str]:
        if not state.get("ids"):
            return state, self._quiz_prompt(state), "", ""
        state = {**state, "at": state["at"] + 1}
        if state["at"] >= len(state["ids"]):
            return state, "**Quiz finished.**", "", self.quiz_summary(state)
        return state, self._quiz_prompt(state), "", ""

    def quiz_summary(self, state: dict[str, Any]) -> str:
        assert self.bank is not None
        by_id = {q.id: q for q in self.bank.questions}
        session = QuizSession([by_id[i] for i in state["ids"]])
        session.results = [(by_id[i], marks) for i, marks in state["results"]]
        return session.summary()

    def handout(self, theme: str | None, fmt: str) -> str | None:
        if self.bank is None:
            return None
        path = self.exports / f"induction-pack.{fmt}"
        if fmt == "md":
            path.write_text(handout_markdown(self.bank, theme or None), encoding="utf-8")
        elif fmt == "pdf":
            handout_pdf(self.bank, path, theme or None)
        else:
            handout_docx(self.bank, path, theme or None)
        return str(path)

    def compare_markdown(self, topic: str) -> str:
        if not (topic or "").strip():
            return "Type a topic, e.g. corporate parenting."
        return compare_markdown(topic.strip(), compare(self.assistant, topic.strip()))

    def coverage_map(self) -> tuple[str, str]:
        docs, grid = coverage(self.assistant)
        image = coverage_png(docs, grid, self.exports / "coverage.png")
        return str(image), coverage_markdown(docs, grid)

    # --- documents -------------------------------------------------------------------

    def document_choices(self) -> list[tuple[str, str]]:
        docs = self.assistant.documents().values()
        return sorted(((f"{d.authority or 'No authority'} — {d.title}", d.doc_id) for d in docs), key=lambda x: x[0])

    def may_add_documents(self, username: str | None) -> bool:
        return self.auth is None or self.auth.is_admin(username)

    def add_documents(self, paths: list[str], authority: str, username: str | None) -> str:
        from index.load import Loader, read_manifest
        from index.pipeline import Indexer

        if not self.may_add_documents(username):
            return "Only an administrator can add documents."
        if not paths:
            return "Choose one or more files first."
        uploads = self.data_dir / "uploads"
        uploads.mkdir(parents=True, exist_ok=True)
        copied = []
        for p in paths:
            target = uploads / safe_upload_name(Path(p).name)
            if target.resolve().parent != uploads.resolve():  # belt and braces
                return f"Refused a file name: {Path(p).name}"
            shutil.copyfile(p, target)
            copied.append(target)
        manifest = read_manifest(self.corpus_dir) if self.corpus_dir else {}
        loader = Loader(manifest, max_bytes=self.max_file_bytes, overrides={"authority": authority.strip()})
        report = Indexer(self.assistant.store, self.assistant.embedder, loader).run(copied)
        return report.summary().replace(str(uploads) + "/", "")


def build_ui(ui: ChatUI | Assistant, data_dir: Path | None = None):  # type: ignore[no-untyped-def]
    """The Blocks app. `build_ui(assistant)` works for a quick local UI with default settings."""
    if isinstance(ui, Assistant):
        ui = ChatUI(ui, data_dir or Path(".lmcs"))

    with gr.Blocks(title="LMCS Assistant") as demo:
        turns = gr.State([])
        gr.Markdown(f"# LMCS Assistant\n{TAGLINE}")
        gr.Markdown(NOTICE, elem_id="lmcs-notice")
        with gr.Tabs():
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
                            max_length=ui.assistant.max_question_chars,
                            elem_id="lmcs-question",
                        )
                        with gr.Row():
                            ask_btn = gr.Button("Ask", variant="primary", elem_id="lmcs-ask")
                            new_btn = gr.Button("New conversation", elem_id="lmcs-new")
                        with gr.Row():
                            statutory = gr.Checkbox(
                                label="Statutory wording mode (verbatim passages only)",
                                value=False,
                                elem_id="lmcs-statutory",
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
                        sources = gr.HTML("<p>Sources for each answer appear here.</p>", elem_id="lmcs-sources")
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
                    authority = gr.Textbox(
                        label="Council (authority) for these files", placeholder="e.g. Anytown Council"
                    )
                    add_btn = gr.Button("Add to the index")
                    add_status = gr.Markdown("")
            _trainer_tabs(ui)

        def chat_turn(
            message: str, chat: list, state: list, wording: bool, docs: list[str] | None, answerer: str
        ) -> Iterator[tuple]:
            message = message or ""
            chat = [*chat, {"role": "user", "content": message}]
            keep = (gr.update(), gr.update(), "", "")
            generate = answerer != EXTRACTIVE and not wording  # statutory wording is verbatim only
            written, answer = "", None
            for kind, value in ui.answer_stream(message, state, docs, generate):
                if kind == "error":
                    yield [*chat, {"role": "assistant", "content": f"⚠️ {value}"}], state, *keep
                    return
                if kind == "delta":  # the model's words as they arrive, before they are checked
                    written += value
                    yield (
                        [*chat, {"role": "assistant", "content": f"{written}\n\n_(checking against the documents…)_"}],
                        state,
                        *keep,
                    )
                else:
                    answer = value
            assert answer is not None
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
            return [], [], "<p>Sources for each answer appear here.</p>", gr.update(choices=[], value=None), "", ""

        new_btn.click(
            clear, None, [chatbot, turns, sources, open_choice, document, feedback_status], api_visibility="private"
        )
        open_choice.change(ui.open_document, [turns, open_choice], document, api_visibility="private").then(
            None, None, None, js=SCROLL_TO_HIGHLIGHT
        )

        def thumbs_up(state: list, note: str, request: gr.Request) -> tuple[str, str]:
            return ui.record_feedback(state, len(state) - 1, 1, note or "", _user(request)), ""

        def thumbs_down(state: list, note: str, request: gr.Request) -> tuple[str, str]:
            return ui.record_feedback(state, len(state) - 1, -1, note or "", _user(request)), ""

        up_btn.click(thumbs_up, [turns, comment], [feedback_status, comment], api_visibility="private")
        down_btn.click(thumbs_down, [turns, comment], [feedback_status, comment], api_visibility="private")

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
            return answer.to_dict() | {"question": answer.question}

        gr.api(api_ask, api_name="ask")
    return demo


def _trainer_tabs(ui: ChatUI) -> None:
    """Induction quiz, handouts, council comparison and the duty coverage map."""
    bank = ui.bank
    themes = [("All themes", "")] + [(label, key) for key, label in (bank.themes.items() if bank else [])]
    with gr.Tab("Induction quiz", id="quiz"):
        if bank is None:
            gr.Markdown("No question bank found (corpus/induction-bank.toml).")
            return
        quiz = gr.State({})
        with gr.Row():
            theme = gr.Dropdown(choices=themes, value="", label="Theme", elem_id="lmcs-quiz-theme")
            start = gr.Button("Start quiz", variant="primary", elem_id="lmcs-quiz-start")
        prompt = gr.Markdown("", elem_id="lmcs-quiz-question")
        reply = gr.Textbox(label="Your answer, in your own words", lines=4, elem_id="lmcs-quiz-answer")
        with gr.Row():
            reveal = gr.Button("Reveal the model answer", elem_id="lmcs-quiz-reveal")
            nxt = gr.Button("Next question", elem_id="lmcs-quiz-next")
        result = gr.Markdown("", elem_id="lmcs-quiz-result")
        gr.Markdown("**Printable induction pack** for the chosen theme")
        with gr.Row():
            pack_buttons = [
                gr.Button(f"Handout ({fmt.upper()})", elem_id=f"lmcs-handout-{fmt}") for fmt in ("pdf", "docx", "md")
            ]
        pack = gr.File(label="Induction pack", interactive=False, elem_id="lmcs-handout-file")

        start.click(ui.quiz_start, theme, [quiz, prompt, reply, result], api_visibility="private")
        reveal.click(ui.quiz_reveal, [quiz, reply], [quiz, result], api_visibility="private")
        nxt.click(ui.quiz_next, quiz, [quiz, prompt, reply, result], api_visibility="private")
        for btn, fmt in zip(pack_buttons, ("pdf", "docx", "md"), strict=True):
            btn.click(lambda t, fmt=fmt: ui.handout(t, fmt), theme, pack, api_visibility="private")

        def quiz_question(number: int, theme: str = "") -> dict[str, Any]:
            """Bank question `number` (0-based) of a theme: id and text."""
            pool = bank.by_theme(theme or None)
            q = pool[int(number) % len(pool)]
            return {"id": q.id, "question": q.question, "theme": q.theme, "count": len(pool)}

        def quiz_mark(question_id: str, answer: str) -> dict[str, Any]:
            """Mark an answer: the cited model answer and which key points it covered."""
            q = next(q for q in bank.questions if q.id == question_id)
            return {
                "model_answer": q.answer,
                "citations": [c.to_dict() for c in q.citations],
                "key_points": mark(answer or "", q.key_points),
            }

        gr.api(quiz_question, api_name="quiz_question")
        gr.api(quiz_mark, api_name="quiz_mark")

    with gr.Tab("Compare councils", id="compare"):
        topic = gr.Textbox(label="Topic", placeholder="e.g. corporate parenting", elem_id="lmcs-compare-topic")
        go = gr.Button("Compare", variant="primary", elem_id="lmcs-compare-go")
        table = gr.Markdown("", elem_id="lmcs-compare-table")
        go.click(ui.compare_markdown, topic, table, api_name="compare")
        topic.submit(ui.compare_markdown, topic, table, api_visibility="private")

    with gr.Tab("Duty coverage map", id="coverage"):
        gr.Markdown("Each statutory responsibility of the LMCS, as the corpus states them, against each document.")
        build = gr.Button("Build the coverage map", variant="primary", elem_id="lmcs-coverage-go")
        heat = gr.Image(label="Coverage heat map", type="filepath", elem_id="lmcs-coverage-image")
        grid = gr.Markdown("", elem_id="lmcs-coverage-table")
        build.click(ui.coverage_map, None, [heat, grid], api_visibility="private")


def _user(request: gr.Request | None) -> str:
    return str(getattr(request, "username", None) or "")


def launch(ui: ChatUI, host: str, port: int, prevent_thread_lock: bool = False, quiet: bool = False):  # type: ignore[no-untyped-def]
    """Serve the UI: with login when an auth file is configured, else on loopback only."""
    demo = build_ui(ui)
    auth = ui.auth.check if ui.auth else None
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
