"""A quiz of eleven questions whose short answer (number 10) waits for a trainer, trainees
who hand it in from their own browsers, and a trainer who grades it over HTTP."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import MadeCourse, MadeModule, post_form, sign_in, submit_quiz

#: The trainer's unit; trainees sit in two branches below it, so the queue names both.
TOP = "批阅党委"
UNITS = {"first": f"{TOP}/第一党总支/第一党支部", "second": f"{TOP}/第二党总支/第三党支部"}
ESSAY_NUMBER = 10
ESSAY_POINTS = 10
CHOICE = {"type": "single_choice", "prompt": "党的最高领导机关是？",
          "options": ["全国代表大会和它所产生的中央委员会", "中央政治局"], "answer": "A"}
ELEVEN = [dict(CHOICE, prompt=f"第{n}题：党的最高领导机关是？") for n in range(1, 10)] + [
    {"type": "short_answer", "prompt": "结合工作实际，谈谈你对“三会一课”的体会。",
     "answer": "按时参加，联系实际。", "points": ESSAY_POINTS},
    dict(CHOICE, prompt="第11题：党的最高领导机关是？")]
ATTEMPT_URL = re.compile(r"/courses/[^/]+/modules/[^/]+/attempts/(\d+)$")


@dataclass
class Trainee:
    name: str
    client: FlaskClient

    def hand_in(self, module: MadeModule, essay: str = "按时参加组织生活，联系岗位实际。") -> str:
        """Answer every question (the choices right) and submit; the attempt's URL."""
        answers = {f"q{n}": "0" for n in range(1, len(ELEVEN) + 1)}
        answers[f"q{ESSAY_NUMBER}"] = essay
        result = submit_quiz(self.client, module.quiz_url, answers)
        assert result.status_code == 303 and ATTEMPT_URL.search(result.location), result.location
        return result.location


@dataclass
class GradingWorld:
    app: Flask
    course: MadeCourse
    make_user: object

    @property
    def module(self) -> MadeModule:
        return self.course.modules[0]

    def trainee(self, name: str, unit: str = "first") -> Trainee:
        """A trainee signed in on a client of their own (``unit``: a key of UNITS or a path)."""
        user, password = self.make_user("trainee", unit=UNITS.get(unit, unit), name=name)
        client = self.app.test_client()
        assert sign_in(client, user.username, password).status_code == 302
        return Trainee(name, client)


@pytest.fixture
def grading_world(app, make_course, make_user) -> GradingWorld:
    course = make_course([{"slug": "sanhui", "title": "三会一课", "questions": ELEVEN}],
                         title="组织生活制度")
    return GradingWorld(app, course, make_user)


def attempt_id_of(url: str) -> int:
    return int(ATTEMPT_URL.search(url).group(1))


def grade(client: FlaskClient, attempt_id: int, score: str, comment: str = "",
          then: str = "queue"):
    """Post a grade for the short answer as the signed-in trainer."""
    return post_form(client, f"/author/grading/{attempt_id}",
                     {f"score{ESSAY_NUMBER}": score, f"comment{ESSAY_NUMBER}": comment,
                      "then": then})
