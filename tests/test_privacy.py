"""Personal data: asked through the real server, nothing personal reaches SQLite, logs or exports,
and nothing that is not personal is redacted. Precision and recall are printed (pytest -s)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from assistant.chain.privacy import Redactor, notice_for
from tests.conftest import free_port

# (question, personal items that must not be stored)
WITH_PERSONAL_DATA = [
    (
        "The Smith boy, born 3/4/2012, is in placement at 12 Acacia Avenue, Wigan WN1 1AA. What are my duties?",
        ["Smith", "3/4/2012", "12 Acacia Avenue", "WN1 1AA"],
    ),
    (
        "Can I email jane.doe@example.com or call 07700 900123 about Tom Jones's case?",
        ["jane.doe@example.com", "07700 900123", "Tom Jones"],
    ),
    (
        "Jayden Okafor (NHS 943 476 5919, NI AB 12 34 56 C) was moved last week - what are my duties?",
        ["Jayden Okafor", "943 476 5919", "AB 12 34 56 C"],
    ),
    (
        "My constituent Sarah Ahmed says her son Liam was excluded; DOB 14 March 2011. Is that my business as LMCS?",
        ["Sarah Ahmed", "Liam", "14 March 2011"],
    ),
    (
        "A child at 4 Mill Lane, PO1 2AB, phone 023 9282 2251 - should I visit as lead member?",
        ["4 Mill Lane", "PO1 2AB", "023 9282 2251"],
    ),
    (
        "Emily Clarke, born 02-11-2015, is looked after by Birmingham - what is corporate parenting?",
        ["Emily Clarke", "02-11-2015"],
    ),
    ("Should the LMCS meet Oliver Bennett's foster carer on +44 7911 123456?", ["Oliver Bennett", "+44 7911 123456"]),
    # A hyphenated first name the name detector misses, each part also in the English word list.
    ("Can the lead member stop Ellie-Mae Hargreaves being moved to a new foster home?", ["Ellie", "Hargreaves"]),
    (
        "Mia Patel at B15 2TT was born on 21st June 2013; who holds the DCS to account?",
        ["Mia Patel", "B15 2TT", "21st June 2013"],
    ),
]
# (question, words that must survive untouched)
WITHOUT_PERSONAL_DATA = [
    ("What does section 19 of the Children Act 2004 say about the Lead Member?", ["section 19", "Children Act 2004"]),
    ("The April 2013 guidance on the DCS and LMCS: what does it require?", ["April 2013", "DCS", "LMCS"]),
    ("What does Wigan Council say about corporate parenting?", ["Wigan Council", "corporate parenting"]),
    (
        "How does Birmingham City Council's Cabinet Member for Children's Wellbeing work?",
        ["Birmingham City Council", "Cabinet Member"],
    ),
    ("What does section 18(2) cover for Portsmouth City Council?", ["18(2)", "Portsmouth City Council"]),
    (
        "Is the Director of Children's Services accountable to the Chief Executive?",
        ["Director of Children's Services", "Chief Executive"],
    ),
    ("What are Wigan's priorities for 2024/2025?", ["Wigan", "2024/2025"]),
    (
        "Does the Lead Member sit on the Local Safeguarding Children Board?",
        ["Lead Member", "Local Safeguarding Children Board"],
    ),
    ("Who won the Premier League last season, and what does the Secretary of State say?", ["Premier League"]),
]
PLACES = {"Birmingham City Council", "Wigan Council", "Portsmouth City Council", "Birmingham", "Wigan", "Portsmouth"}


def test_redaction_precision_and_recall_on_the_table():
    redactor = Redactor(allow=PLACES)
    caught = missed = wrongly = kept = 0
    for question, personal in WITH_PERSONAL_DATA:
        out = redactor.redact(question)
        caught += sum(item not in out for item in personal)
        missed += sum(item in out for item in personal)
    for question, keep in WITHOUT_PERSONAL_DATA:
        out = redactor.redact(question)
        kept += sum(item in out for item in keep)
        wrongly += sum(item not in out for item in keep)
    recall = caught / (caught + missed)
    precision_proxy = kept / (kept + wrongly)
    print(
        f"\nredaction recall {recall:.2f} ({caught}/{caught + missed}); "
        f"non-personal items kept {precision_proxy:.2f} ({kept}/{kept + wrongly})"
    )
    assert recall == 1.0
    assert precision_proxy == 1.0


def test_the_user_is_told_and_the_notice_names_what_was_found():
    assert "a date of birth" in notice_for(["DOB", "NAME"]) and "not stored" in notice_for(["NAME"])
    assert notice_for([]) == ""


@pytest.mark.slow
def test_nothing_personal_reaches_disk_through_the_real_server(assistant, tmp_path, caplog):
    from gradio_client import Client

    from assistant.web.app import launch
    from assistant.web.chat import turn_of
    from tests.conftest import ui_for

    caplog.set_level(logging.DEBUG)
    data = tmp_path / "data"
    ui = ui_for(assistant, data)
    port = free_port()
    demo = launch(ui, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        turns = []
        for question, _ in WITH_PERSONAL_DATA + WITHOUT_PERSONAL_DATA:
            out = client.predict(question, api_name="/ask")
            assert "error" not in out
            answer, _ = ui.answer(question, [])
            assert answer is not None
            turns.append(turn_of(answer))
        for i in range(len(turns)):
            ui.record_feedback(turns, i, -1, f"About {WITH_PERSONAL_DATA[0][1][0]} again", "tester")
        exports = [Path(ui.export(turns, "md")), Path(ui.export(turns, "pdf"))]
    finally:
        demo.close()

    # The general question is still answered, with a notice that nothing personal was kept.
    flagged = client_notice = ui.answer(WITH_PERSONAL_DATA[0][0], [])[0]
    assert flagged is not None and "not stored" in client_notice.notice and not flagged.abstained

    stored = b"".join(p.read_bytes() for p in data.rglob("*") if p.is_file())
    from pypdf import PdfReader

    exported = exports[0].read_text(encoding="utf-8") + " ".join(
        page.extract_text() for page in PdfReader(exports[1]).pages
    )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for _, personal in WITH_PERSONAL_DATA:
        for item in personal:
            assert item.encode() not in stored, item
            assert item not in exported, item
            assert item not in logged, item
    audit = "\n".join(row.question for row in ui.service.records.questions.rows())
    assert "[NAME]" in audit and "[DOB]" in audit and "[POSTCODE]" in audit
    for _, keep in WITHOUT_PERSONAL_DATA:
        for item in keep:
            assert item in audit, item  # not redacted: not personal
