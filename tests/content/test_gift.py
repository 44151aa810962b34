"""GIFT import/export: Moodle's own example file, each construct, and export → import round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.gift import export_gift, parse_gift
from lms.plugins import QuestionTypeRegistry, load_question_types
from lms.questions import BUILTIN_TYPES, QuestionType
from lms.questions.gift_form import GiftBlock, general_feedback, question_text

REGISTRY = load_question_types()
# Moodle's question/format/gift/examples.txt (GPL-3.0-or-later, Paul Tsuchido Shew).
MOODLE_EXAMPLES = Path(__file__).parents[1] / "data" / "gift" / "moodle-examples.txt"


def load(raw: dict) -> dict:
    return REGISTRY[raw["type"]].load_spec(raw)


def one(text: str) -> dict:
    """Parse a file holding one importable question and check it loads as the real type does."""
    result = parse_gift(text, REGISTRY)
    assert not result.skipped, result.skipped
    assert len(result.questions) == 1
    raw = result.questions[0].raw
    load(raw)
    return raw


def skipped(text: str) -> list[str]:
    result = parse_gift(text, REGISTRY)
    assert not result.questions
    return [str(skip) for skip in result.skipped]


# --- Moodle's example file -------------------------------------------------------------------

def test_moodle_examples_imports_what_this_lms_can_grade_and_names_every_skip():
    result = parse_gift(MOODLE_EXAMPLES.read_text("utf-8"), REGISTRY)
    for question in result.questions:
        load(question.raw)

    sc, mc, tf, fb = "single_choice", "multiple_choice", "true_false", "fill_blank"
    nu, ma = "numerical", "matching"  # line 85 follows a // comment, line 202 too
    assert [(q.line, q.raw["type"]) for q in result.questions] == [
        (8, sc), (10, sc), (12, tf), (14, fb), (16, nu), (25, sc), (27, sc), (29, sc),
        (35, sc), (43, fb), (45, fb), (49, tf), (51, tf), (55, ma), (61, ma), (70, nu),
        (72, nu), (74, nu), (76, nu), (85, nu), (90, fb), (93, sc), (98, sc), (103, fb),
        (108, fb), (113, tf), (115, sc), (117, sc), (123, fb), (130, mc), (136, mc),
        (143, sc), (148, sc), (167, sc), (169, sc), (171, tf), (173, fb), (175, nu),
        (177, ma), (184, sc), (190, sc), (195, fb), (202, nu),
    ]
    assert len(result.questions) == 43
    assert [str(s) for s in result.skipped] == []

    by_line = {q.line: q for q in result.questions}
    assert by_line[8].raw == {
        "type": sc, "prompt": "Who's buried in Grant's tomb?",
        "options": ["Grant", "Jefferson", "no one"], "answer": "C", "explanation": "", "points": 1,
    }
    assert by_line[29].raw["prompt"] == (
        "The American holiday of Thanksgiving is celebrated on the ____ Thursday of November.")
    assert by_line[45].raw["prompt"] == "Two plus two equals ____."
    assert by_line[45].raw["answer"] == ["four|4"]
    assert by_line[51].raw["answer"] == "正确" and by_line[49].raw["answer"] == "错误"
    assert by_line[90].name == "Kanji Origins"
    assert by_line[90].raw["prompt"] == "Japanese characters originally\ncame from what country? ____"
    assert by_line[90].raw["answer"] == ["China"]
    assert by_line[98].raw["feedback"] == {
        "A": "feedback comment on the wrong answer", "B": "feedback comment on this wrong answer",
        "C": "Very good!"}
    assert by_line[98].raw["explanation"] == ""
    assert by_line[108].raw["prompt"] == "Who's buried in **Grant's tomb**? ____"
    assert by_line[108].raw["answer"] == ["no one # excellent answer!|nobody # excellent answer!"]
    # {FALSE#...}: Moodle shows the first feedback to the wrong response, here 正确.
    assert by_line[113].raw["feedback"] == {"正确": "No one is buried in Grant's tomb."}
    # "=" present: one right option; the ~%50% option is partial credit, not a right answer.
    assert by_line[115].raw["answer"] == "C" and by_line[190].raw["answer"] == "C"
    assert by_line[117].name == "Jesus' hometown"
    assert by_line[117].raw["prompt"] == "Jesus Christ was from ____."
    assert by_line[117].raw["answer"] == "D"
    # Each answer keeps its credit and feedback, as Moodle grades a short answer.
    assert by_line[123].raw["answer"] == [
        "Nazareth # Yes! That's right!|Nazereth (75%) # Right, but misspelled."
        "|Bethlehem (25%) # He was born here, but not raised here."]
    assert by_line[123].raw["prompt"] == "Jesus Christ was from ____"
    assert by_line[130].raw["answer"] == "BC" and by_line[136].raw["answer"] == "BC"
    assert by_line[143].raw["options"] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = by_line[148]
    assert control.name == "GIFT Control Characters"
    assert control.raw["options"] == ["~", "=", "#", "{", "}", "\\"]
    assert control.raw["answer"] == "F"
    assert control.raw["feedback"]["F"] == (
        "Correct! \\ (backslash) is not a control character. BUT, it is used to escape the "
        "control characters. So, to specify a literal backslash, you must escape it with a "
        "backslash (as shown in this example).")
    assert by_line[195].raw["prompt"] == "Jesus Christ was from ____."


def test_moodle_examples_truncated_anywhere_never_fails_the_file():
    text = MOODLE_EXAMPLES.read_text("utf-8")
    for end in range(0, len(text), 7):
        result = parse_gift(text[:end], REGISTRY)
        for question in result.questions:
            load(question.raw)


# --- Each construct --------------------------------------------------------------------------

def test_single_choice_with_general_and_per_answer_feedback():
    raw = one("Capital of France?{~Lyon#Too far south. =Paris#Yes. ~Nice ####Paris since 508.}")
    assert raw == {"type": "single_choice", "prompt": "Capital of France?",
                   "options": ["Lyon", "Paris", "Nice"], "answer": "B",
                   "explanation": "Paris since 508.", "points": 1,
                   "feedback": {"A": "Too far south.", "B": "Yes."}}


def test_positive_weights_without_equals_make_a_multiple_choice():
    raw = one("Pick two.{~%50%A ~%50%B ~%-100%C}")
    assert raw["type"] == "multiple_choice" and raw["answer"] == "AB"
    assert one("Pick.{~%33.33333%A ~%33.33333%B ~C ~%33.33333%D}")["answer"] == "ABD"
    # Checkboxes even with one right option: radio buttons would say exactly one is right.
    assert one("Only one counts.{~%100%A ~B}") == {
        "type": "multiple_choice", "prompt": "Only one counts.", "options": ["A", "B"],
        "answer": "A", "explanation": "", "points": 1}


def test_choice_skips_when_no_single_right_option_is_known():
    assert skipped("None right.{~%-50%A ~B}") == [
        "line 1: unparseable: no option is marked right (= or a positive %weight%)"]
    assert skipped("Two right.{=A =B ~C}") == [
        "line 1: unsupported: several full-credit options in a single-answer question"]


def test_missing_word_choice_puts_the_blank_where_the_block_was():
    raw = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert raw["prompt"] == "Grant is ____ in Grant's tomb." and raw["answer"] == "B"


@pytest.mark.parametrize("word,answer", [("T", "正确"), ("TRUE", "正确"), ("F", "错误"),
                                         ("FALSE", "错误"), ("true", "正确")])
def test_true_false(word, answer):
    assert one(f"The sun rises in the east.{{{word}}}") == {
        "type": "true_false", "prompt": "The sun rises in the east.", "answer": answer,
        "explanation": "", "points": 1}


def test_true_false_feedback_is_labelled_with_the_response_it_answers():
    raw = one("Water is wet.{TRUE#Think again.#Indeed.####It is.}")
    assert raw["explanation"] == "It is."
    assert raw["feedback"] == {"正确": "Indeed.", "错误": "Think again."}


def test_short_answer_becomes_fill_blank_with_the_blank_appended_or_in_place():
    raw = one("Who's buried in Grant's tomb?{=Grant =Ulysses S. Grant}")
    assert raw == {"type": "fill_blank", "prompt": "Who's buried in Grant's tomb? ____",
                   "answer": ["Grant|Ulysses S. Grant"], "explanation": "", "points": 1}
    assert one("Two plus two equals {=four =4}.")["prompt"] == "Two plus two equals ____."
    assert one("Two plus two?{=%100%four =%50%for}")["answer"] == ["four|for (50%)"]
    assert one("Separator in CSV?{=a;b}")["answer"] == [["a;b"]]  # the string form would split


def test_short_answer_with_only_partial_credit_is_skipped():
    assert skipped("Spell it.{=%50%Nazereth =%25%Nazarith}") == [
        "line 1: invalid fill_blank (answer: blank 1 needs an answer with full credit)"]


def test_names_comments_escapes_formats_and_multiline():
    text = (
        "$CATEGORY: $course$/Top/History\n\n"
        "// a comment line\n"
        "::Q\\:1::[markdown]Is **1 \\= 1**\n"
        "  and \\{this\\} \\~ \\# \\\\ plain?\n"
        "// a comment inside the question\n"
        "{T}\n"
    )
    result = parse_gift(text, REGISTRY)
    assert not result.skipped and len(result.questions) == 1
    question = result.questions[0]
    assert (question.line, question.name) == (4, "Q:1")
    assert question.raw["prompt"] == "Is **1 = 1**\n  and {this} ~ # \\ plain?"
    load(question.raw)
    assert one("[html]<b>Pick</b>{=[plain]one ~two}")["prompt"] == "<b>Pick</b>"
    assert one("[html]<b>Pick</b>{=[plain]one ~two}")["options"] == ["one", "two"]
    assert one("First line\\nsecond line{T}")["prompt"] == "First line\nsecond line"


@pytest.mark.parametrize("text,reason", [
    ("Pi?{#pi}", "invalid numerical (answer: answer 1: “pi” is not a number)"),
    ("Just some text for the students.", "unsupported type (description)"),
    ("Unclosed {=a =b", "unparseable: '{' is never closed with '}' (escape a literal brace as \\{)"),
    ("Stray } here {T}", "unparseable: '}' without a matching '{' (escape a literal brace as \\})"),
    ("Two {=a} blocks {=b}", "unparseable: more than one answer block"),
    ("Nested {=a {b}}", "unparseable: '{' inside the answer block (escape it as \\{)"),
    ("::No end name {T}", "unparseable: the question name is not closed with ::"),
    ("Bare words.{China}", "unparseable: answers must start with = (short answer) or ~ (choice)"),
    ("Text first.{x ~a =b}", "unparseable: text before the first ~ or = answer"),
    ("Nine.{=1 ~2 ~3 ~4 ~5 ~6 ~7 ~8 ~9}",
     "invalid single_choice (options: has more than 8 options)"),
    ("Twins.{=a ~a}", "invalid single_choice (options: two options have the same text)"),
    ("Blank ____ twice?{=a}", "invalid fill_blank (answer: needs one entry per blank: "
                              "the prompt has 2)"),
])
def test_unsupported_and_broken_questions_are_skipped_with_a_reason(text, reason):
    assert skipped(text) == [f"line 1: {reason}"]


def test_one_bad_question_does_not_lose_the_rest_and_lines_are_counted_exactly():
    text = "\ufeffGood?{T}\r\n\r\nBad {=a\r\n\r\n\r\n// note\r\nAlso good?\r\n{=yes}\r\n"
    result = parse_gift(text, REGISTRY)
    assert [(q.line, q.raw["type"]) for q in result.questions] == [(1, "true_false"),
                                                                    (7, "fill_blank")]
    assert [s.line for s in result.skipped] == [3]
    assert str(result.skipped[0]).startswith("line 3: unparseable")
    assert (parse_gift("$CATEGORY: tom\n\n// only comments\n", REGISTRY)
            == parse_gift("", REGISTRY))


# --- Export ----------------------------------------------------------------------------------

SPECS = [
    ("single_choice", {"type": "single_choice", "prompt": "Which is {not} a = sign? #1: ok",
                       "options": ["~", "=", "a\\b"], "answer": "C",
                       "explanation": "Line one.\n\nLine two.", "points": 1}),
    ("multiple_choice", {"type": "multiple_choice", "prompt": "党的根本宗旨是什么？选出两项。",
                         "options": ["全心全意", "为人民服务", "发展经济", "其他"],
                         "answer": "AB", "explanation": "", "points": 1}),
    ("multiple_choice", {"type": "multiple_choice", "prompt": "Three of four.",
                         "options": ["a", "b", "c", "d"], "answer": "ABD", "points": 1}),
    ("true_false", {"type": "true_false", "prompt": "// looks like a comment", "answer": "错误",
                    "explanation": "因为。"}),
    ("true_false", {"type": "true_false", "prompt": "[html] is not a marker here", "answer": "对"}),
    ("fill_blank", {"type": "fill_blank", "prompt": "坚持____原则。", "answer": ["四个坚持|四项"]}),
    ("fill_blank", {"type": "fill_blank", "prompt": "Who's buried in Grant's tomb? ____",
                    "answer": ["no one|nobody"], "explanation": "Nobody is."}),
    ("fill_blank", {"type": "fill_blank", "prompt": "____ comes first.", "answer": ["this"]}),
]


def test_export_then_import_gives_back_the_same_questions():
    specs = [(name, load(raw)) for name, raw in SPECS]
    text = export_gift(specs, REGISTRY)
    result = parse_gift(text, REGISTRY)
    assert not result.skipped, text
    assert [q.raw["type"] for q in result.questions] == [name for name, _ in specs]
    assert [load(q.raw) for q in result.questions] == [spec for _, spec in specs]


def test_moodle_examples_survive_a_round_trip():
    first = [(q.raw["type"], load(q.raw))
             for q in parse_gift(MOODLE_EXAMPLES.read_text(), REGISTRY).questions]
    again = parse_gift(export_gift(first, REGISTRY), REGISTRY)
    assert not again.skipped
    assert [(q.raw["type"], load(q.raw)) for q in again.questions] == first


def test_export_text_uses_gift_weights_escapes_and_general_feedback():
    text = export_gift([(name, load(raw)) for name, raw in SPECS[:3]], REGISTRY)
    assert "Which is \\{not\\} a \\= sign? \\#1\\: ok {\n\t~\\~\n\t~\\=\n\t=a\\\\b\n" in text
    assert "\t####Line one.\\n\\nLine two.\n}" in text
    assert "\t~%50%全心全意\n\t~%50%为人民服务\n\t~%-100%发展经济\n" in text
    assert "\t~%33.33333%a\n\t~%33.33333%b\n\t~%-100%c\n\t~%33.33333%d\n" in text
    assert "\n\n\n" not in text  # explanation blank lines must not split the question
    assert export_gift([], REGISTRY) == ""


def test_export_notes_what_gift_cannot_hold():
    multi = load({"type": "fill_blank", "prompt": "坚持____原则，做到____。",
                  "answer": ["四个坚持", "宁缺毋滥|宁缺勿滥"], "points": 3})
    text = export_gift([("fill_blank", multi), ("ordering", {"prompt": "x"})], REGISTRY)
    assert text.splitlines()[:3] == [
        "// points: 3 (GIFT has no per-question points)",
        "// 2 blanks: GIFT short answer has one, so the others stay as ____ "
        "(blank 2 = 宁缺毋滥|宁缺勿滥)",
        "坚持{=四个坚持}原则，做到____。",
    ]
    assert "// skipped: question type 'ordering' has no GIFT form" in text
    result = parse_gift(text, REGISTRY)
    assert not result.questions  # the second blank has no answer block, so it cannot load
    assert str(result.skipped[0]) == (
        "line 3: invalid fill_blank (answer: needs one entry per blank: the prompt has 2)")


# --- Plugin types ----------------------------------------------------------------------------

class Numerical(QuestionType):
    """A plugin type owning Moodle's numerical construct in a registry without the built-in."""

    name = "plugin_numerical"
    label = "数值题"
    template = "numerical.html"
    gift_kinds = frozenset({"numerical"})

    def load_spec(self, raw: dict) -> dict:
        spec = super().load_spec(raw)
        spec["answer"] = [float(part) for part in str(raw.get("answer")).split(":")]
        return spec

    def gift_read(self, block: GiftBlock) -> dict:
        return {"prompt": block.prompt(), "answer": block.answer[1:].strip(),
                "explanation": block.explanation([])}

    def gift_write(self, spec: dict) -> str:
        value, tolerance = spec["answer"]
        return f"{question_text(spec['prompt'])} {{#{value:g}:{tolerance:g}{general_feedback(spec)}}}"


def test_a_plugin_type_reads_and_writes_the_construct_it_claims():
    registry = QuestionTypeRegistry()
    for question_type in BUILTIN_TYPES:  # all but the built-in that would read it first
        if not {"numerical", "matching"} & question_type.gift_kinds:
            registry.register(question_type)
    registry.register(Numerical)
    result = parse_gift("::pi:: Pi to two places? {#3.14:0.005####Close enough.}\n\n"
                        "Match.{=a -> 1 =b -> 2}", registry)
    assert [(q.name, q.raw) for q in result.questions] == [("pi", {
        "type": "plugin_numerical", "prompt": "Pi to two places?", "answer": "3.14:0.005",
        "explanation": "Close enough.", "points": 1, "title": "pi"})]
    assert [str(s) for s in result.skipped] == ["line 3: unsupported type (matching)"]
    spec = registry["plugin_numerical"].load_spec(result.questions[0].raw)
    text = export_gift([("plugin_numerical", spec)], registry)
    assert text == "::pi::Pi to two places? {#3.14:0.005####Close enough.}\n"
    assert registry["plugin_numerical"].load_spec(parse_gift(text, registry).questions[0].raw) == spec
    # Without the plugin an export says what it left out.
    assert export_gift([("plugin_numerical", spec)], REGISTRY) == (
        "// skipped: question type 'plugin_numerical' has no GIFT form\n")
