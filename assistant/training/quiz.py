"""Quiz marking and a participant's run through some bank questions."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.training.bank import BankQuestion
from assistant.training.marking import Marker

NO_ANSWER = "no answer given"
_WORDS_ONLY = Marker()


def mark(participant_answer: str, key_points: list[str], marker: Marker | None = None) -> dict[str, bool]:
    """Which key points a participant's answer covers, by words and (with an embedder) by meaning."""
    return (marker or _WORDS_ONLY).mark(participant_answer or "", key_points)


def answered(participant_answer: str | None) -> bool:
    return bool((participant_answer or "").strip())


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass
class QuizSession:
    """One participant's run through some bank questions. An empty answer is "no answer given", not 0."""

    questions: list[BankQuestion]
    marker: Marker | None = None
    results: list[tuple[BankQuestion, dict[str, bool] | None]] = field(default_factory=list)

    def record(self, q: BankQuestion, participant_answer: str) -> dict[str, bool] | None:
        marks = mark(participant_answer, q.key_points, self.marker) if answered(participant_answer) else None
        self.results.append((q, marks))
        return marks

    def summary(self) -> str:
        if not self.results:
            return "No questions answered yet."
        done = [(q, m) for q, m in self.results if m is not None]
        skipped = len(self.results) - len(done)
        if not done:
            return f"No answers given to {plural(skipped, 'question')}."
        covered = sum(sum(m.values()) for _, m in done)
        total = sum(len(m) for _, m in done)
        line = f"You covered {covered} of {plural(total, 'key point')} over {plural(len(done), 'question')}"
        line += f" ({plural(skipped, 'question')} with no answer given)." if skipped else "."
        lines = [line]
        for q, marks in self.results:
            if marks is None:
                lines.append(f"- {q.question}: {NO_ANSWER}")
                continue
            missed = [k for k, hit in marks.items() if not hit]
            note = f" (missed: {', '.join(missed)})" if missed else ""
            lines.append(f"- {q.question} {sum(marks.values())}/{len(marks)}{note}")
        return "\n".join(lines)
