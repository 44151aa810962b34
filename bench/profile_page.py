"""Profile one trainee request in-process: where its CPU time goes, by package and by call.

    python -m bench.profile_page [--page module|course|home|beat|autosave|submit] [--requests 500]

Builds the throughput bench's world (the seed course, a few trainees) in a SQLite file under
``.bench/`` (with ``--postgres``, under ``scripts/with-postgres``: a fresh PostgreSQL
database), signs one trainee in with the test client, opens the module page once (so a module
view is a revisit and a heartbeat has its CSRF token), then sends the request ``--requests``
times: first unprofiled for the CPU and wall time and the SQL statements per request, then under
pyinstrument (cProfile when it is not installed). A submit needs an open attempt: each one is
opened by loading the quiz page first, outside what is measured. Prints the summary and writes the call tree
to ``.bench/profile-<page>.txt``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event

from bench.load_clients import CSRF_INPUT, CSRF_META, DRAFT_URL, QUIZ_ACTION, quiz_answers
from bench.load_world import PASSWORD, build_world
from bench.throughput import fresh_postgres_database
from bench.throughput_world import module_path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = re.compile(r"(?:site-packages|dist-packages)/([A-Za-z0-9_]+)")
STDLIB = re.compile(r"/lib/python3\.\d+/([A-Za-z0-9_]+)")


def _package(frame) -> str:
    """Who the frame's own time belongs to: a library, LMS (code and templates), the database
    driver, or the standard library module."""
    path, function = frame.file_path or "", frame.function or ""
    found = PACKAGE.search(path)
    if found:
        return found.group(1)
    if path.startswith((f"{ROOT}/lms/", f"{ROOT}/templates/", "templates/")):
        return "lms (code and templates)"
    if function.startswith(("Cursor.", "Connection.")) or "sqlite3" in path:
        return "database driver (C calls)"
    found = STDLIB.search(path)
    if found:
        return f"stdlib {found.group(1)}"
    return "built-in functions"


def _self_times(frame, totals: Counter) -> None:
    if not frame.is_synthetic:
        totals[_package(frame)] += frame.total_self_time
    for child in frame.children:
        _self_times(child, totals)


PAGES = ["module", "course", "home", "beat", "autosave", "submit"]


def _sender(client, world, page: str) -> tuple[str, Callable[[], None], Callable[[], int]]:
    """(what is sent, what must happen unmeasured before each send, a function sending it once
    and returning the status)."""
    headers = {"Accept-Language": "zh-CN"}
    module = module_path(world.course, world.modules[0])
    visit = client.get(module, headers=headers).get_data(as_text=True)
    token = CSRF_META.search(visit).group(1)
    if page == "beat":
        seq = itertools.count(1)
        return f"POST {module}/beat", _nothing, lambda: client.post(
            f"{module}/beat", json={"tab": "profile", "seq": next(seq)},
            headers={**headers, "X-CSRFToken": token}).status_code
    if page in ("autosave", "submit"):
        quiz = {}

        def open_quiz() -> None:  # resumes the open attempt, or opens one after a submit
            text = client.get(f"{module}/quiz", headers=headers).get_data(as_text=True)
            quiz.update(action=QUIZ_ACTION.search(text).group(1),
                        draft=DRAFT_URL.search(text).group(1), answers=quiz_answers(text))

        open_quiz()
        if page == "autosave":
            return "POST …/draft", _nothing, lambda: client.post(
                quiz["draft"], json={"answers": quiz["answers"]},
                headers={**headers, "X-CSRFToken": token}).status_code
        def submit() -> int:
            status = client.post(quiz["action"], data={**quiz["answers"], "csrf_token": token},
                                 headers=headers).status_code
            return 200 if status == 303 else status  # to the result page: done

        return "POST …/submit", open_quiz, submit
    path = {"module": module, "course": f"/courses/{world.course}", "home": "/"}[page]
    return f"GET {path}", _nothing, lambda: client.get(path, headers=headers).status_code


def _nothing() -> None:
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", choices=PAGES, default="module")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--trainees", type=int, default=20)
    parser.add_argument("--postgres", action="store_true",
                        help="on a fresh database of the server at $LMS_TEST_POSTGRES_URL "
                             "(run under scripts/with-postgres) instead of a SQLite file")
    parser.add_argument("--show-sql", action="store_true",
                        help="print one request's statements (BEGIN and COMMIT included) and stop")
    args = parser.parse_args(argv)

    folder = ROOT / ".bench" / "profile"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    url = f"sqlite:///{folder / 'profile.sqlite3'}"
    if args.postgres:
        if not os.environ.get("LMS_TEST_POSTGRES_URL"):
            raise SystemExit("--postgres: run under scripts/with-postgres")
        url = fresh_postgres_database(os.environ["LMS_TEST_POSTGRES_URL"])
    world = build_world(url, args.trainees, folder)
    from lms import create_app

    app = create_app({"LMS_DATABASE_URL": url, "SECRET_KEY": "profile",
                      "LMS_RATELIMIT_ENABLED": False}, instance_path=str(folder))
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    answer = client.post("/login", data={"csrf_token": CSRF_INPUT.search(page).group(1),
                                         "username": world.usernames[0], "password": PASSWORD})
    if answer.status_code != 302:
        raise SystemExit(f"could not sign in ({answer.status_code})")
    what, prepare, send = _sender(client, world, args.page)
    for _ in range(5):  # warm caches
        prepare()
        if (status := send()) != 200:
            raise SystemExit(f"{what} answered {status}")

    if args.show_sql:
        _show_sql(app.extensions["lms"].engine, prepare, send)
        return 0
    statements, counting = 0, False

    def count(*_args) -> None:
        nonlocal statements
        statements += counting

    engine = app.extensions["lms"].engine
    event.listen(engine, "before_cursor_execute", count)
    cpu = wall = 0.0
    for _ in range(args.requests):
        prepare()
        counting, start, started = True, time.process_time(), time.perf_counter()
        send()
        cpu, wall = cpu + time.process_time() - start, wall + time.perf_counter() - started
        counting = False
    event.remove(engine, "before_cursor_execute", count)
    print(f"{what}: {cpu * 1000 / args.requests:.2f} ms CPU ({wall * 1000 / args.requests:.2f}"
          f" ms wall) and {statements / args.requests:.1f} SQL statements per request "
          f"({args.requests} requests, unprofiled)")
    _profile(prepare, send, args.requests, folder.parent / f"profile-{args.page}.txt")
    return 0


def _show_sql(engine, prepare: Callable[[], None], send: Callable[[], int]) -> None:
    """One request's statements as the driver receives them, with the transactions' ends."""
    shown: list[str] = []

    def statement(_conn, _cursor, text, *_args) -> None:
        shown.append(" ".join(text.split())[:160])

    def ending(word: str) -> Callable[..., None]:
        return lambda *_args: shown.append(word)

    prepare()
    listeners = [("before_cursor_execute", statement), ("commit", ending("COMMIT")),
                 ("rollback", ending("ROLLBACK"))]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    send()
    for name, listener in listeners:
        event.remove(engine, name, listener)
    print("\n".join(f"{n:3} {line}" for n, line in enumerate(shown, 1)))


def _profile(prepare: Callable[[], None], send: Callable[[], int], requests: int,
             out: Path) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        for _ in range(requests):
            prepare()
            profile.runcall(send)
        with out.open("w") as stream:
            pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profile).sort_stats("tottime").print_stats(20)
        return
    profiler = Profiler(interval=0.0002)
    for _ in range(requests):
        prepare()
        profiler.start()
        send()
        profiler.stop()
    session = profiler.last_session
    totals: Counter = Counter()
    _self_times(session.root_frame(), totals)
    whole = sum(totals.values())
    print(f"Self time by package under pyinstrument ({whole * 1000 / requests:.2f} ms per "
          "request with the profiler's overhead):")
    for name, seconds in totals.most_common(14):
        print(f"  {name:28} {seconds * 1000 / requests:6.2f} ms  {seconds / whole:5.1%}")
    out.write_text(profiler.output_text(unicode=True, show_all=False), "utf-8")
    print(f"Call tree: {out} ({session.sample_count} samples)")


if __name__ == "__main__":
    raise SystemExit(main())
