"""For trainers: the induction question bank (questions by theme, key points, model answers).

The bank (`corpus/induction-bank.toml`) is data a trainer edits. Model answers in it
are produced by the assistant itself (`lmcs bank refresh`), so a trainer reviews
exactly what participants will see; every quote in them is checked against the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.chain.pipeline import AnswerChain
from assistant.types import Citation

BANK_NAME = "induction-bank.toml"


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
                citations=[Citation.from_dict(c) for c in q.get("citation", [])],
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

    def refresh(self, assistant: AnswerChain) -> int:
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
