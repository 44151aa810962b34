"""GIFT constructs every type shares: ::name::, [html]/[markdown]/[plain], $CATEGORY: and
// [tag:…] as the 知识点, taken from Moodle's GIFT documentation and format.php."""

from __future__ import annotations

from flask_babel import force_locale

from lms.content.gift import export_gift, parse_gift
from lms.plugins import load_question_types

REGISTRY = load_question_types()


def parsed(text: str) -> list[dict]:
    result = parse_gift(text, REGISTRY)
    assert not result.skipped, [str(s) for s in result.skipped]
    return [q.raw for q in result.questions]


def test_the_name_is_kept_as_the_questions_title():
    [raw] = parsed("::Colour of snow:: Snow is white.{T}")
    assert raw["title"] == "Colour of snow" and raw["prompt"] == "Snow is white."
    [raw] = parsed("::a\\:b::What?{=x ~y}")  # an escaped colon stays in the name
    assert raw["title"] == "a:b"


def test_html_and_markdown_prompts_keep_their_format_and_plain_stays_text():
    html, markdown, plain, moodle = parsed(
        "::q1::[html]<p>Which is <b>bold</b>?</p>{=<b>this</b> ~that}\n\n"
        "[markdown]Which is **bold**?{=this ~that}\n\n"
        "[plain]<b> is a tag?{T}\n\n"
        "[moodle]Auto format.{T}\n")
    assert html["format"] == "html" and html["prompt"] == "<p>Which is <b>bold</b>?</p>"
    assert html["options"] == ["this", "that"]  # answers are shown as text: tags dropped
    assert markdown["format"] == "markdown" and markdown["prompt"] == "Which is **bold**?"
    assert "format" not in plain and plain["prompt"] == "<b> is a tag?"
    assert "format" not in moodle and moodle["prompt"] == "Auto format."


def test_category_sets_the_topic_of_the_questions_that_follow_and_a_tag_wins():
    first, second, tagged, later, none = parsed(
        "$CATEGORY: $course$/top/党章学习/总纲\n\n"
        "Q1{T}\n\n"
        "Q2{F}\n\n"
        "// [tag:组织生活] [tag:其他]\n"
        "Q3{T}\n\n"
        "$CATEGORY: $course$/Default for 党课/组织建设\n\n"
        "Q4{T}\n\n"
        "$CATEGORY: $course$/top\n\n"
        "Q5{T}\n")
    assert [first.get("topic"), second.get("topic"), tagged.get("topic"),
            later.get("topic"), none.get("topic")] == ["总纲", "总纲", "组织生活", "组织建设", None]


def test_a_tag_comment_separated_by_a_blank_line_belongs_to_no_question():
    [raw] = parsed("// [tag:孤立]\n\nQ{T}\n")
    assert "topic" not in raw


def test_details_survive_an_export_and_import():
    specs = [(raw["type"], REGISTRY[raw["type"]].load_spec(raw)) for raw in parsed(
        "$CATEGORY: $course$/top/党史\n\n"
        "::一大::[html]<p>一大在<i>上海</i>召开。</p>{T}\n\n"
        "::二大::Q{=a ~b}\n\n"
        "$CATEGORY: $course$/top\n\n"
        "[markdown]**粗体**题{=对 ~错}\n")]
    specs[1][1]["difficulty"] = "hard"
    text = export_gift(specs, REGISTRY)
    assert "$CATEGORY: $course$/top/党史\n" in text and "::一大::[html]<p>" in text
    again = parse_gift(text, REGISTRY)
    assert not again.skipped
    assert [(q.raw["type"], REGISTRY[q.raw["type"]].load_spec(q.raw))
            for q in again.questions] == specs


def test_problems_are_reported_with_their_line_in_the_pages_language(app):
    result = parse_gift("Q1{T}\n\n::unclosed name Q2{T}\n\nQ3.{=a ->}\n", REGISTRY)
    assert [s.line for s in result.skipped] == [3, 5]
    from lms.author.bank_problems import describe
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        chinese = [describe(s, REGISTRY) for s in result.skipped]
    with app.test_request_context(), force_locale("en"):
        english = [describe(s, REGISTRY) for s in result.skipped]
    assert chinese[0].startswith("第3行：") and "::" in chinese[0]
    assert english[0] == "Line 3: unparseable: the question name is not closed with ::"
    assert all(not any("a" <= ch.lower() <= "z" for ch in text.split("：", 1)[1][:4])
               for text in chinese)


def test_an_html_questions_per_answer_feedback_is_kept_as_text():
    [raw] = parsed("[html]<p>Q</p>{=<b>a</b>#<i>right</i> ~b#<b>no</b>}")
    assert raw["feedback"] == {"A": "right", "B": "no"}


def test_an_html_questions_fill_in_and_numerical_feedback_is_kept_as_text():
    fill, number = parsed("[html]<p>猫?</p>{=猫#<p>对</p> =%50%小猫#<b>接近</b>}\n\n"
                          "[html]<p>Year?</p>{#1921#<i>yes</i>}\n")
    spec = REGISTRY["fill_blank"].load_spec(fill)
    assert "<" not in str(spec["answer"]) and "对" in str(spec["answer"])
    assert "<" not in str(REGISTRY["numerical"].load_spec(number)["answer"])
