"""Grading focuses on what waits: the waiting answer first with the rest folded, the trainee's
unit in the queue, a way through the queue, and a form that never loses what was typed."""

from __future__ import annotations

import re

from tests.conftest import csrf_token
from tests.grading_world import (
    ESSAY_NUMBER,
    attempt_id_of,
    grade,
)

ESSAY = f"score{ESSAY_NUMBER}"


def ids_in_queue(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/author/grading/(\d+)"', html)]


def queue_rows(html: str) -> list[str]:
    rows = re.findall(r'<li class="module-row">(.*?)</li>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_the_waiting_answer_comes_first_and_the_rest_is_folded(client, login_as,
                                                               grading_world):
    url = grading_world.trainee("李学员").hand_in(grading_world.module)
    login_as("trainer", unit="批阅党委")
    page = client.get(f"/author/grading/{attempt_id_of(url)}").get_data(as_text=True)

    main = page[page.index("<main"):]
    ordered = [int(n) for n in re.findall(r'id="question-(\d+)"', main)]
    assert ordered == [ESSAY_NUMBER, *range(1, ESSAY_NUMBER), 11]
    folded = re.search(r"<details class=\"other-questions\">(.*?)</details>", main, re.S)
    assert folded, "the other questions are in a <details>"
    assert "<details class=\"other-questions\" open" not in main  # closed by default
    assert sorted(int(n) for n in re.findall(r'id="question-(\d+)"', folded.group(1))) == \
        [n for n in range(1, 12) if n != ESSAY_NUMBER]
    assert "其余10道题（自动评分：10/10分）" in folded.group(1)
    waiting = main[:main.index("<details")]
    assert "谈谈你对“三会一课”的体会" in waiting and "按时参加组织生活" in waiting
    # The keyboard path: the score is focused, then its comment, then "save and next".
    assert re.search(rf'<input id="{ESSAY}" name="{ESSAY}"[^>]* autofocus', waiting)
    assert waiting.index(f'id="comment{ESSAY_NUMBER}"') < waiting.index('value="next"') \
        < waiting.index('value="queue"')


def test_the_queue_names_each_trainees_unit(client, login_as, grading_world):
    grading_world.trainee("李学员", unit="first").hand_in(grading_world.module)
    grading_world.trainee("王学员", unit="second").hand_in(grading_world.module)
    login_as("trainer", unit="批阅党委")
    rows = queue_rows(client.get("/author/grading").get_data(as_text=True))
    assert len(rows) == 2
    assert rows[0].startswith("李学员 · 三会一课 批阅党委/第一党总支/第一党支部 组织生活制度")
    assert rows[1].startswith("王学员 · 三会一课 批阅党委/第二党总支/第三党支部 组织生活制度")


def test_previous_and_next_walk_the_queue(client, login_as, grading_world):
    urls = [grading_world.trainee(name).hand_in(grading_world.module)
            for name in ("甲学员", "乙学员", "丙学员")]
    first, middle, last = (attempt_id_of(url) for url in urls)
    login_as("trainer", unit="批阅党委")
    page = client.get(f"/author/grading/{middle}").get_data(as_text=True)
    assert f'rel="prev" href="/author/grading/{first}"' in page
    assert f'rel="next" href="/author/grading/{last}"' in page
    assert "待批阅第2份，共3份" in page
    page = client.get(f"/author/grading/{first}").get_data(as_text=True)
    assert 'rel="prev"' not in page and f'rel="next" href="/author/grading/{middle}"' in page


def test_the_way_through_the_queue_stays_in_the_trainers_scope(client, login_as,
                                                               grading_world):
    mine = grading_world.trainee("甲学员").hand_in(grading_world.module)
    grading_world.trainee("外单位学员", unit="别的党委/第一党支部").hand_in(grading_world.module)
    also_mine = grading_world.trainee("丙学员", unit="second").hand_in(grading_world.module)
    login_as("trainer", unit="批阅党委")
    page = client.get(f"/author/grading/{attempt_id_of(mine)}").get_data(as_text=True)
    assert f'rel="next" href="/author/grading/{attempt_id_of(also_mine)}"' in page
    assert "待批阅第1份，共2份" in page
    saved = grade(client, attempt_id_of(mine), "5", then="next")
    assert saved.location.endswith(f"/author/grading/{attempt_id_of(also_mine)}")


def test_save_and_next_lands_on_the_next_waiting_attempt(client, login_as, grading_world):
    urls = [grading_world.trainee(name).hand_in(grading_world.module)
            for name in ("甲学员", "乙学员", "丙学员")]
    first, middle, last = (attempt_id_of(url) for url in urls)
    login_as("trainer", unit="批阅党委")

    saved = grade(client, middle, "7", "好。", then="next")
    assert saved.status_code == 303 and saved.location.endswith(f"/author/grading/{last}")
    landed = client.get(saved.location).get_data(as_text=True)
    assert "批阅结果已保存。" in landed and "丙学员" in landed
    # Nothing waits after the last one: the oldest left (skipped earlier) comes next.
    saved = grade(client, last, "7", then="next")
    assert saved.location.endswith(f"/author/grading/{first}")
    saved = grade(client, first, "7", then="next")
    assert saved.location.endswith("/author/grading")
    queue = client.get(saved.location).get_data(as_text=True)
    assert "没有其他待批阅的答卷了。" in queue and ids_in_queue(queue) == []


def test_save_and_back_to_the_queue(client, login_as, grading_world):
    urls = [grading_world.trainee(name).hand_in(grading_world.module) for name in ("甲", "乙")]
    login_as("trainer", unit="批阅党委")
    saved = grade(client, attempt_id_of(urls[0]), "7")
    assert saved.status_code == 303 and saved.location.endswith("/author/grading")
    assert ids_in_queue(client.get("/author/grading").get_data(as_text=True)) == \
        [attempt_id_of(urls[1])]


def test_a_bad_score_keeps_the_comment_typed(client, login_as, grading_world):
    url = grading_world.trainee("李学员").hand_in(grading_world.module)
    attempt_id = attempt_id_of(url)
    login_as("trainer", unit="批阅党委")
    comment = "论述完整，但缺少本支部的例子。"
    for score in ("11", "八", ""):
        refused = grade(client, attempt_id, score, comment, then="next")
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400, score
        assert "请输入 0 到 10 之间的分数" in page
        assert f">{comment}</textarea>" in page
        assert re.search(rf'<input id="{ESSAY}" name="{ESSAY}"[^>]*value="{score}"[^>]*'
                         r'autofocus[^>]*aria-invalid="true"', page)
    assert attempt_id in ids_in_queue(client.get("/author/grading").get_data(as_text=True))


def test_an_expired_form_keeps_the_comment_and_saves_nothing(client, login_as,
                                                             grading_world):
    url = grading_world.trainee("李学员").hand_in(grading_world.module)
    attempt_id = attempt_id_of(url)
    login_as("trainer", unit="批阅党委")
    client.get(f"/author/grading/{attempt_id}")
    refused = client.post(f"/author/grading/{attempt_id}",
                          data={ESSAY: "8", f"comment{ESSAY_NUMBER}": "写得好。",
                                "csrf_token": "stale", "then": "next"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "表单已过期" in page
    assert ">写得好。</textarea>" in page and 'value="8"' in page
    assert attempt_id in ids_in_queue(client.get("/author/grading").get_data(as_text=True))
    assert csrf_token(client, f"/author/grading/{attempt_id}")  # the page still renders


def test_a_second_save_of_a_graded_attempt_changes_nothing(client, login_as, grading_world):
    url = grading_world.trainee("李学员").hand_in(grading_world.module)
    attempt_id = attempt_id_of(url)
    login_as("trainer", unit="批阅党委")
    form_page = f"/author/grading/{attempt_id}"
    token = csrf_token(client, form_page)
    assert grade(client, attempt_id, "7", "第一次").status_code == 303
    again = client.post(form_page, data={ESSAY: "2", f"comment{ESSAY_NUMBER}": "第二次",
                                         "csrf_token": token, "then": "next"})
    assert again.status_code == 303 and again.location.endswith("/author/grading")
    assert "该答卷已批阅。" in client.get(again.location).get_data(as_text=True)
    page = client.get(form_page).get_data(as_text=True)
    assert "第一次" in page and "第二次" not in page and "<form method=\"post\" class=\"grade" \
        not in page and "7/10" in page
