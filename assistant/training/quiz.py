"""Quiz marking: which of a question's key points a participant's answer covers."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.chain.verify import containment
from assistant.training.bank import BankQuestion

KEY_POINT_COVERED = 0.5  # share of a key point's content words found in the participant's answer


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
