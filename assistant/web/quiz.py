"""The Induction quiz tab: a question from the bank, the participant's answer, the cited model answer,
the key points covered; and the printable handouts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.present import escape_markdown, safe_markdown, source_line
from assistant.training.bank import Bank, BankQuestion
from assistant.training.handout import handout_docx, handout_markdown, handout_pdf
from assistant.training.marking import Marker
from assistant.training.quiz import NO_ANSWER, QuizSession, answered, mark


class QuizUI:
    """The quiz's state machine, kept in a gr.State dict: {"ids", "at", "results"}."""

    def __init__(self, bank: Bank | None, exports: Path, marker: Marker | None = None) -> None:
        self.bank = bank
        self.exports = exports
        self.marker = marker  # marks by meaning as well as words when it has an embedder

    def start(self, theme: str | None) -> tuple[dict[str, Any], str, str, str]:
        assert self.bank is not None
        pool = self.bank.by_theme(theme or None)
        state = {"ids": [q.id for q in pool], "at": 0, "results": []}
        return state, self._prompt(state), "", ""

    def _question(self, state: dict[str, Any]) -> BankQuestion | None:
        if not self.bank or not state.get("ids") or state["at"] >= len(state["ids"]):
            return None
        return next(q for q in self.bank.questions if q.id == state["ids"][state["at"]])

    def _prompt(self, state: dict[str, Any]) -> str:
        q = self._question(state)
        if q is None:
            return "Choose a theme and press **Start quiz**."
        return f"**Question {state['at'] + 1} of {len(state['ids'])}** — {q.question}"

    def reveal(self, state: dict[str, Any], reply: str) -> tuple[dict[str, Any], str]:
        q = self._question(state)
        if q is None:
            return state, "Start a quiz first."
        marks = mark(reply, q.key_points, self.marker) if answered(reply) else None
        state = {**state, "results": [*state["results"], [q.id, marks]]}
        if marks is None:
            ticks = f"_{NO_ANSWER.capitalize()}._ The key points were: " + "; ".join(q.key_points) + "."
        else:
            ticks = "\n".join(f"- {'✅ covered' if hit else '⬜ not covered'}: {k}" for k, hit in marks.items())
        # The model answer already carries each quote with its [n]; the sources list gives where each is from.
        refs = "\n".join(f"{c.n}. {escape_markdown(source_line(c))}" for c in q.citations)
        return (
            state,
            f"**Model answer**\n\n{safe_markdown(q.answer)}\n\n**Sources**\n\n{refs}\n\n**Key points**\n\n{ticks}",
        )

    def next(self, state: dict[str, Any]) -> tuple[dict[str, Any], str, str, str]:
        if not state.get("ids"):
            return state, self._prompt(state), "", ""
        state = {**state, "at": state["at"] + 1}
        if state["at"] >= len(state["ids"]):
            return state, "**Quiz finished.**", "", self.summary(state)
        return state, self._prompt(state), "", ""

    def summary(self, state: dict[str, Any]) -> str:
        assert self.bank is not None
        by_id = {q.id: q for q in self.bank.questions}
        session = QuizSession([by_id[i] for i in state["ids"]], self.marker)
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


def quiz_tab(quiz_ui: QuizUI) -> list[Callable[..., Any]]:
    """The tab, and its HTTP API functions (for build_ui to register outside gr.Tabs)."""
    bank = quiz_ui.bank
    themes = [("All themes", "")] + [(label, key) for key, label in (bank.themes.items() if bank else [])]
    with gr.Tab("Induction quiz", id="quiz"):
        quiz = gr.State({})  # inside the tab: anything else directly under gr.Tabs is taken for a tab
        if bank is None:
            gr.Markdown("No question bank found (corpus/induction-bank.toml).")
            return []
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
        # Hidden until there is a file: Gradio's empty file box carries an aria-label axe rejects.
        pack = gr.File(label="Induction pack", interactive=False, visible=False, elem_id="lmcs-handout-file")

        start.click(quiz_ui.start, theme, [quiz, prompt, reply, result], api_visibility="private")
        reveal.click(quiz_ui.reveal, [quiz, reply], [quiz, result], api_visibility="private")
        nxt.click(quiz_ui.next, quiz, [quiz, prompt, reply, result], api_visibility="private")
        for btn, fmt in zip(pack_buttons, ("pdf", "docx", "md"), strict=True):
            btn.click(
                lambda t, fmt=fmt: gr.update(value=quiz_ui.handout(t, fmt), visible=True),
                theme,
                pack,
                api_visibility="private",
            )

        def quiz_question(number: int, theme: str = "") -> dict[str, Any]:
            """Bank question `number` (0-based) of a theme: id and text."""
            pool = bank.by_theme(theme or None)
            q = pool[int(number) % len(pool)]
            return {"id": q.id, "question": q.question, "theme": q.theme, "count": len(pool)}

        def quiz_mark(question_id: str, answer: str) -> dict[str, Any]:
            """Mark an answer: the cited model answer and which key points it covered."""
            q = next(q for q in bank.questions if q.id == question_id)
            given = answered(answer)
            return {
                "model_answer": q.answer,
                "citations": [c.to_dict() for c in q.citations],
                "answered": given,  # false: "no answer given", not a score of 0
                "key_points": mark(answer, q.key_points, quiz_ui.marker) if given else {k: False for k in q.key_points},
            }

        return [quiz_question, quiz_mark]
