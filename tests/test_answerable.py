"""What a question asks for, read from its words alone: a lookup (one short fact) or not, and which
kind of fact. Pure functions: no index."""

from __future__ import annotations

import pytest

from assistant.chain.abstain import _FREQUENCY, _QUANTITY
from assistant.chain.answerable import is_broad, is_lookup, wanted_type
from assistant.chain.context import antecedent, is_question
from assistant.chain.select import Point, within


@pytest.mark.parametrize(
    "question",
    [
        "Which board does the portfolio holder sit on?",
        "What strategy does the partnership board oversee?",
        "What is Anytown Borough Council's limit for key decisions?",
        "What is the children in care council called?",
        "And who chairs it?",
        "ok, so which committee scrutinises the role?",
        "Changing subject: which panel approves foster carers?",
        "On which day does the lead member meet the director?",
        "How long is the induction programme?",
    ],
)
def test_one_short_fact_is_a_lookup(question):
    assert is_lookup(question)


@pytest.mark.parametrize(
    "question",
    [
        "What must I do as LMCS?",
        "How do councils describe the lead member's part in early help?",
        "What does Wigan say about corporate parenting?",
        "What exact words does the profile use about safeguarding?",
        "What happens to children once they leave care?",
        "What youth services are in the portfolio?",  # a list
    ],
)
def test_a_broad_or_wording_question_is_no_lookup(question):
    assert not is_lookup(question) or is_broad(question)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How long is the lead member's term of office?", "number"),
        ("What allowance does the cabinet member get?", "number"),
        ("What budget does the council give the trust?", "number"),
        ("On which day of the week are briefings held?", "date"),
        ("How often does the board meet?", "frequency"),
        ("Do I get a say in how much money schools get?", None),  # yes or no, whatever amount it mentions
        ("Can I see how many complaints were made?", None),
        ("What is Thornwick's children's services budget for 2025/26?", "number"),
        ("OK. What's the key decision threshold there?", "number"),  # after a preface
        ("Until what age do care leavers get support?", "number"),
        ("What does the lead member do about the budget?", None),  # about the budget, not its amount
        ("What is the role of the cabinet member in the budget?", None),
        ("What's the council's budget strategy?", None),
        ("What is the threshold for a child protection plan?", None),  # criteria, not an amount
        ("How big a part do I play in school admissions?", None),
    ],
)
def test_what_kind_of_fact_a_question_wants(question, kind):
    assert wanted_type(question) == kind


@pytest.mark.parametrize(
    ("text", "has"),
    [
        ("The board meets every six weeks.", True),
        ("The panel meets four times a year.", True),
        ("The lead member visits each term.", True),
        ("meet the DCS and each assistant director in their first two weeks;", False),
        ("Briefings are held on Tuesdays.", False),
        ("It is presented to the Cabinet each autumn.", True),
        ("The forum meets six-weekly.", True),
        ("The plan is reviewed biannually.", True),
        ("The strategy is refreshed biennially.", True),
        ("Governors are briefed at the start of each school year.", True),
        ("The surgery is held on the first Monday of the month.", True),
        ("The sub-group meets as and when needed.", True),
        ("The subgroups meet in alternate months.", True),
        ("The Fostering Panel meets every six to eight weeks.", True),
        ("Every decision is open to call-in.", False),  # every, but of no time
        ("A councillor may attend as an observer.", False),
        ("The minutes of the meeting are published online.", False),
        ("Councillors are elected for a four-year term.", False),
        ("Each party may nominate an alternate member.", False),
        ("Forty-six of these one-to-one meetings took place.", True),  # "how many times…" is a count of meetings
        ("The one-to-one meetings are minuted.", False),
    ],
)
def test_a_frequency_is_how_often_not_any_each(text, has):
    assert bool(_FREQUENCY.search(text)) is has


def _point(quote: str, start: int) -> Point:
    return Point("d", "d:1:0", "", quote, start, start + len(quote), 0.5, 0.5, 0.5, "sentence")


def test_an_faq_answer_is_read_with_the_question_it_answers():
    question = _point("Q: How often will I meet the DCS?", 0)
    reply = _point("A: Once a fortnight, for about two hours.", 40)
    statement = _point("The board meets quarterly.", 0)
    assert is_question(question.quote) and not is_question(reply.quote)
    assert antecedent(reply, [question, reply]) == question
    assert antecedent(reply, [statement, reply]) is None  # a plain sentence before it is no antecedent
    # "The council…" in a council's own document names its subject; "The board…" goes on about the one before.
    assert antecedent(_point("The council has 188 fostering households.", 40), [statement]) is None
    assert antecedent(_point("The board publishes its minutes.", 40), [statement]) == statement


def test_every_sentence_of_an_faq_answer_answers_its_question():
    from assistant.chain.answerable import Answerability

    texts = [
        "What is the Schools Forum and does the Cabinet Member vote there?",
        "The Schools Forum advises the council on how the Dedicated Schools Grant is shared between schools.",
        "It meets six times a year.",
        "The Cabinet Member attends as an observer and does not vote.",
    ]
    question = "Does the Cabinet Member vote at the Schools Forum?"
    expansion, points = _read(question, texts)
    starts = [sum(len(t) + 1 for t in texts[:i]) for i in range(len(texts))]  # one passage, sentence after sentence
    points = [Point("d", "d:1:0", "", t, at, at + len(t), 0.5, 0.5, 0.5, "sentence") for t, at in zip(texts, starts)]
    assert texts[3] in [p.quote for p in Answerability().run(question, expansion, points)]


def test_which_day_of_the_week_asks_when_and_names_no_subject():
    from assistant.chain.answerable import salient_terms

    question = "Which day of the week does the cabinet member catch up with the director?"
    expansion, _ = _read(question, ["The Cabinet Member meets the Director every Wednesday, each week of term."])
    assert "week" not in salient_terms(expansion) and wanted_type(question) == "date"


def test_a_table_cell_is_read_with_the_first_cell_of_its_row():
    """ "Once a month" answers how often the visits happen only with the row's "Visit a children's home…"."""
    duty = Point("d", "d:1:0", "", "Visit a children's home", 6, 29, 0.5, 0.5, 0.5, "cell", row=0)
    often = Point("d", "d:1:0", "", "Once a month", 42, 54, 0.5, 0.5, 0.5, "cell", row=0)
    other = Point("d", "d:1:0", "", "Chair the panel", 62, 77, 0.5, 0.5, 0.5, "cell", row=56)
    assert antecedent(often, [duty, often, other]) == duty
    assert antecedent(other, [duty, often, other]) is None  # the first cell of its own row


@pytest.mark.parametrize(
    ("text", "has"),
    [
        ("The council looks after 418 children.", True),
        ("It is one of nine Executive Members.", True),
        ("through a one-to-one meeting every fortnight", False),  # no count of anything
        ("a one-off grant", False),
        ("It has forty members.", True),  # numbers in words, beyond twelve
        ("Fifteen councillors sit on the committee.", True),
        ("under section 19 of the Children Act 2004", False),
        ("About a third of schools are academies.", True),  # fractions and round numbers in words
        ("Hundreds of children are helped each year.", True),
        ("Third sector organisations are represented.", False),  # a fraction only as a share of something
        ("Half-term starts on Monday.", False),
    ],
)
def test_a_count_is_a_number_of_something(text, has):
    assert bool(_QUANTITY.search(text)) is has


@pytest.mark.parametrize(
    "question",
    [
        "I'm the Pellingford portfolio holder - can I sign off £300k myself?",  # a preface, then the question
        "How quickly must the DCS tell the Cabinet Member about a serious incident?",
        "Whose responsibility is home to school transport?",
        "OK. What's the key decision threshold there?",
        "In Birmingham, which cabinet member does the children's lead work with on education?",
        "What did Ofsted rate the council's children's services?",
    ],
)
def test_everyday_forms_of_a_short_question_are_lookups(question):
    assert is_lookup(question)


def test_a_focused_answer_keeps_its_best_points_within_a_budget():
    points = [_point("x" * 250, i * 300) for i in range(5)]
    assert len(within(points, 600)) == 2 and within(points, 600) == points[:2]
    assert len(within(points[:1], 10)) == 1  # the best point is never dropped


def test_a_question_asked_of_every_council_is_answered_by_each_council_that_answers():
    from assistant.chain.across import asks_every_council, each_council
    from assistant.chain.expand import Expansion
    from assistant.chain.shape import lookup_points
    from index.types import Document

    def said(doc: str, quote: str) -> Point:
        return Point(doc, f"{doc}:1:0", "", quote, 0, len(quote), 0.5, 0.5, 0.5, "sentence")

    answering = [
        said("a", "The council looks after 418 children."),
        said("a", "It supports 296 care leavers."),
        said("a2", "Northmoor had 420 children in care in March."),  # a second document of the same council
        said("law", "A local authority must safeguard children in its care."),  # no council's own answer
        said("b", "The council is corporate parent to 505 children in care."),
        said("c", "The council looks after 612 children."),
    ]
    documents = {
        d: Document(d, d, "" if d in ("law", "c") else "Northmoor" if d.startswith("a") else "Eastleigh", "p", "", "1")
        for d in ("a", "a2", "law", "b", "c")
    }
    question = "How many children in care does each council look after?"
    assert asks_every_council(question) and asks_every_council("Compare the lead members' allowances")
    assert not asks_every_council("How many children does Kestrel Bay look after?")
    points = each_council(answering, documents, leave_out=frozenset({"law"}))
    assert [p.quote for p in points] == [answering[0].quote, answering[4].quote, answering[5].quote]  # best of each
    expansion = Expansion("", frozenset({"children", "care"}))
    one = lookup_points("How many children does Kestrel Bay look after?", answering[:1], answering, expansion)
    assert len({p.doc_id for p in one}) == 1  # asked of one council: a lookup's short answer


def _read(question: str, texts: list[str]):  # type: ignore[no-untyped-def]
    """The question read against a small corpus of `texts`, and each text as a candidate point."""
    from assistant.chain.expand import QueryExpander
    from assistant.chain.snapshot import CorpusSnapshot
    from index.store import StoredChunk
    from index.types import Document

    doc = Document("d", "Profile", "", "role_profile", " ".join(texts), "1")
    chunks = [StoredChunk(f"d:1:{i}", "d", 0, len(t), t, "", ()) for i, t in enumerate(texts)]
    expansion = QueryExpander({}).run(question, CorpusSnapshot.build("v", {"d": doc}, chunks))
    points = [Point("d", f"d:1:{i}", "", t, 0, len(t), 0.5, 0.5, 0.5, "sentence") for i, t in enumerate(texts)]
    return expansion, points


def test_how_many_is_answered_only_by_a_count_of_what_it_counts():
    from assistant.chain.answerable import Answerability

    texts = [
        "Its membership includes six councillors, the Virtual School Head and young people.",
        "There are 61 schools in the borough, most of them academies.",
        "The Cabinet Member visits schools twice a year.",
    ]
    question = "How many schools are there in the borough?"
    expansion, points = _read(question, texts)
    assert [p.quote for p in Answerability().run(question, expansion, points)] == [texts[1]]
    expansion, points = _read(question, [texts[0], texts[2]])
    assert Answerability().run(question, expansion, points) == []  # six counts councillors, not schools


def test_the_role_is_the_subject_when_it_is_all_a_question_names():
    from assistant.chain.answerable import Answerability, salient_terms

    texts = [
        "The Executive Member is one of nine Executive Members who, with the Leader, make up the Executive.",
        "The Executive Member meets the Director of Children's Services every week.",
    ]
    question = "How many Executive Members does the council have?"
    expansion, points = _read(question, texts)
    assert salient_terms(expansion) == ["execut", "member"] or salient_terms(expansion) == ["member", "execut"]
    assert [p.quote for p in Answerability().run(question, expansion, points)] == [texts[0]]
    expansion, _ = _read("How often does the Executive Member meet the Director?", texts)
    assert "member" not in salient_terms(expansion)  # named with another subject, the role is no subject


def test_words_that_ask_are_no_subject():
    from assistant.chain.answerable import salient_terms

    texts = ["Key decisions above £500,000 go to Cabinet.", "A councillor may not get involved in a child's case."]
    question = "What is the council's threshold for key decisions?"
    expansion, _ = _read(question, texts)
    assert wanted_type(question) == "number" and "threshold" not in salient_terms(expansion)  # asks for a value
    expansion, _ = _read("Am I allowed to get involved in a child's case?", texts)
    assert "allow" not in salient_terms(expansion) and "involv" in salient_terms(expansion)


@pytest.mark.parametrize(
    "text",
    [
        "It is chaired by elected councillors from all parties.",  # plurals
        "Two officers from the finance team attend.",
        "The Secretary of State appoints the commissioner.",
        "The head of service chairs it.",
        "It is run by the local authority with its partners.",
        "The ICB and the police take part.",
    ],
)
def test_a_who_question_is_answered_by_people_and_bodies_however_named(text):
    from assistant.chain.answerable import has_type

    assert has_type(text, "person_or_body")


def test_a_topic_acronym_names_no_one():
    from assistant.chain.answerable import has_type

    assert not has_type("It was set up after an inspection of SEND services found failings.", "person_or_body")


def test_what_something_means_is_answered_with_the_sentence_that_explains_it():
    from assistant.chain.shape import explained

    said = "The lead member is a participant observer at the partnership."
    means = "This means that the lead member may speak but does not vote."
    later = "This means the plan is published in June."
    points = [_point(said, 0)]
    candidates = [points[0], _point(means, len(said) + 1), _point(later, 300)]
    question = "What does it mean that the lead member is a participant observer?"
    assert [p.quote for p in explained(question, points, candidates)] == [said, means]
    assert explained("Is the lead member a participant observer?", points, candidates) == points  # not asked
    assert explained(question, points, [points[0], candidates[2]]) == points  # not the next sentence


def test_what_to_do_is_answered_with_the_steps_that_follow():
    from assistant.chain.shape import explained

    steps = [
        "If a resident raises a concern about a child with you, do not investigate it yourself.",
        "Pass it to the Director's office.",
        "It will acknowledge it within two working days.",
        "The partnership is led by three statutory partners.",
    ]
    at, candidates = 0, []
    for text in steps:
        candidates.append(_point(text, at))
        at += len(text) + 1
    question = "If a neighbour is worried about a child, what do I do with it?"
    assert [p.quote for p in explained(question, candidates[:1], candidates)] == steps[:3]  # two steps, no more
    for not_asked in ("Who leads the partnership?", "What must I do as lead member?"):  # the whole role: no steps
        assert explained(not_asked, candidates[:1], candidates) == candidates[:1]
    other = _point("The council publishes its safeguarding procedures online for every member. " * 8, 2000)
    assert explained(question, [candidates[0], other], candidates) == candidates[:3]  # the answer stays short


def test_hedges_and_the_job_itself_are_no_subject():
    from assistant.chain.answerable import salient_terms

    texts = [
        "Expected time commitment: about three days a week.",
        "The basic allowance is paid to all councillors.",
        "The job description is attached.",
    ]
    expansion, _ = _read("Is it basically a big time commitment, the children's job?", texts)
    terms = salient_terms(expansion)
    assert "commit" in terms and "basic" not in terms  # not "basic" (of "basically")
    expansion, _ = _read("How much of my week does the job take?", texts)
    assert salient_terms(expansion) == ["week"]  # the job is the role: "About three days a week" answers


def test_a_who_question_is_answered_by_a_named_post_and_its_everyday_verbs_are_no_subject():
    from assistant.chain.answerable import has_type, salient_terms

    post = "Home to school transport is the responsibility of the Portfolio Holder for Environment and Transport."
    assert has_type(post, "person_or_body") and not has_type("It is not part of the portfolio.", "person_or_body")
    expansion, _ = _read("Who sorts out school transport?", [post, "The panel meets monthly."])
    assert "sort" not in salient_terms(expansion)  # "sorts": its base "sort" names no topic


def test_a_number_counts_the_word_after_it_not_one_it_follows():
    from assistant.chain.answerable import Answerability

    texts = [
        "The lead member observes the Safeguarding Children Partnership, which meets four times a year.",
        "Children on protection plans: 212.",
        "The council supports 296 young people who have left care.",
    ]
    question = "How many children are on protection plans?"
    expansion, points = _read(question, texts)
    assert [p.quote for p in Answerability().run(question, expansion, points)] == [texts[1]]  # four counts times
    expansion, points = _read(question, texts[:1])
    assert Answerability().run(question, expansion, points) == []
    # A number counts its own noun phrase: "two young people chosen by the Children in Care Council" counts no children.
    members = (
        "The committee is made up of seven councillors and two young people chosen by the Children in Care Council."
    )
    question = "How many children are in care?"
    assert Answerability().run(question, *_read(question, [members])) == []
    assert Answerability().run(question, *_read(question, ["The council looks after 455 children in care."]))


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("How many permanent exclusions were there?", "Permanent exclusions, however, rose to 118, and fell later."),
        ("How many child protection plans were there?", "The number of child protection plans fell from 512 to 467."),
        ("How many members sit on the panel?", "The panel is made up of seven councillors and two young people."),
    ],
)
def test_a_count_is_found_where_a_report_gives_it(question, text):
    from assistant.chain.answerable import Answerability

    assert Answerability().run(question, *_read(question, [text]))


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("How many members does the Corporate Parenting Board have?", "The board hears from about 40 children a year."),
        ("How many care leavers does the council support?", "Personal advisers support care leavers up to 25."),
        ("How many foster carers are there?", "Foster carers are supported by a dedicated team of 12."),
    ],
)
def test_a_number_near_a_word_is_no_count_of_it(question, text):
    from assistant.chain.answerable import Answerability

    assert Answerability().run(question, *_read(question, [text])) == []


def test_a_lists_lead_in_answers_only_when_it_holds_what_is_asked():
    from dataclasses import replace

    from assistant.chain.answerable import Answerability

    texts = ["For those in the age range 0-19:", "The Lead Member will:"]
    question = "What age range do the functions cover?"
    expansion, points = _read(question, texts)
    lead_ins = [replace(p, kind="lead_in") for p in points]
    assert [p.quote for p in Answerability().run(question, expansion, lead_ins)] == [texts[0]]
    expansion, _ = _read("What will the Lead Member do?", texts)
    assert Answerability().run("What will the Lead Member do?", expansion, lead_ins) == []


def test_the_role_alone_is_no_subject_of_a_who_question_and_ages_are_no_counts():
    from dataclasses import replace

    from assistant.chain.answerable import Answerability

    texts = [
        "The Lead Member meets the Director of Children's Services every week.",
        "The council supports care leavers aged 18 to 25.",
        "Northmoor looks after 1,200 children in care.",
        "The Corporate Parenting Board will:",
    ]
    expansion, points = _read("Who is the lead member?", texts)
    assert Answerability().run("Who is the lead member?", expansion, points) == []
    question = "How many care leavers does the council support?"
    expansion, points = _read(question, texts)
    assert Answerability().run(question, expansion, points) == []  # "aged 18 to 25" counts no one
    question = "How many children in care does Northmoor look after?"
    expansion, points = _read(question, texts)
    assert [p.quote for p in Answerability().run(question, expansion, points)] == [texts[2]]  # 1,200
    question = "Who chairs the Corporate Parenting Board?"
    expansion, points = _read(question, texts)
    lead_in = [replace(points[3], kind="lead_in")]
    assert Answerability().run(question, expansion, lead_in) == []  # "Board" is no answer to who chairs it


def test_a_yes_no_question_is_answered_only_by_a_passage_on_all_it_asks():
    from assistant.chain.answerable import Answerability

    texts = [
        "The Lead Member chairs the Corporate Parenting Board, which meets quarterly.",
        "Meetings of the Corporate Parenting Board are held in public, and young people attend.",
        "Schools Forum papers are published a week before each meeting.",
    ]
    question = "Are the Corporate Parenting Board's meetings open to the public?"
    answering = Answerability().run(question, *_read(question, texts))
    assert [p.quote for p in answering] == [texts[1]]  # the board alone, without the public, does not answer


def test_a_table_rows_first_cell_is_followed_by_what_the_row_says():
    from assistant.chain.shape import with_rows

    label = Point("d", "d:1:0", "", "Special responsibility allowance", 10, 42, 0.6, 0.6, 0.6, "cell", row=10)
    value = Point("d", "d:1:0", "", "£14,860 a year", 50, 64, 0.3, 0.3, 0.3, "cell", row=10)
    other = Point("d", "d:1:0", "", "Every fortnight", 80, 95, 0.3, 0.3, 0.3, "cell", row=70)
    assert with_rows([label], [label, other, value]) == [label, value]
    assert with_rows([value], [label, value]) == [value]  # a value is read with its label, not repeated after it


def test_an_faqs_question_lends_its_subject_only_to_an_answer_of_its_kind():
    from assistant.chain.answerable import Answerability

    texts = [
        "Does the Lead Member sit on the Schools Forum?",
        "No, the Lead Member attends as an observer.",
        "Papers go out in March.",
    ]
    starts = [sum(len(t) + 1 for t in texts[:i]) for i in range(len(texts))]
    question = "When does the Schools Forum meet?"
    expansion, _ = _read(question, texts)
    points = [Point("d", "d:1:0", "", t, at, at + len(t), 0.5, 0.5, 0.5, "sentence") for t, at in zip(texts, starts)]
    assert Answerability().run(question, expansion, points) == []  # a yes/no question's answer dates nothing


def test_a_sum_in_pounds_stands_for_a_word_for_money():
    from assistant.chain.answerable import Answerability

    texts = [
        "The Portfolio Holder may sign off up to £200,000 for a single decision.",
        "The Portfolio Holder signs off the annual report.",
        "Spending on home to school transport rose.",
    ]
    question = "Can the portfolio holder sign off a £300k spend alone?"
    quotes = [p.quote for p in Answerability().run(question, *_read(question, texts))]
    assert texts[0] in quotes and texts[1] not in quotes


def test_compare_asks_how_to_answer_and_names_no_subject():
    from assistant.chain.answerable import Answerability, salient_terms

    texts = ["The Portfolio Holder receives a special responsibility allowance of £17,250 a year.", "It meets."]
    question = "Compare the special responsibility allowances paid to lead members."
    expansion, points = _read(question, texts)
    assert "compar" not in salient_terms(expansion)
    assert [p.quote for p in Answerability().run(question, expansion, points)] == [texts[0]]


def _answering(question: str, texts: list[str]) -> list[str]:
    """The texts that answer the question, read against a corpus of them."""
    from assistant.chain.answerable import Answerability

    return [p.quote for p in Answerability().run(question, *_read(question, texts))]


def test_the_next_one_is_not_answered_by_the_last_one():
    last = "Ofsted inspected the council's children's services in March 2024 and judged them good in every area."
    next_one = "The next Ofsted inspection is expected in 2027."
    question = "When is the next Ofsted inspection due?"
    assert _answering(question, [last, next_one]) == [next_one]
    assert _answering(question, [last, "It meets."]) == []
    building = "Ofsted inspected the services in March 2024 and said leaders will build on this."
    assert _answering(question, [building, "It meets."]) == []  # "will build" dates nothing to come
    asked_last = "When did Ofsted last inspect the council?"
    assert _answering(asked_last, [last, "It meets."])


def test_a_question_about_a_board_is_answered_by_a_passage_on_a_board():
    send = "championing children with SEND, and challenging schools and academy trusts where standards fall;"
    board = "The SEND Partnership Board is chaired by the Director of Education."
    question = "Who chairs the SEND board?"
    assert _answering(question, [send, board]) == [board]
    assert _answering(question, [send, "It meets."]) == []
    panel = "The Corporate Parenting Panel is chaired by an opposition councillor."
    question = "Who chairs the corporate parenting board?"
    assert _answering(question, [panel, "It meets."])  # a panel is such a body


def test_a_range_and_both_are_counts_of_what_follows():
    question = "How many children are in care?"
    assert _answering(question, ["Too many children in care moved placement three or more times in a year."]) == []
    homes = "You will visit both of the council's children's homes in your first month."
    assert _answering("How many children's homes does the council run?", [homes, "It meets."]) == [homes]
    both = "The lead member visits both children's homes and schools each term."
    assert _answering("How many children's homes does the council run?", [both, "It meets."]) == []


def test_when_a_question_is_set_is_no_part_of_its_subject():
    from assistant.chain.answerable import salient_terms

    texts = ["On 31 March the council looked after 418 children.", "We were also supporting 347 care leavers."]
    expansion, _ = _read("How many care leavers was it supporting at the end of March?", texts)
    assert "march" not in salient_terms(expansion)
    assert _answering("How many care leavers was it supporting at the end of March?", texts) == [texts[1]]


def _in_order(texts: list[str]) -> list[Point]:
    """The texts as the sentences of one passage, one after the other."""
    at, points = 0, []
    for text in texts:
        points.append(_point(text, at))
        at += len(text) + 1
    return points


def test_a_sentence_that_points_back_is_read_with_what_it_points_at():
    from assistant.chain.answerable import Answerability

    texts = [
        "Q (Councillor, Hillside ward): Who chairs the Corporate Parenting Panel?",
        "Monitoring Officer: The Lead Member chairs it.",
        "It meets eight times a year, and all councillors go to training in their first year.",
        "The Youth Forum meets the Lead Member four times a year.",
    ]
    question = "How often does the Corporate Parenting Panel meet?"
    expansion, _ = _read(question, texts)
    assert [p.quote for p in Answerability().run(question, expansion, _in_order(texts))] == [texts[2]]
    # A sentence pointing back at another body than the FAQ asks about borrows nothing from the FAQ's question.
    faq = ["Does the Lead Member sit on the adoption panel?", "No.", "They attend the fostering panel twice a year."]
    question = "How often does the Lead Member attend the adoption panel?"
    expansion, _ = _read(question, faq)
    assert Answerability().run(question, expansion, _in_order(faq)) == []
    budget = ["The budget is £186.3 million.", "Of this, £71.8 million is spent on placements for children in care."]
    question = "How much of the budget is spent on placements?"
    expansion, _ = _read(question, budget)
    assert [p.quote for p in Answerability().run(question, expansion, _in_order(budget))] == [budget[1]]


def test_a_body_named_by_a_word_no_document_uses_is_not_answered_by_another_body():
    fostering = "You will not be a member of the fostering panel."
    texts = [fostering, "The panel recommends whether people should be approved as foster carers."]
    assert _answering("Does the Portfolio Holder sit on the adoption panel?", texts) == []
    assert _answering("Does the Portfolio Holder sit on the fostering panel?", texts)[:1] == [fostering]


def test_the_biggest_amount_asks_for_an_amount():
    from assistant.chain.answerable import wanted_type

    assert wanted_type("What's the biggest amount the portfolio holder can approve on their own?") == "number"


def test_what_happens_asks_and_names_no_subject():
    from assistant.chain.answerable import salient_terms

    texts = ["The Lead Member can take decisions up to £250,000.", "Anything above that goes to Cabinet."]
    expansion, _ = _read("What's the decision limit? What happens if it's more than that?", texts)
    assert "happen" not in salient_terms(expansion)


def test_a_sentence_saying_its_or_their_is_read_with_the_one_before():
    from assistant.chain.answerable import Answerability

    texts = [
        "The Children's Scrutiny Committee calls you to account twice a year.",
        "You must respond in writing to its recommendations within six weeks.",
    ]
    question = "How long do I have to respond to the scrutiny committee's recommendations?"
    expansion, _ = _read(question, texts)
    assert texts[1] in [p.quote for p in Answerability().run(question, expansion, _in_order(texts))]
    assert texts[1] not in [p.quote for p in Answerability().run(question, expansion, _in_order(texts[1:]))]
    board = ["DCS: The SEND Partnership Board.", "The Lead Member co-chairs it, and it meets six times a year."]
    question = "How often does the SEND Partnership Board meet?"
    expansion, _ = _read(question, board)
    assert [p.quote for p in Answerability().run(question, expansion, _in_order(board))] == [board[1]]
