"""Trainer pages: role checks, question bank import with preview, exports, grading, statistics."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from lms.models import Question
from tests.conftest import csrf_token, post_form, start_quiz, submit_quiz

GIFT = Path(__file__).resolve().parents[1] / "data" / "gift" / "moodle-examples.txt"
QUIZ = "/author/courses/assess/modules/scoring/quiz"
IMPORT = "/author/courses/assess/modules/scoring/import"


def bank_count(db) -> int:
    return db.scalar(select(func.count()).select_from(Question).where(Question.origin == "bank"))


@pytest.mark.parametrize("url", ["/author/", QUIZ, IMPORT, "/author/grading",
                                 "/author/question-bank-template.xlsx",
                                 "/author/courses/assess/questions.xlsx",
                                 QUIZ + "/analysis.csv"])
def test_trainees_cannot_open_trainer_pages(client, login_as, url):
    login_as("trainee")
    assert client.get(url).status_code == 403


def test_gift_import_previews_then_imports_on_confirm(client, login_as, db, grant):
    grant(login_as("trainer"), course="assess")
    token = csrf_token(client, IMPORT)
    preview = client.post(IMPORT, data={"csrf_token": token,
                                        "file": (io.BytesIO(GIFT.read_bytes()), "moodle.gift")},
                          content_type="multipart/form-data")
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "预览：将导入 43 道题" in text
    assert "无法导入" not in text and "不支持" not in text  # matching imports too (issue 9)
    assert bank_count(db) == 0  # nothing stored before confirming
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', text).group(1)

    tampered = post_form(client, IMPORT + "/confirm", {"payload": payload[:-3] + "abc"},
                         token_from=IMPORT)
    assert tampered.status_code == 302 and bank_count(db) == 0

    done = post_form(client, IMPORT + "/confirm", {"payload": payload}, token_from=IMPORT)
    assert done.status_code == 302 and done.location.endswith(QUIZ)
    assert bank_count(db) == 43
    page = client.get(QUIZ).get_data(as_text=True)
    assert "已导入43道题。" in page and page.count("已导入</span>") == 43
    # The confirm works once: a double click or a replayed request imports nothing more.
    again = post_form(client, IMPORT + "/confirm", {"payload": payload}, token_from=IMPORT)
    assert again.status_code == 409 and bank_count(db) == 43
    assert "没有重复导入" in again.get_data(as_text=True)


def test_another_author_cannot_confirm_someone_elses_preview(client, login_as, db, grant):
    grant(login_as("trainer"), course="assess")
    preview = client.post(IMPORT, data={"csrf_token": csrf_token(client, IMPORT),
                                        "file": (io.BytesIO(GIFT.read_bytes()), "moodle.gift")},
                          content_type="multipart/form-data").get_data(as_text=True)
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', preview).group(1)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    grant(login_as("trainer"), course="assess")
    post_form(client, IMPORT + "/confirm", {"payload": payload}, token_from=IMPORT)
    assert bank_count(db) == 0


def test_excel_with_errors_imports_nothing_and_names_the_rows(client, login_as, db, grant):
    grant(login_as("trainer"), course="assess")
    book = Workbook()
    sheet = book.active
    sheet.append(["题型", "题干", "选项A", "选项B", "选项C", "选项D", "正确答案", "解析", "分值"])
    sheet.append(["单选题", "好题", "甲", "乙", "", "", "A", "", 1])
    sheet.append(["单选题", "坏题", "甲", "乙", "", "", "E", "", 1])
    data = io.BytesIO()
    book.save(data)
    response = client.post(IMPORT, data={"csrf_token": csrf_token(client, IMPORT),
                                         "file": (io.BytesIO(data.getvalue()), "bank.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "第3行" in response.get_data(as_text=True)
    assert bank_count(db) == 0


def test_upload_of_another_file_type_is_refused(client, login_as, grant):
    grant(login_as("trainer"), course="assess")
    response = client.post(IMPORT, data={"csrf_token": csrf_token(client, IMPORT),
                                         "file": (io.BytesIO(b"MZ"), "virus.exe")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert ".xlsx" in response.get_data(as_text=True)


def test_exports_download_and_reimport(client, login_as, app, make_course, grant):
    first = [{"type": "single_choice", "prompt": "支部党员大会多久召开一次？",
              "options": ["每季度", "每年"], "answer": "A"},
             {"type": "true_false", "prompt": "党课每季度至少一次。", "answer": "正确"},
             {"type": "fill_blank", "prompt": "“三会一课”中的“一课”指____。", "answer": "党课"}]
    second = [{"type": "multiple_choice", "prompt": "哪些属于“三会”？",
               "options": ["支部党员大会", "支部委员会", "运动会"], "answer": "AB"}]
    course = make_course([{"slug": "first", "questions": first},
                          {"slug": "second", "questions": second}])
    grant(login_as("trainer"), course=course.slug)
    xlsx = client.get(f"/author{course.url}/questions.xlsx")
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.data)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "题型"
    assert [row[1] for row in rows[1:]] == [q["prompt"] for q in first + second]
    gift = client.get(f"/author{course.url}/questions.gift?module=first")
    assert gift.status_code == 200 and "attachment" in gift.headers["Content-Disposition"]
    from lms.content.gift import parse_gift

    registry = app.extensions["lms"].question_types
    parsed = parse_gift(gift.get_data(as_text=True), registry).questions
    assert [q.raw["type"] for q in parsed] == [q["type"] for q in first]


def test_cli_import_and_export(runner, tmp_path, db):
    result = runner.invoke(args=["lms", "import-questions", str(GIFT), "--course", "assess",
                                 "--module", "scoring"])
    assert result.exit_code == 0, result.output
    assert "已导入 43 道题到 assess/scoring（0 道无法导入）" in result.output
    out = tmp_path / "bank.xlsx"
    result = runner.invoke(args=["lms", "export-questions", "--course", "assess",
                                 "--module", "scoring", "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0 and "已导出 44 道题" in result.output
    # Importing the same file again skips what the module holds, unless asked otherwise.
    again = runner.invoke(args=["lms", "import-questions", str(GIFT), "--course", "assess",
                                "--module", "scoring"])
    assert again.exit_code == 0, again.output
    assert "已导入 0 道题" in again.output and "已有的 43 道题被跳过" in again.output
    copies = runner.invoke(args=["lms", "import-questions", str(GIFT), "--course", "assess",
                                 "--module", "scoring", "--existing", "copy"])
    assert "已导入 43 道题" in copies.output
    result = runner.invoke(args=["lms", "import-questions", str(GIFT), "--course", "nope",
                                 "--module", "x"])
    assert result.exit_code == 2


def answer_all(client, quiz_url: str, make_right: bool = True):
    """Answer the scoring module's single multiple-choice question."""
    return submit_quiz(client, quiz_url, {"q1": ["0", "1", "2"] if make_right else ["3"]})


def test_item_analysis_shows_on_the_quiz_page_and_exports_safe_csv(app, client, login_as,
                                                                   make_user):
    from tests.conftest import sign_in

    for right in (True, True, False):
        trainee, password = make_user()
        other = app.test_client()
        sign_in(other, trainee.username, password)
        answer_all(other, "/courses/assess/modules/scoring/quiz", right)
    login_as("trainer")
    page = client.get(QUIZ).get_data(as_text=True)
    assert "3 次已评分作答" in page
    assert "0.67" in page  # facility: two of three right
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "选项分布 选项 占比 作答次数 A 2 B 2 C 2 D 1" in text  # each count beside its bar
    csv = client.get(QUIZ + "/analysis.csv")
    body = csv.data.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("题目,题型,作答次数")
    assert "0.67" in body


def test_grading_queue_flow(app, client, login_as, make_user):
    from tests.conftest import sign_in

    trainee, password = make_user(name="赵学员")
    learner = app.test_client()
    sign_in(learner, trainee.username, password)
    quiz_url = "/courses/assess/modules/written/quiz"
    action = start_quiz(learner, quiz_url)
    result = submit_quiz(learner, quiz_url, {"q1": "0", "q2": ["2", "1", "3"],
                                             "q3": "书记是核心。"}, action=action)
    waiting = learner.get(result.location).get_data(as_text=True)
    assert "待批阅" in waiting and "核心力量和推动者" not in waiting  # reference answer hidden

    login_as("trainer")
    queue = client.get("/author/grading").get_data(as_text=True)
    assert "赵学员" in queue
    attempt_id = int(re.search(r"/author/grading/(\d+)", queue).group(1))
    grade_url = f"/author/grading/{attempt_id}"
    bad = post_form(client, grade_url, {"score3": "9"})
    assert bad.status_code == 400 and "0 到 1" in bad.get_data(as_text=True)
    good = post_form(client, grade_url, {"score3": "1", "comment3": "很好"})
    assert good.status_code == 303
    final = learner.get(result.location).get_data(as_text=True)
    assert "及格" in final and "很好" in final
    assert "暂无待批阅" in client.get("/author/grading").get_data(as_text=True)


def test_quiz_page_and_draft_api_never_carry_answers(client, login_as):
    login_as()
    for slug in ("written", "timed", "scoring"):
        quiz_url = f"/courses/assess/modules/{slug}/quiz"
        html = client.get(quiz_url).get_data(as_text=True)
        for secret in ("核心力量和推动者", "甲题解析", "乙题解析", "丙题解析", "原文：“一课”指党课",
                       "支委会每月"):
            assert secret not in html
        attempt_id = re.search(r'data-attempt="(\d+)"', html).group(1)
        response = client.post(f"/attempts/{attempt_id}/draft",
                               json={"answers": {"q1": ["0"]}},
                               headers={"X-CSRFToken": csrf_token(client, "/")})
        assert response.status_code == 200
        assert set(response.get_json()) == {"saved_at"}
        restored = client.get(quiz_url).get_data(as_text=True)
        assert 'value="0" checked' in restored or "selected" in restored


def test_draft_api_checks_owner_csrf_and_shape(app, client, login_as, make_user):
    login_as()
    html = client.get("/courses/assess/modules/scoring/quiz").get_data(as_text=True)
    attempt_id = re.search(r'data-attempt="(\d+)"', html).group(1)
    url = f"/attempts/{attempt_id}/draft"
    assert client.post(url, json={"answers": {}}).status_code == 400  # no CSRF header
    token = csrf_token(client, "/")
    bad = client.post(url, data="not json", headers={"X-CSRFToken": token})
    assert bad.status_code == 400
    wrong = client.post(url, json={"answers": {"q1": {"x": 1}}}, headers={"X-CSRFToken": token})
    assert wrong.status_code == 400 and json.loads(wrong.data)["error"] == "InvalidInput"
    from tests.conftest import sign_in

    other_user, password = make_user()
    other = app.test_client()
    sign_in(other, other_user.username, password)
    stolen = other.post(url, json={"answers": {"q1": ["0"]}},
                        headers={"X-CSRFToken": csrf_token(other, "/")})
    assert stolen.status_code == 404
    assert app.test_client().post(url, json={"answers": {}}).status_code == 401


def test_show_answers_never_hides_key_and_explanation(client, login_as):
    login_as()
    quiz_url = "/courses/assess/modules/timed/quiz"
    result = submit_quiz(client, quiz_url, {"q1": "0", "q2": "0"})
    page = client.get(result.location).get_data(as_text=True)
    assert "本测验暂不公布正确答案" in page
    assert "解析" not in page.split("<h2>", 1)[1].replace("本测验暂不公布正确答案", "")
    assert "正确答案：" not in page


def test_oversized_upload_gets_a_clear_413(app, client, login_as, grant):
    grant(login_as("trainer"), course="assess")
    token = csrf_token(client, IMPORT)
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = client.post(IMPORT, data={"csrf_token": token,
                                             "file": (io.BytesIO(b"x" * 4096), "big.gift")},
                               content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    assert response.status_code == 413
    assert "文件太大" in response.get_data(as_text=True)


def test_an_excel_export_that_cannot_hold_a_question_says_so(client, login_as, grant,
                                                             make_course):
    made = make_course([{"questions": [{"type": "multiple_choice", "prompt": "选出正确的。",
                                        "options": ["对", "错"], "answer": "A"}]}])
    grant(login_as("trainer"), course=made.slug)
    refused = client.get(f"/author/courses/{made.slug}/questions.xlsx")
    assert refused.status_code == 302
    page = client.get(refused.location).get_data(as_text=True)
    assert "题目无法导出" in page and "GIFT" in page
    assert client.get(f"/author/courses/{made.slug}/questions.gift").status_code == 200
