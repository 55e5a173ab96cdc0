"""Verification of a generated sentence against its cited passage catches what word overlap misses:
a changed number, date or frequency; a negation added or removed; must/should/may swapped; a
different body or role. Each source sentence below is verbatim from the corpus; each perturbed
claim keeps nearly all its words (so overlap alone would accept it) and changes its meaning."""

from __future__ import annotations

import pytest

from assistant.chain.verify import containment, supports

SOURCES = {
    "observer": "Be a “participating observer” of the Local Safeguarding Children’s Board; they may engage in "
    "discussions but not be part of the decision making process",
    "only_one": "Only one person can be the statutory Lead Member for Children and Families, but the role and "
    "responsibilities are broad.",
    "dcs": "To be responsible for holding the Director of Children’s Services to account in respect of these functions.",
    "missions": "As residents, businesses, public services and community organisations of this borough we have come "
    "together to deliver two key missions:",
    "cabinet": "The report will go to cabinet on 7 June.",
    "year": "We are making next year, 2023, the Year of Change for Children in Birmingham.",
    "should": "The LMCS should have regard to The United Nations Convention on the Rights of the Child (UNCRC)",
    "chair": "Promoting outcomes for Looked After Children (LA), protecting the interests of those children and "
    "young people and chairing the Corporate Parenting Board.",
    "section": "Section 19 (2) (Lead Member for Children’s Services) of the Children Act 2004",
    "trust": "Birmingham Children’s Trust (BCT), responsible for delivering early help and children’s social care "
    "on behalf of the council since 2018",
}

PERTURBED = [
    # (source, claim that must be REJECTED, what changed)
    (
        "observer",
        "The lead member is a participating observer of the Local Safeguarding Children's Board and is part of the decision making process.",
        "negation removed",
    ),
    (
        "observer",
        "The lead member must engage in discussions of the Local Safeguarding Children's Board as a participating observer.",
        "may → must",
    ),
    (
        "observer",
        "The Director is a participating observer of the Local Safeguarding Children's Board and may engage in discussions.",
        "role swapped",
    ),
    ("only_one", "Two people can be the statutory Lead Member for Children and Families.", "number changed"),
    (
        "only_one",
        "More than one person can be the statutory Lead Member for Children and Families.",
        "negated meaning (only one)",
    ),
    ("only_one", "Only one person must be the statutory Lead Member for Children and Families.", "can → must"),
    (
        "dcs",
        "The lead member is responsible for holding the Chief Executive to account in respect of these functions.",
        "role swapped",
    ),
    (
        "dcs",
        "The lead member is not responsible for holding the Director of Children's Services to account.",
        "negation added",
    ),
    ("dcs", "The DCS is responsible for holding the lead member to account for these functions.", "roles reversed"),
    (
        "missions",
        "Residents, businesses and public services have come together to deliver three key missions.",
        "number changed",
    ),
    ("missions", "The borough has come together to deliver two key missions every year.", "frequency added"),
    ("missions", "The borough has not come together to deliver two key missions.", "negation added"),
    ("cabinet", "The report will go to cabinet on 8 June.", "date changed"),
    ("cabinet", "The report will go to cabinet on 7 July.", "month changed"),
    ("cabinet", "The report will go to scrutiny on 7 June.", "body swapped"),
    ("cabinet", "The report will not go to cabinet on 7 June.", "negation added"),
    ("year", "Birmingham is making 2024 the Year of Change for Children.", "year changed"),
    ("year", "Birmingham is making next year, 2023, the Year of Change for Children twice.", "frequency added"),
    (
        "should",
        "The LMCS must have regard to the United Nations Convention on the Rights of the Child (UNCRC).",
        "should → must",
    ),
    (
        "should",
        "The LMCS may have regard to the United Nations Convention on the Rights of the Child (UNCRC).",
        "should → may",
    ),
    (
        "should",
        "The LMCS should not have regard to the United Nations Convention on the Rights of the Child.",
        "negation added",
    ),
    (
        "should",
        "The DCS should have regard to the United Nations Convention on the Rights of the Child (UNCRC).",
        "role swapped",
    ),
    (
        "chair",
        "The lead member promotes outcomes for looked after children and chairs the Corporate Parenting Panel.",
        "body swapped",
    ),
    (
        "chair",
        "The lead member does not chair the Corporate Parenting Board for looked after children.",
        "negation added",
    ),
    (
        "chair",
        "The lead member chairs the Corporate Parenting Board every month for looked after children.",
        "frequency added",
    ),
    (
        "section",
        "Section 18 (2) of the Children Act 2004 sets out the Lead Member for Children's Services.",
        "section changed",
    ),
    (
        "section",
        "Section 19 (2) of the Children Act 2014 sets out the Lead Member for Children's Services.",
        "year changed",
    ),
    (
        "trust",
        "Birmingham Children's Trust has delivered early help and children's social care for the council since 2016.",
        "year changed",
    ),
    (
        "trust",
        "Birmingham Children's Trust is not responsible for delivering early help and children's social care.",
        "negation added",
    ),
    (
        "trust",
        "Ofsted is responsible for delivering early help and children's social care on behalf of the council.",
        "body swapped",
    ),
    (
        "trust",
        "The Trust must deliver early help and children's social care on behalf of the council since 2018.",
        "modal added",
    ),
]

FAITHFUL = [
    (
        "observer",
        "The lead member is a participating observer of the Local Safeguarding Children's Board: they may engage in discussions but not be part of the decision making process.",
    ),
    ("only_one", "Only one person can be the statutory Lead Member for Children and Families."),
    ("dcs", "The lead member is responsible for holding the Director of Children's Services to account."),
    ("missions", "The borough has come together to deliver two key missions."),
    ("cabinet", "The report will go to cabinet on 7 June."),
    ("year", "Birmingham is making 2023 the Year of Change for Children."),
    ("should", "The LMCS should have regard to the United Nations Convention on the Rights of the Child (UNCRC)."),
    ("chair", "The lead member chairs the Corporate Parenting Board, promoting outcomes for looked after children."),
    ("section", "The role comes from Section 19 (2) of the Children Act 2004."),
    (
        "trust",
        "Birmingham Children's Trust has delivered early help and children's social care on behalf of the council since 2018.",
    ),
]


def test_the_table_is_big_enough_and_overlap_alone_would_accept_most_perturbations():
    assert len(PERTURBED) >= 30
    fooled = sum(containment(claim, SOURCES[src]) >= 0.6 for src, claim, _ in PERTURBED)
    assert fooled >= 20  # the hard checks are what catch them


@pytest.mark.parametrize(("source", "claim", "change"), PERTURBED, ids=[f"{s}: {c}" for s, _, c in PERTURBED])
def test_a_perturbed_claim_is_never_accepted(source, claim, change):
    # Even a high embedding similarity cannot rescue a claim whose meaning changed.
    assert not supports(claim, SOURCES[source], similarity=0.99)


@pytest.mark.parametrize(("source", "claim"), FAITHFUL, ids=[s for s, _ in FAITHFUL])
def test_the_faithful_claim_is_accepted(source, claim):
    assert supports(claim, SOURCES[source])
