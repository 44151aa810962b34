"""The longest texts people really type, in every room: a course, people and attempts.

A course whose titles, options and prompts are long (CJK and unbroken Latin), a trainee in
units with long names who handed in a long unbroken short answer twice: the first graded by
the trainer with a long comment (which completes the course and issues its certificate), the
second waiting; a trainer who authors the course and has started a draft of it, and a site
administrator. Built once per live server, through the CLI and the test client, so each
browser test only signs in and looks.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tests.browser.conftest import PASSWORD, create_staff

SLUG = "long-texts"
MODULE = "long-module"
WORD = "Qualitätsmanagementsystemdokumentationsverantwortlicher"  # one unbroken word
URL = "https://example.org/" + "a-very-long-path-segment-without-spaces" * 3
COURSE_TITLE = ("基层党组织标准化规范化建设暨党员教育管理监督服务全流程实务与典型案例深度解析"
                f"（二〇二六年度第一期专题培训班）{WORD}")
MODULE_TITLE = f"第一章　党支部工作条例全文逐条解读与“三会一课”组织生活会规范记录{WORD}"
UNIT_PATH = ("党委/第一党总支（机关综合服务保障暨后勤管理与基础设施建设运行维护中心联合）"
             f"/第一党支部{WORD}")
#: What the trainee writes: a long answer with no space to break at.
LONG_ANSWER = "我的学习体会：" + "坚持党的全面领导" * 30 + URL + WORD * 3
#: What the trainer writes back.
LONG_COMMENT = "评语：" + "联系实际不够具体" * 20 + URL + WORD * 2
SUBMIT_ACTION = re.compile(r'id="quiz-form"\s+action="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass(frozen=True)
class LongWorld:
    trainee: tuple[str, str]
    trainer: tuple[str, str]
    admin: tuple[str, str]
    user_id: int
    unit_id: int
    attempt_id: int           # the second short answer, waiting for grading
    graded_attempt_id: int    # the first, graded with a long comment
    certificate_code: str


def _write_course(folder: Path) -> None:
    (folder / "course.yml").write_text(textwrap.dedent(f"""\
        slug: {SLUG}
        title: {COURSE_TITLE}
        description: 长描述{WORD}{URL}
        pass_mark: 60
        modules:
          - 01-long.md
        rules:
          certificate: completed
        """), encoding="utf-8")
    (folder / "01-long.md").write_text(textwrap.dedent(f"""\
        ---
        slug: {MODULE}
        title: {MODULE_TITLE}
        minutes: 1
        ---

        正文提到一个很长的地址 {URL} 和一个很长的词 {WORD}。

        ```quiz
        - id: long-1
          type: single_choice
          prompt: 下列哪一项是{WORD}的职责？{URL}
          options:
            - {WORD}{WORD}
            - {URL}
            - 按照党支部工作条例的规定认真组织开展“三会一课”并如实记录会议内容与党员出勤情况
          answer: C
          explanation: 解析{WORD}{URL}
        - id: long-2
          type: short_answer
          prompt: 结合本单位实际谈谈学习{WORD}的体会。
          answer: 参考答案{WORD}{URL}
        ```
        """), encoding="utf-8")


def _cli(app, *args: str) -> None:
    result = app.test_cli_runner().invoke(args=["lms", *args])
    assert result.exit_code == 0, result.output


def _signed_in(app, username: str):
    client = app.test_client()
    token = CSRF_META.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    return client


def _post(client, path: str, data: dict) -> None:
    """A form as its page sends it (with the page's CSRF token); it must redirect."""
    token = CSRF_META.search(client.get(path).get_data(as_text=True)).group(1)
    response = client.post(path, data={**data, "csrf_token": token})
    assert response.status_code in (302, 303), (path, response.status_code)


def _hand_in(client) -> int:
    """The trainee answers the quiz (the long short answer) and submits; returns the attempt."""
    page = client.get(f"/courses/{SLUG}/modules/{MODULE}/quiz").get_data(as_text=True)
    action = SUBMIT_ACTION.search(page).group(1)
    token = CSRF_META.search(page).group(1)
    response = client.post(action, data={"q1": "2", "q2": LONG_ANSWER, "csrf_token": token})
    assert response.status_code == 303, response.status_code
    return int(response.location.rstrip("/").rsplit("/", 1)[1])


_built: dict[int, LongWorld] = {}


def long_world(live_server, tmp_path_factory) -> LongWorld:
    """The world above, built on first use for this live server."""
    if id(live_server) not in _built:
        folder = tmp_path_factory.mktemp("long-courses") / SLUG
        folder.mkdir()
        _built[id(live_server)] = _build(live_server, folder)
    return _built[id(live_server)]


def _build(live_server, folder: Path) -> LongWorld:
    from lms.models import Certificate, User

    app = live_server.app
    _write_course(folder)
    _cli(app, "load-courses", str(folder.parent))
    trainee = "long-trainee"
    result = app.test_cli_runner().invoke(
        args=["lms", "create-user", trainee, "--role", "trainee", "--unit", UNIT_PATH,
              "--name", "欧阳长名字学员" + WORD, "--password-stdin"], input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    trainer = create_staff(live_server, "trainer", "长标题课程的作者" + WORD)
    _cli(app, "grant", trainer[0], "--course-author", SLUG)
    admin = create_staff(live_server, "admin", "组织部管理员")
    learner = _signed_in(app, trainee)
    graded_id = _hand_in(learner)
    author = _signed_in(app, trainer[0])
    _post(author, f"/author/grading/{graded_id}", {"score2": "1", "comment2": LONG_COMMENT})
    _post(author, f"/author/courses/{SLUG}/draft/start", {})
    attempt_id = _hand_in(learner)
    with app.app_context():
        db = app.extensions["lms"].session()
        user = db.query(User).filter_by(username=trainee).one()
        code = db.query(Certificate.code).filter_by(user_id=user.id).scalar()
        assert code is not None, "the graded pass should have completed the course"
        return LongWorld(trainee=(trainee, PASSWORD), trainer=trainer, admin=admin,
                         user_id=user.id, unit_id=user.org_unit_id, attempt_id=attempt_id,
                         graded_attempt_id=graded_id, certificate_code=code)
