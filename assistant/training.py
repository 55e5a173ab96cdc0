"""For trainers: the induction question bank, quiz marking and printable handouts.

The bank (`corpus/induction-bank.toml`) is data a trainer edits. Model answers in it
are produced by the assistant itself (`lmcs bank refresh`), so a trainer reviews
exactly what participants will see; every quote in them is checked against the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from assistant.pipeline import Assistant
from assistant.present import source_line
from assistant.types import Citation
from assistant.verify import containment

BANK_NAME = "induction-bank.toml"
KEY_POINT_COVERED = 0.5  # share of a key point's content words found in the participant's answer


@dataclass
class BankQuestion:
    id: str
    theme: str
    question: str
    key_points: list[str]
    answer: str = ""
    abstained: bool = False
    citations: list[Citation] = field(default_factory=list)

    def turn(self) -> dict[str, Any]:
        """As a conversation turn, for the export functions."""
        return {"question": self.question, "answer": self.answer, "citations": [c.to_dict() for c in self.citations]}


@dataclass
class Bank:
    path: Path
    themes: dict[str, str]
    questions: list[BankQuestion]

    @classmethod
    def load(cls, path: Path) -> Bank:
        import tomlkit

        data = tomlkit.parse(Path(path).read_text(encoding="utf-8")).unwrap()
        questions = [
            BankQuestion(
                id=q["id"],
                theme=q["theme"],
                question=q["question"],
                key_points=list(q.get("key_points", [])),
                answer=q.get("model_answer", ""),
                abstained=bool(q.get("abstained", False)),
                citations=[Citation(**c) for c in q.get("citation", [])],
            )
            for q in data.get("question", [])
        ]
        return cls(Path(path), dict(data.get("themes", {})), questions)

    def by_theme(self, theme: str | None) -> list[BankQuestion]:
        if not theme:
            return list(self.questions)
        if theme not in self.themes:
            raise KeyError(f"no theme '{theme}' (themes: {', '.join(self.themes)})")
        return [q for q in self.questions if q.theme == theme]

    def refresh(self, assistant: Assistant) -> int:
        """Ask the assistant every question and write its answers into the bank file, keeping
        the trainer's own edits and comments. Returns how many answers changed."""
        import tomlkit

        doc = tomlkit.parse(self.path.read_text(encoding="utf-8"))
        changed = 0
        for entry, q in zip(doc["question"], self.questions, strict=True):  # type: ignore[arg-type]
            answer = assistant.ask(q.question)
            cites = [c.to_dict() for c in answer.citations]
            if entry.get("model_answer") != answer.answer:
                changed += 1
            entry["model_answer"] = tomlkit.string(answer.answer, multiline=True)
            entry["abstained"] = answer.abstained
            table = tomlkit.aot()
            for c in cites:
                t = tomlkit.table()
                for k, v in c.items():
                    if v is not None:
                        t.add(k, v)
                table.append(t)
            entry["citation"] = table
            q.answer, q.abstained, q.citations = answer.answer, answer.abstained, list(answer.citations)
        self.path.write_text(tomlkit.dumps(doc), encoding="utf-8")
        return changed


def mark(participant_answer: str, key_points: list[str]) -> dict[str, bool]:
    """Which key points a participant's answer covers (lexical, stemmed: "safeguard" ≈ "safeguarding")."""
    return {kp: containment(kp, participant_answer) >= KEY_POINT_COVERED for kp in key_points}


@dataclass
class QuizSession:
    """One participant's run through some bank questions."""

    questions: list[BankQuestion]
    results: list[tuple[BankQuestion, dict[str, bool]]] = field(default_factory=list)

    def record(self, q: BankQuestion, participant_answer: str) -> dict[str, bool]:
        marks = mark(participant_answer, q.key_points)
        self.results.append((q, marks))
        return marks

    def summary(self) -> str:
        if not self.results:
            return "No questions answered yet."
        covered = sum(sum(m.values()) for _, m in self.results)
        total = sum(len(m) for _, m in self.results)
        lines = [f"You covered {covered} of {total} key points over {len(self.results)} questions."]
        for q, marks in self.results:
            missed = [k for k, hit in marks.items() if not hit]
            note = f" (missed: {', '.join(missed)})" if missed else ""
            lines.append(f"- {q.question} {sum(marks.values())}/{len(marks)}{note}")
        return "\n".join(lines)


# --- handouts ------------------------------------------------------------------------


def handout_markdown(bank: Bank, theme: str | None = None) -> str:
    questions = bank.by_theme(theme)
    title = "Induction pack: the Lead Member for Children's Services"
    label = bank.themes.get(theme, theme) if theme else "All themes"
    out = [f"# {title}", "", f"{label} · {date.today().isoformat()}", ""]
    sources: dict[str, Citation] = {}
    current = None
    for i, q in enumerate(questions, start=1):
        if q.theme != current:
            current = q.theme
            out += [f"## {bank.themes.get(q.theme, q.theme)}", ""]
        out += [f"### {i}. {q.question}", "", q.answer or "_No model answer yet: run `lmcs bank refresh`._", ""]
        if q.key_points:
            out += ["Key points: " + "; ".join(q.key_points), ""]
        for c in q.citations:
            out += [f"> “{c.quote}”  ", f"> — [{c.n}] {source_line(c)}", ""]
            sources.setdefault(c.doc_id, c)
    out += ["## Sources", ""]
    out += [f"- {c.title}" + (f" — {c.authority}" if c.authority else "") for c in sources.values()]
    out += ["", "Quotes are verbatim from the source documents."]
    return "\n".join(out) + "\n"


def handout_pdf(bank: Bank, path: Path, theme: str | None = None) -> Path:
    from assistant.export import conversation_pdf

    turns = [q.turn() for q in bank.by_theme(theme)]
    label = bank.themes.get(theme, theme) if theme else "all themes"
    return conversation_pdf(turns, path, title=f"Induction pack: the Lead Member ({label})")


def handout_docx(bank: Bank, path: Path, theme: str | None = None) -> Path:
    from docx import Document

    doc = Document()
    doc.add_heading("Induction pack: the Lead Member for Children's Services", level=0)
    doc.add_paragraph(f"{bank.themes.get(theme, theme) if theme else 'All themes'} · {date.today().isoformat()}")
    sources: dict[str, Citation] = {}
    for i, q in enumerate(bank.by_theme(theme), start=1):
        doc.add_heading(f"{i}. {q.question}", level=2)
        doc.add_paragraph(q.answer or "No model answer yet.")
        if q.key_points:
            doc.add_paragraph("Key points: " + "; ".join(q.key_points))
        for c in q.citations:
            doc.add_paragraph(f"“{c.quote}”", style="Quote")
            doc.add_paragraph(f"[{c.n}] {source_line(c)}")
            sources.setdefault(c.doc_id, c)
    doc.add_heading("Sources", level=1)
    for c in sources.values():
        doc.add_paragraph(c.title + (f" — {c.authority}" if c.authority else ""), style="List Bullet")
    doc.save(str(path))
    return Path(path)
