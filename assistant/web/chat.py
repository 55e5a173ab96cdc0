"""The Ask tab's behaviour: asking, sources, documents, feedback, export, upload.

Kept apart from the layout (`ask_tab.py`) so it can be tested without a browser. Every
question goes through the service, so the page behaves exactly like `lmcs ask`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.errors import USER_ERRORS
from assistant.export import conversation_markdown, conversation_pdf
from assistant.present import chat_markdown, document_html, plain_text, sources_html
from assistant.service import Service
from assistant.types import Answer, Delta, Final


def history_of(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for t in answered(turns):
        out += [{"role": "user", "content": t["question"]}, {"role": "assistant", "content": t["answer"]}]
    return out


def turn_of(answer: Answer) -> dict[str, Any]:
    """What the page keeps of an answer (the question as redacted by the chain)."""
    return {
        "question": answer.question,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "citations": [c.to_dict() for c in answer.citations],
        "nearest": [c.to_dict() for c in answer.nearest],
        "id": answer.id,
    }


def refused_turn(message: str) -> dict[str, Any]:
    """What the page keeps of a question it did not answer: a place in the conversation, so that
    turn n of the page is turn n of the state (feedback on the chat's rows finds the right answer),
    and nothing of the question (it may be what was refused)."""
    return {"question": "", "answer": "", "error": message, "abstained": True, "citations": [], "nearest": [], "id": ""}


def answered(turns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The turns that have an answer: what the model sees as history and what an export holds."""
    return [t for t in turns if not t.get("error")]


def safe_upload_name(name: str) -> str:
    """A file name that cannot leave the uploads folder: no path parts, no hidden files."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).lstrip(".-") or "document"
    return base[:120]


class ChatUI:
    """The page's behaviour around one service."""

    def __init__(self, service: Service, login: bool = False) -> None:
        from assistant.training.bank import BANK_NAME, Bank

        self.service = service
        self.login = login  # users sign in (the records database has users)
        self.data_dir = Path(service.settings.data_dir)
        # In `lmcs serve`'s private temp folder; removed with this object or at exit when used alone.
        self.exports = Path(tempfile.mkdtemp(prefix="lmcs-exports-"))
        weakref.finalize(self, shutil.rmtree, self.exports, True)
        if service.records is not None:
            service.records.purge(service.settings.retention_days)
        bank_path = service.settings.corpus_dir / BANK_NAME
        self.bank = Bank.load(bank_path) if bank_path.exists() else None

    # --- asking ----------------------------------------------------------------------

    def answer(
        self,
        question: str,
        turns: list[dict[str, Any]],
        doc_ids: list[str] | None = None,
        generate: bool = True,
        user: str = "",
    ) -> tuple[Answer | None, str]:
        """(answer, error message): errors are shown to the user, never raised."""
        for kind, value in self.answer_stream(question, turns, doc_ids, generate, user):
            if kind == "answer":
                return value, ""
            if kind == "error":
                return None, value
        return None, "No answer."

    def answer_stream(
        self,
        question: str,
        turns: list[dict[str, Any]],
        doc_ids: list[str] | None = None,
        generate: bool = True,
        user: str = "",
    ) -> Iterator[tuple[str, Any]]:
        """("delta", text)… then ("answer", Answer) or ("error", message)."""
        try:
            for event in self.service.stream(question, history_of(turns), doc_ids or None, generate, user):
                if isinstance(event, Delta):
                    yield "delta", event.text
                elif isinstance(event, Final):
                    yield "answer", event.answer
        except USER_ERRORS as exc:
            yield "error", str(exc)

    @property
    def model_name(self) -> str | None:
        return self.service.model_name

    def display(self, answer: Answer, statutory: bool) -> str:
        """The answer as the chat shows it: document text escaped, each [n] a link to its source."""
        legislation = any(d.kind == "legislation" for d in self.service.documents().values())
        return chat_markdown(answer, statutory, legislation_indexed=legislation)

    def plain(self, answer: Answer) -> str:
        """What "Copy answer" copies: plain text with the references written out."""
        return plain_text(answer)

    def sources(self, answer: Answer) -> str:
        cited = answer.citations or answer.nearest
        return sources_html(answer, self.service.texts({c.doc_id for c in cited}))

    @staticmethod
    def cited_documents(answer: Answer) -> list[tuple[str, str]]:
        """ "Open a cited document" choices: each document once, with the numbers that quote it."""
        cited = answer.citations or answer.nearest
        numbers: dict[str, list[int]] = {}
        first: dict[str, Any] = {}
        for c in cited:
            numbers.setdefault(c.doc_id, []).append(c.n)
            first.setdefault(c.doc_id, c)
        choices = []
        for doc_id, ns in numbers.items():
            c = first[doc_id]
            name = " — ".join(x for x in (c.title, c.authority) if x)
            marks = ", ".join(f"[{n}]" for n in ns)
            choices.append((f"{name} {marks}", str(ns[0])))
        return choices

    def open_document(self, turns: list[dict[str, Any]], choice: str | None) -> str:
        """The whole document of a cited source, every quote from it marked, the chosen one scrolled to."""
        turns = answered(turns)  # the sources panel still shows the last answer after a refused question
        if not turns or not choice:
            return ""
        last = turns[-1]
        cited = last["citations"] or last["nearest"]
        match = re.match(r"\[?(\d+)", str(choice))
        if not match:
            return ""
        c = next((c for c in cited if c["n"] == int(match.group(1))), None)
        if c is None:
            return ""
        text = self.service.texts({c["doc_id"]}).get(c["doc_id"], "")
        others = [(o["start"], o["end"]) for o in cited if o["doc_id"] == c["doc_id"] and o["n"] != c["n"]]
        return document_html(c["title"], c["authority"], text, c["start"], c["end"], others)

    # --- feedback and export ---------------------------------------------------------

    def record_feedback(self, turns: list[dict[str, Any]], turn: int, rating: int, comment: str, user: str) -> str:
        if not turns or not 0 <= turn < len(turns):
            return "There is no answer to give feedback on yet."
        t = turns[turn]
        if t.get("error"):
            return "That question was not answered, so there is nothing to rate."
        self.service.record_feedback(
            t["question"], t["answer"], t["citations"], rating, comment, user, answer_id=t.get("id", "")
        )
        return "Thank you: your feedback was saved."

    def export(self, turns: list[dict[str, Any]], kind: str) -> str | None:
        turns = answered(turns)
        if not turns:
            return None
        path = self.exports / f"lmcs-conversation.{kind}"
        if kind == "md":
            path.write_text(conversation_markdown(turns), encoding="utf-8")
        else:
            conversation_pdf(turns, path)
        return str(path)

    # --- documents -------------------------------------------------------------------

    def document_choices(self) -> list[tuple[str, str]]:
        docs = self.service.documents().values()
        return sorted(((f"{d.authority or 'No authority'} — {d.title}", d.doc_id) for d in docs), key=lambda x: x[0])

    def may_add_documents(self, username: str | None) -> bool:
        records = self.service.records
        return not self.login or (records is not None and records.users.is_admin(username))

    def check_login(self, username: str, password: str) -> bool:
        """Gradio's login check: rate-limited and locked out after repeated failures, on every server."""
        records = self.service.records
        return records is not None and records.login.check(username, password)

    def add_documents(self, paths: list[str], authority: str, username: str | None) -> str:
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
        report = self.service.ingest(copied, overrides={"authority": authority.strip()}, user=username or "")
        for path, _ in report.failed:  # a refused upload is not kept
            Path(path).unlink(missing_ok=True)
        summary = report.summary().replace(str(uploads.resolve()) + "/", "").replace(str(uploads) + "/", "")
        # The command-line way to replace a document is not the page's: say what to do here.
        return re.sub(
            r"use --replace \S+ to replace it, or rename the file", "rename the file and add it again", summary
        )
