"""A trainer grades the queue from the keyboard: score, comment, "save and next", no mouse."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from lms import create_app, migrate
from tests.browser.conftest import PASSWORD
from tests.conftest import TEST_HASH_METHOD, sign_in, submit_quiz, write_course_folder
from tests.grading_world import ELEVEN, ESSAY_NUMBER, attempt_id_of

pytestmark = pytest.mark.browser


@dataclass
class Queue:
    url: str
    attempt_ids: list[int]


def _user(app, username: str, role: str, unit: str, name: str) -> None:
    result = app.test_cli_runner().invoke(
        args=["lms", "create-user", username, "--role", role, "--unit", unit, "--name", name,
              "--password-stdin"], input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def queue(tmp_path_factory) -> Iterator[Queue]:
    """Its own live app (the shared one keeps the seed course alone): two short answers
    waiting in a trainer's unit."""
    folder = tmp_path_factory.mktemp("grading")
    app = create_app({"LMS_DATABASE_URL": f"sqlite:///{folder / 'lms.sqlite3'}",
                      "SECRET_KEY": "grading-keyboard", "LMS_COURSES_DIR": str(folder / "c"),
                      "LMS_PASSWORD_HASH_METHOD": TEST_HASH_METHOD})
    app.instance_path = str(folder)
    migrate.upgrade(app.extensions["lms"].engine)
    course = write_course_folder(folder / "c" / "sanhui", slug="sanhui", title="组织生活制度",
                                 modules=[{"slug": "essay", "title": "三会一课",
                                           "questions": ELEVEN}])
    loaded = app.test_cli_runner().invoke(args=["lms", "load-courses", str(folder / "c")])
    assert loaded.exit_code == 0, loaded.output
    _user(app, "trainer", "trainer", "党委", "李讲师")
    ids = []
    for username in ("jia", "yi"):
        _user(app, username, "trainee", "党委/第一党总支/第一党支部", f"{username}学员")
        client = app.test_client()
        sign_in(client, username, PASSWORD)
        answers = {f"q{n}": "0" for n in range(1, len(ELEVEN) + 1)}
        answers[f"q{ESSAY_NUMBER}"] = "按时参加组织生活。"
        ids.append(attempt_id_of(submit_quiz(client, course.modules[0].quiz_url,
                                             answers).location))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Queue(f"http://127.0.0.1:{server.server_port}", ids)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["lms"].engine.dispose()


def test_score_comment_and_save_and_next_from_the_keyboard(new_page, queue, zh_compiled):
    page = new_page(1280, 900)
    page.goto(f"{queue.url}/login")
    page.fill('input[name="username"]', "trainer")
    page.fill('input[name="password"]', PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{queue.url}/")
    first, second = queue.attempt_ids
    page.goto(f"{queue.url}/author/grading/{first}")

    score, comment = page.locator(f"#score{ESSAY_NUMBER}"), page.locator(f"#comment{ESSAY_NUMBER}")
    expect(score).to_be_focused()  # the waiting answer, first on the page
    assert page.locator("details.other-questions").evaluate("d => !d.open")  # folded
    page.keyboard.type("12")  # out of range: refused, and nothing typed is lost
    page.keyboard.press("Tab")
    expect(comment).to_be_focused()
    page.keyboard.type("联系实际，很好。")
    page.keyboard.press("Tab")
    expect(page.locator('button[value="next"]')).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#score{ESSAY_NUMBER}-error")).to_contain_text("0 到 10")
    expect(comment).to_have_value("联系实际，很好。")
    expect(score).to_be_focused()

    page.keyboard.press("Control+A")
    page.keyboard.type("8")
    page.keyboard.press("Enter")  # Enter in the score field: the form's first button
    page.wait_for_url(f"{queue.url}/author/grading/{second}")
    expect(page.get_by_text("批阅结果已保存。")).to_be_visible()
    expect(page.locator(f"#score{ESSAY_NUMBER}")).to_be_focused()
