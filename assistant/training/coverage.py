"""For reviewers: the duty coverage map, each LMCS duty against each document.

A cell counts only if its quote contains one of the duty's evidence words, so a loosely
related passage shows as a gap rather than a false tick.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from assistant.chain.pipeline import AnswerChain
from assistant.training.compare import Cell, best_cell, label, md_cell
from index.types import Document


# The LMCS's responsibilities as the corpus itself states them (the DfE 2013 guidance-based
# profile and the councils' portfolios): one row each of the coverage map. Each has the
# question asked of every document and the words a quote must contain at least one of
# to count as covering it (so a loosely related passage is a gap, not a false tick).
@dataclass(frozen=True)
class Duty:
    name: str
    query: str
    evidence: tuple[str, ...]


DUTIES: list[Duty] = [
    Duty("Statutory role (Children Act 2004 s19)", "Lead Member role under section 19 of the Children Act 2004",
         ("section 19", "statutory Lead Member", "Children Act 2004")),
    Duty("Accountable for education and social care",
         "political accountability for education and children's social care",
         ("accountab", "political responsibility", "education and children’s social care")),
    Duty("Safeguarding", "safeguarding children", ("safeguarding", "protect", "harm", "safety")),
    Duty("Safeguarding board or partnership", "Local Safeguarding Children Board",
         ("Safeguarding Children", "Safeguarding Board")),
    Duty("Corporate parenting", "corporate parenting of looked after children", ("corporate parent", "looked after")),
    Duty("Placements and leaving care", "placements and leaving care", ("placement", "leave care", "care leavers")),
    Duty("Schools and educational excellence", "schools and educational excellence",
         ("school", "educational", "headteachers")),
    Duty("SEND", "special educational needs and disability", ("SEND", "Special Educational", "Special Education")),
    Duty("Early help and prevention", "early help and prevention", ("early help", "prevention", "early intervention")),
    Duty("Early years", "early years", ("early years",)),
    Duty("Children's participation / UNCRC", "children and young people involved in services and decisions",
         ("involv", "participation", "contribution", "engagement", "UNCRC", "voice")),
    Duty("Partnership working", "working with local partners", ("partner",)),
    Duty("Holding the DCS to account", "holding the Director of Children's Services to account",
         ("Director of Children’s Services", "DCS", "Directorate")),
    Duty("Equality duties", "Equality Act duties", ("Equality Act", "discriminat")),
    Duty("Youth services and youth justice", "youth services and youth offending", ("youth",)),
]  # fmt: skip


def _shows(duty: Duty, text: str) -> bool:
    lower = text.lower().replace("'", "’")
    return any(e.lower() in lower for e in duty.evidence)


def coverage(assistant: AnswerChain, duties: list[Duty] = DUTIES) -> tuple[list[Document], list[list[Cell]]]:
    docs = sorted(assistant.documents().values(), key=label)
    # Any passage that shows the duty counts, however unsure the answerer would be of a
    # question put this way: the evidence words are the test here, not the threshold.
    grid = [
        [best_cell(assistant, duty.query, d, accept=partial(_shows, duty), threshold=-1e9) for d in docs]
        for duty in duties
    ]
    return docs, grid


def coverage_markdown(docs: list[Document], grid: list[list[Cell]], duties: list[Duty] = DUTIES) -> str:
    head = "| Duty | " + " | ".join(md_cell(d.authority or d.title) for d in docs) + " |"
    out = ["## Duty coverage map", "", head, "|---|" + "---|" * len(docs)]
    for duty, row in zip(duties, grid, strict=True):
        cells = [f"“{md_cell(c.quote)}”" if c.mentioned else "**gap**" for c in row]
        out.append(f"| {duty.name} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def coverage_png(docs: list[Document], grid: list[list[Cell]], path: Path, duties: list[Duty] = DUTIES) -> Path:
    """A heat map: each cell the confidence of the best supporting quote; blank is a gap."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    values = np.array([[c.confidence if c.mentioned else 0.0 for c in row] for row in grid])
    fig, ax = plt.subplots(figsize=(2.2 + 1.6 * len(docs), 1.2 + 0.42 * len(duties)))
    image = ax.imshow(values, cmap="Greens", vmin=0, vmax=max(1.5, float(values.max())), aspect="auto")
    labels = [_wrap(f"{d.authority or d.title} ({d.doc_type.split(' (')[0]})") for d in docs]
    ax.set_xticks(range(len(docs)), labels, fontsize=8)
    ax.set_yticks(range(len(duties)), [d.name for d in duties], fontsize=8)
    for i, row in enumerate(grid):
        for j, cell in enumerate(row):
            ax.text(
                j,
                i,
                "✓" if cell.mentioned else "gap",
                ha="center",
                va="center",
                fontsize=8,
                color="black" if not cell.mentioned or cell.confidence < 1.0 else "white",
            )
    ax.set_title("Which duties each document covers (shade: strength of the best quote)", fontsize=10)
    fig.colorbar(image, ax=ax, fraction=0.03, label="confidence")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return Path(path)


def _wrap(text: str, width: int = 16) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "\n".join([*lines, line])
