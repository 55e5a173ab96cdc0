"""A deterministic generator of realistic synthetic LMCS role profiles, for scale benchmarks.

>>> docs = list(generate(2, seed=1))
>>> docs[0][0], "Lead Member" in docs[0][1]
('synthetic-00000.md', True)
"""

from __future__ import annotations

import random
from collections.abc import Iterator

PLACES = [
    "Ash",
    "Brook",
    "Castle",
    "Dale",
    "Eden",
    "Fern",
    "Glen",
    "Hart",
    "Iron",
    "Kings",
    "Lark",
    "Mill",
    "North",
    "Oak",
    "Pike",
    "Queens",
    "Red",
    "Stone",
    "Thorn",
    "Upton",
    "Vale",
    "West",
    "Wick",
    "Yew",
    "Bridge",
    "Ford",
    "Hamp",
    "Ley",
    "Marsh",
]
SUFFIXES = ["ton", "field", "borough", "ham", "ley", "wick", "bury", "mouth", "stead", "worth"]
KINDS = ["City Council", "Borough Council", "County Council", "Metropolitan Borough Council", "District Council"]
TITLES = [
    "Cabinet Member for Children and Families",
    "Lead Member for Children's Services",
    "Portfolio Holder for Children, Young People and Education",
    "Executive Member for Children's Social Care",
]
SECTIONS = {
    "Statutory role": [
        "To act as the statutory Lead Member for Children's Services under section 19 of the Children Act 2004",
        "To hold political accountability for education and children's social care",
        "To work with the Director of Children's Services on an integrated children's services brief",
    ],
    "Safeguarding": [
        "To ensure arrangements to protect children and young people from harm are clear and effective",
        "To attend the local safeguarding children partnership as a participating observer",
        "To receive reports on children subject to child protection plans",
    ],
    "Corporate parenting": [
        "To chair the {place} Corporate Parenting Board",
        "To champion the council's responsibilities to children in care and care leavers",
        "To promote stable, high quality placements for looked after children",
    ],
    "Education": [
        "To work with headteachers, governors and academy trusts to raise standards",
        "To oversee school place planning and admissions in {place}",
        "To champion the {place} Virtual School for children in care",
    ],
    "SEND and inclusion": [
        "To lead the {place} SEND improvement plan with health partners",
        "To hold officers to account for timely Education, Health and Care Plans",
    ],
    "Early help and early years": [
        "To develop family hubs and early help services across {place}",
        "To secure a sufficiency of childcare and early years places",
    ],
    "Partnership": [
        "To represent the council on the {place} Children and Young People's Partnership",
        "To work with the police, health and voluntary sector to improve outcomes",
        "To meet the {place} Youth Council every {period}",
    ],
}
PERIODS = ["month", "quarter", "term", "six months"]


def council(rng: random.Random) -> str:
    return rng.choice(PLACES) + rng.choice(SUFFIXES)


def generate(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """`n` (file name, Markdown text) pairs, the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 — reproducible test data, not security
    for i in range(n):
        place = council(rng)
        lines = [f"# {rng.choice(TITLES)}: {place} {rng.choice(KINDS)}", ""]
        lines += [f"This role profile sets out the duties of the portfolio holder in {place}.", ""]
        for section in rng.sample(list(SECTIONS), k=rng.randint(4, len(SECTIONS))):
            lines += [f"## {section}", ""]
            for item in rng.sample(SECTIONS[section], k=rng.randint(1, len(SECTIONS[section]))):
                lines.append("- " + item.format(place=place, period=rng.choice(PERIODS)) + ".")
            lines.append("")
        yield f"synthetic-{i:05d}.md", "\n".join(lines)
