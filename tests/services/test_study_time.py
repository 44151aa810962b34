"""Active study time: what heartbeats credit, with a controlled clock."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from lms.models import ModuleProgress, StudyBeat
from lms.services import catalog
from lms.services.study_time import Beat, record_beat

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
CAP = 40


@pytest.fixture
def studying(db, make_user, make_course):
    """A trainee and a two-module course of 60 estimated minutes each."""
    made = make_course([{"minutes": 60}, {"minutes": 60}])
    user, _ = make_user()
    course = catalog.get_course(db, made.slug)
    return user, course.modules[0], course.modules[1]


def beat(db, user, module, tab, seq, at, *, multiple=3.0, **extra):
    return record_beat(db, user, module, Beat(tab, seq, **extra), beat_cap=CAP,
                       cap_multiple=multiple, now=at)


def credited(db, user, module) -> int:
    return db.scalar(select(ModuleProgress.seconds_active).where(
        ModuleProgress.user_id == user.id, ModuleProgress.module_id == module.id)) or 0


def test_steady_beats_credit_the_time_between_them(db, studying):
    user, module, _ = studying
    results = [beat(db, user, module, "a", n, START + timedelta(seconds=30 * n))
               for n in range(1, 6)]
    assert [r.credited for r in results] == [0, 30, 30, 30, 30]
    assert credited(db, user, module) == 120 and results[-1].seconds_active == 120


def test_a_long_gap_credits_at_most_the_cap_per_beat(db, studying):
    user, module, _ = studying
    beat(db, user, module, "a", 1, START)
    assert beat(db, user, module, "a", 2, START + timedelta(hours=3)).credited == CAP


def test_two_tabs_share_one_clock_instead_of_doubling_it(db, studying):
    user, module, _ = studying
    for n in range(1, 21):  # both tabs beat every 30 s, 1 s apart
        beat(db, user, module, "tab-a", n, START + timedelta(seconds=30 * n))
        beat(db, user, module, "tab-b", n, START + timedelta(seconds=30 * n + 1))
    wall = 30 * 20 + 1 - 30
    assert credited(db, user, module) == wall


def test_switching_module_credits_nothing_for_the_switch(db, studying):
    user, first, second = studying
    beat(db, user, first, "a", 1, START)
    beat(db, user, first, "a", 2, START + timedelta(seconds=30))
    assert beat(db, user, second, "b", 1, START + timedelta(seconds=60)).credited == 0
    assert beat(db, user, second, "b", 2, START + timedelta(seconds=90)).credited == 30
    # The first module's open tab beating again is a switch back: nothing for the switch.
    assert beat(db, user, first, "a", 3, START + timedelta(seconds=100)).credited == 0
    assert (credited(db, user, first), credited(db, user, second)) == (30, 30)


def test_repeated_late_and_future_beats_credit_nothing_and_are_not_stored(db, studying):
    user, module, _ = studying
    beat(db, user, module, "a", 1, START)
    beat(db, user, module, "a", 2, START + timedelta(seconds=30))
    again = beat(db, user, module, "a", 2, START + timedelta(seconds=60))
    late = beat(db, user, module, "a", 1, START + timedelta(seconds=61))
    ahead = beat(db, user, module, "a", 3, START + timedelta(seconds=62),
                 sent_at=START + timedelta(minutes=5))
    assert [(r.credited, r.ignored) for r in (again, late, ahead)] == [
        (0, "repeated"), (0, "repeated"), (0, "future")]
    assert db.scalar(select(func.count()).select_from(StudyBeat)) == 2
    # The ignored ones did not move the clock either: the next beat credits from 30 s.
    assert beat(db, user, module, "a", 3, START + timedelta(seconds=70)).credited == 40


def test_a_modules_time_stops_at_the_multiple_of_its_minutes(db, studying):
    user, module, _ = studying  # 60 estimated minutes × 0.01 = 36 s
    beat(db, user, module, "a", 1, START, multiple=0.01)
    assert beat(db, user, module, "a", 2, START + timedelta(seconds=30), multiple=0.01).credited == 30
    assert beat(db, user, module, "a", 3, START + timedelta(seconds=60), multiple=0.01).credited == 6
    assert beat(db, user, module, "a", 4, START + timedelta(seconds=90), multiple=0.01).credited == 0
    assert credited(db, user, module) == 36


def test_the_place_last_read_is_kept(db, studying):
    user, module, _ = studying
    beat(db, user, module, "a", 1, START, position=0.25)
    beat(db, user, module, "a", 2, START + timedelta(seconds=30), position=0.6)
    progress = db.scalar(select(ModuleProgress).where(ModuleProgress.user_id == user.id))
    assert progress.read_position == 0.6


def test_a_day_of_beats_never_credits_more_than_the_wall_clock(db, studying):
    """Gaps, bursts, two tabs and two devices, on two modules, in random order of arrival
    within each device: the credited total never exceeds the time the person was there."""
    user, first, second = studying
    rng = random.Random(20261204)
    events = []  # (time, device/tab, module)
    for tab in ("phone", "pc-tab-1", "pc-tab-2"):
        at = START + timedelta(minutes=rng.randint(0, 30))
        while at < START + timedelta(hours=10):
            kind = rng.random()
            at += timedelta(seconds=rng.choice([1, 2, 30, 30, 30, 31, 45, 300, 1800])
                            if kind > .05 else 0)
            events.append((at, tab, first if rng.random() < .6 else second))
    events.sort(key=lambda e: e[0])
    seqs: dict[str, int] = {}
    replays = 0
    for at, tab, module in events:
        seqs[tab] = seqs.get(tab, 0) + 1
        beat(db, user, module, tab, seqs[tab], at)
        if rng.random() < .1:  # a replayed or duplicated request
            beat(db, user, module, tab, seqs[tab] - rng.randint(0, 2) or 1, at)
            replays += 1
    wall = (events[-1][0] - events[0][0]).total_seconds()
    total = credited(db, user, first) + credited(db, user, second)
    assert 0 < total <= wall
    stored = db.scalar(select(func.sum(StudyBeat.credited)))
    assert stored == total and replays > 0
    # Every beat credited at most the time since the person's previous accepted beat.
    times = list(db.scalars(select(StudyBeat.received_at).order_by(StudyBeat.id)))
    gains = list(db.scalars(select(StudyBeat.credited).order_by(StudyBeat.id)))
    for before, after, gain in zip(times, times[1:], gains[1:], strict=False):
        assert gain <= max(0, (after - before).total_seconds())


def test_fractions_of_seconds_are_carried_to_the_next_beat(db, studying):
    user, module, _ = studying
    for n in range(11):  # 10 gaps of 30.6 s: 306 s in all, never more
        beat(db, user, module, "a", n + 1, START + timedelta(milliseconds=30600 * n))
    assert credited(db, user, module) == 306


def test_a_beat_that_waited_behind_another_tabs_never_moves_the_clock_back(db, studying):
    """On PostgreSQL a beat can take its time, wait for the lock while another tab's beat
    commits, and arrive with an earlier moment; it must not make later beats credit twice."""
    user, module, _ = studying
    beat(db, user, module, "a", 1, START)
    beat(db, user, module, "b", 1, START + timedelta(seconds=30))
    late = beat(db, user, module, "a", 2, START + timedelta(seconds=10))
    beat(db, user, module, "b", 2, START + timedelta(seconds=40))
    assert late.credited == 0
    assert credited(db, user, module) == 40  # the wall clock ran 40 s, not 60
