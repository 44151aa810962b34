"""The trainee sees the passage a question cites with its explanation, after submitting only."""

from __future__ import annotations

from tests.conftest import load_course_folder, submit_quiz, write_course_folder
from tests.seed import correct_form, module_files, module_slug, quiz_items

COURSE = "/courses/jiceng-dangjian"
MARK = 'class="cite-passage"'


def test_the_seed_quiz_shows_each_cited_passage_after_submission_and_not_before(
        client, login_as):
    login_as()
    path = module_files()[1]
    quiz_url = f"{COURSE}/modules/{module_slug(path)}/quiz"
    quiz = client.get(quiz_url).get_data(as_text=True)
    assert MARK not in quiz and "<blockquote" not in quiz
    result = submit_quiz(client, quiz_url, correct_form(path))
    page = client.get(result.location).get_data(as_text=True)
    cites = [item["cite"] for item in quiz_items(path)]
    assert page.count(MARK) == len(cites)
    for cite in cites:
        assert f"<blockquote>{cite}</blockquote>" in page


def test_a_quiz_that_never_shows_answers_does_not_show_the_passage(client, login_as,
                                                                  make_course):
    made = make_course([{"text": "支部书记是核心力量。", "quiz": {"show_answers": "never"},
                         "questions": [{"type": "true_false", "prompt": "对吗？", "answer": "对",
                                        "cite": "支部书记是核心力量。"}]}])
    login_as()
    result = submit_quiz(client, made.modules[0].quiz_url, {"q1": "true"})
    assert MARK not in client.get(result.location).get_data(as_text=True)


def test_an_earlier_attempt_shows_the_passage_it_was_asked_with(app, client, login_as,
                                                               make_course):
    question = {"id": "q", "type": "true_false", "prompt": "对吗？", "answer": "对",
                "cite": "第一版的原文。"}
    made = make_course([{"text": "第一版的原文。", "questions": [question]}])
    login_as()
    result = submit_quiz(client, made.modules[0].quiz_url, {"q1": "true"})
    write_course_folder(made.folder, slug=made.slug, title=made.title, modules=[
        {"text": "第二版的原文。", "questions": [{**question, "cite": "第二版的原文。"}]}])
    load_course_folder(app, made.folder)
    page = client.get(result.location).get_data(as_text=True)
    assert "<blockquote>第一版的原文。</blockquote>" in page and "第二版" not in page
