"""For reviewers: the duty coverage map, each LMCS duty against each document.

A cell counts only if its quote contains one of the duty's evidence words and STATES the duty
(duty.py): a loosely related passage, a committee's name or a sentence about someone else shows
as a gap rather than a false tick. Each cell reads strong, partial or gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from assistant.chain.pipeline import AnswerChain
from assistant.training.compare import Cell, best_cell, column_names, label, md_cell
from assistant.training.duty import LISTED, NONE, STRENGTH_MEANING, STRENGTH_WORDS, STRONG
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
    also: tuple[str, ...] = ()  # when set, the quote must contain one of these too
    bodies_count: bool = False  # the duty is membership of a body, so naming the body can state it


DUTIES: list[Duty] = [
    Duty("Statutory role (Children Act 2004 s19)", "Lead Member role under section 19 of the Children Act 2004",
         ("section 19", "statutory Lead Member", "Children Act 2004")),
    Duty("Accountable for education and social care",
         "political accountability for education and children's social care",
         ("accountab", "political responsibility", "education and children’s social care")),
    Duty("Safeguarding", "safeguarding children", ("safeguarding", "protect", "harm", "safety")),
    Duty("Safeguarding board or partnership", "Local Safeguarding Children Board",
         ("Safeguarding Children", "Safeguarding Board"), bodies_count=True),
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
         ("Director of Children’s Services", "DCS", "Directorate"),
         also=("account", "challeng", "performance", "scrutin")),
    Duty("Equality duties", "Equality Act duties", ("Equality Act", "discriminat")),
    Duty("Youth services and youth justice", "youth services and youth offending", ("youth",)),
]  # fmt: skip


def _shows(duty: Duty, text: str) -> bool:
    lower = text.lower().replace("'", "’")
    found = any(e.lower() in lower for e in duty.evidence)
    return found and (not duty.also or any(a.lower() in lower for a in duty.also))


def _cell(assistant: AnswerChain, duty: Duty, doc: Document) -> Cell:
    """The passage stating the duty, asked as the duty's question, then (if that finds none) as its
    evidence words: a document may state it in words the question does not use."""
    cell = Cell(doc.doc_id, "", "", 0.0)
    for query in (duty.query, " ".join(duty.evidence)):
        cell = best_cell(
            assistant,
            query,
            doc,
            accept=partial(_shows, duty),
            threshold=-1e9,
            evidence=duty.evidence,
            bodies_count=duty.bodies_count,
        )
        if cell.mentioned:
            return cell
    return cell


def coverage(assistant: AnswerChain, duties: list[Duty] = DUTIES) -> tuple[list[Document], list[list[Cell]]]:
    docs = sorted(assistant.documents().values(), key=label)
    # Any passage that shows the duty counts, however unsure the answerer would be of a
    # question put this way: the evidence words are the test here, not the threshold.
    grid = [[_cell(assistant, duty, d) for d in docs] for duty in duties]
    return docs, grid


LEGEND = (
    "**How to read it.** "
    + "; ".join(f"**{STRENGTH_WORDS[k]}**: {STRENGTH_MEANING[k]}" for k in (STRONG, LISTED, NONE))
    + ". A passage counts only where it says what the council or its lead member does: "
    "a committee's name or a sentence about someone else is a gap."
)


def coverage_markdown(docs: list[Document], grid: list[list[Cell]], duties: list[Duty] = DUTIES) -> str:
    head = "| Duty | " + " | ".join(md_cell(n) for n in column_names(docs)) + " |"
    out = ["## Duty coverage map", "", LEGEND, "", head, "|---|" + "---|" * len(docs)]
    for duty, row in zip(duties, grid, strict=True):
        cells = [f"**{c.verdict}**: “{md_cell(c.quote)}”" if c.mentioned else "**gap**" for c in row]
        out.append(f"| {md_cell(duty.name)} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def coverage_png(docs: list[Document], grid: list[list[Cell]], path: Path, duties: list[Duty] = DUTIES) -> Path:
    """A heat map in three shades, each cell labelled in words: strong, partial or gap."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    shades = ["#f2f2f2", "#9ecae1", "#08519c"]  # gap, partial, strong: distinct in greyscale too
    values = [[c.strength if c.mentioned else NONE for c in row] for row in grid]
    fig, ax = plt.subplots(figsize=(2.6 + 1.7 * len(docs), 1.6 + 0.42 * len(duties)))
    ax.imshow(values, cmap=ListedColormap(shades), vmin=0, vmax=2, aspect="auto")
    ax.set_xticks(range(len(docs)), [_wrap(n) for n in column_names(docs)], fontsize=8)
    ax.set_yticks(range(len(duties)), [d.name for d in duties], fontsize=8)
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            ax.text(j, i, STRENGTH_WORDS[v], ha="center", va="center", fontsize=8,
                    color="white" if v == STRONG else "black")  # fmt: skip
    ax.set_title("Which duties each document states", fontsize=10)
    legend = [Patch(facecolor=shades[k], edgecolor="#666", label=f"{STRENGTH_WORDS[k]}: {STRENGTH_MEANING[k]}")
              for k in (STRONG, LISTED, NONE)]  # fmt: skip
    fig.legend(handles=legend, loc="lower center", fontsize=7, frameon=False, ncol=1)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
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
