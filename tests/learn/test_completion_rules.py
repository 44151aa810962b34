"""What a trainee sees of a module's ``min_minutes`` over HTTP, and what completes it."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

from sqlalchemy import select

from lms.db import utcnow
from lms.models import StudyClock
from lms.services import catalog
from lms.services.study_time import Beat, record_beat
from tests.conftest import submit_quiz

TABS = count(1)
QUESTION = {"type": "true_false", "prompt": "党员应当按期交纳党费。", "answer": "正确"}


def in_english(client) -> None:
    with client.session_transaction() as session:
        session["lms_locale"] = "en"


def study(db, user, module, minutes: int) -> None:
    """Beats 30 s apart from a new tab, from the person's last beat on: ``minutes`` of
    credited time (the first beat, at that moment or the first ever, credits nothing)."""
    start = db.scalar(select(StudyClock.last_beat_at).where(StudyClock.user_id == user.id))
    start, tab = start or utcnow(), f"tab{next(TABS)}"
    for n in range(minutes * 2 + 1):
        record_beat(db, user, module, Beat(tab, n + 1), beat_cap=40, cap_multiple=3.0,
                    now=start + timedelta(seconds=30 * n))


def test_a_reading_module_says_how_long_is_left_until_the_study_completes_it(
        client, login_as, db, make_course):
    made = make_course([{"minutes": 10, "min_minutes": 3}, {}])
    user = login_as()
    in_english(client)
    page = client.get(made.modules[0].url).get_data(as_text=True)
    assert "Study 3 more minutes to complete this section." in page
    assert "3 more min of study" in client.get(made.url).get_data(as_text=True)
    module = catalog.get_course_and_module(db, made.slug, "m1")[1]
    study(db, user, module, 2)
    assert "Study 1 more minutes" in client.get(made.modules[0].url).get_data(as_text=True)
    study(db, user, module, 1)
    page = client.get(made.modules[0].url).get_data(as_text=True)
    assert "more minutes" not in page and "it is complete once read" in page
    assert "Completed" in client.get(made.url).get_data(as_text=True)


def test_a_quiz_module_asks_for_the_quiz_and_the_minutes_then_only_the_minutes(
        client, login_as, db, make_course):
    made = make_course([{"minutes": 10, "min_minutes": 2, "questions": [QUESTION]}])
    user = login_as()
    in_english(client)
    page = client.get(made.modules[0].url).get_data(as_text=True)
    assert "Finish this section by passing its quiz" in page
    assert "Also study 2 more minutes." in page
    submit_quiz(client, made.modules[0].quiz_url, {"q1": ["true"]})
    page = client.get(made.modules[0].url).get_data(as_text=True)
    assert "You passed this section" in page
    assert "Study 2 more minutes to complete this section." in page
    study(db, user, catalog.get_course_and_module(db, made.slug, "m1")[1], 2)
    page = client.get(made.modules[0].url).get_data(as_text=True)
    assert "You passed this section" in page and "more minutes" not in page
