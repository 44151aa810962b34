"""Simulated trainees: each a thread with its own cookies, studying through the real pages.

A trainee signs in (the CSRF token from the form), opens the course and a module, sends
heartbeats, autosaves quiz answers and submits the quiz, then moves to the next module. It
keeps a ledger of what the server acknowledged (credited beats, saved drafts, submitted
attempts) so that afterwards ``bench.load_check`` can look for each one in the database.
A dropped connection (a killed worker) or a 503 (database down) acknowledges nothing: the
trainee waits a moment and carries on, signing in again if its session went with it.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
QUIZ_ACTION = re.compile(r'<form method="post" class="quiz" id="quiz-form"\s+action="([^"]+)"')
ATTEMPT_URL = re.compile(r"/attempts/(\d+)$")
DRAFT_URL = re.compile(r'data-draft-url="([^"]+)"')
#: Words that must never reach a trainee: a traceback or a raw database error.
LEAKS = ("Traceback", "database is locked", "OperationalError", "psycopg")


class _Fields(HTMLParser):
    """One plausible answer per quiz field: the first option, or some text."""

    def __init__(self):
        super().__init__()
        self.answers: dict[str, list[str]] = defaultdict(list)
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "select" and name.startswith("q"):
            self._select = name
        elif tag == "option" and self._select:
            self.answers[self._select].append(a.get("value", ""))
            self._select = None
        elif tag == "input" and name.startswith("q"):
            if a.get("type") in ("radio", "checkbox"):
                if name not in self.answers:
                    self.answers[name].append(a.get("value", ""))
            else:
                self.answers[name].append("答案")
        elif tag == "textarea" and name.startswith("q"):
            self.answers[name].append("学习体会")


def quiz_answers(page: str) -> dict[str, list[str]]:
    parser = _Fields()
    parser.feed(page)
    return dict(parser.answers)


@dataclass
class Ledger:
    """What the server acknowledged to one trainee."""

    beats: list[tuple[str, str, int, int]] = field(default_factory=list)  # module, tab, seq, credited
    seconds: dict[str, int] = field(default_factory=dict)  # module → seconds_active last told
    drafts: dict[int, str] = field(default_factory=dict)  # attempt → saved_at last told
    submitted: list[int] = field(default_factory=list)


@dataclass
class Tally:
    """Every response seen, shared by all trainees (guarded by ``lock``)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    dropped: int = 0
    leaks: list[str] = field(default_factory=list)
    unfriendly_503: int = 0
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    #: Cleared to hold every trainee before its next request (a quiet moment on purpose).
    open: threading.Event = field(default_factory=threading.Event)
    in_flight: int = 0
    events: list[tuple[float, int, str, float]] = field(default_factory=list)  # (monotonic
    # end, status or 0 when dropped, kind, seconds taken)

    def __post_init__(self):
        self.open.set()

    def begin(self):
        self.open.wait()
        with self.lock:
            self.in_flight += 1

    def end(self):
        with self.lock:
            self.in_flight -= 1

    def note(self, kind: str, status: int, seconds: float, body: str, retry_after: str | None):
        with self.lock:
            self.statuses[status] += 1
            self.kinds[kind] += 1
            self.timings[kind].append(seconds)
            self.events.append((time.monotonic(), status, kind, seconds))
            for word in LEAKS:
                if word in body:
                    self.leaks.append(f"{kind} {status}: {word}")
            if status == 503 and (not retry_after or "503" not in body):
                self.unfriendly_503 += 1

    def drop(self, kind: str, seconds: float):
        with self.lock:
            self.dropped += 1
            self.events.append((time.monotonic(), 0, kind, seconds))


class Dropped(Exception):
    """The connection broke or the server answered 5xx: nothing was acknowledged."""


class Trainee(threading.Thread):
    def __init__(self, number: int, port: int, username: str, password: str, course: str,
                 modules: list[str], tally: Tally, stop: threading.Event, think: float):
        super().__init__(name=f"trainee-{number}", daemon=True)
        self.port, self.username, self.password = port, username, password
        self.course, self.modules = course, modules
        self.tally, self.stop, self.think = tally, stop, think
        self.ledger = Ledger()
        self.cookies: dict[str, str] = {}
        self.tab = f"load{number}-{random.randrange(10**6)}"
        self.seq = 0
        self.random = random.Random(number)
        self.connection: http.client.HTTPConnection | None = None
        self.signed_in = threading.Event()  # the first sign-in succeeded

    # -- HTTP ---------------------------------------------------------------------------------
    def request(self, kind: str, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, dict, str]:
        headers = {**(headers or {}), "Accept-Language": "zh-CN"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.tally.begin()
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            self.tally.drop(kind, time.perf_counter() - started)
            raise Dropped(kind) from None
        finally:
            self.tally.end()
        for raw in response.headers.get_all("Set-Cookie") or ():
            name, _, value = raw.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        self.tally.note(kind, response.status, time.perf_counter() - started, text,
                        response.headers.get("Retry-After"))
        if response.status >= 500:
            raise Dropped(f"{kind} {response.status}")
        return response.status, dict(response.headers), text

    def get(self, kind: str, path: str):
        return self.request(kind, "GET", path)

    def post_form(self, kind: str, path: str, data: dict):
        return self.request(kind, "POST", path, urlencode(data, doseq=True).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, kind: str, path: str, payload: dict, csrf: str):
        return self.request(kind, "POST", path, json.dumps(payload).encode(),
                            {"Content-Type": "application/json", "Accept": "application/json",
                             "X-CSRFToken": csrf})

    # -- Studying ------------------------------------------------------------------------------
    def run(self):
        while not self.stop.is_set():
            try:
                self.study()
            except Dropped:
                self.stop.wait(0.2 + self.random.random() * 0.3)

    def pause(self):
        self.stop.wait(self.think * (0.5 + self.random.random()))

    def sign_in(self):
        self.cookies.clear()
        _, _, page = self.get("login_form", "/login")
        token = CSRF_INPUT.search(page).group(1)
        status, headers, _ = self.post_form("login", "/login", {
            "csrf_token": token, "username": self.username, "password": self.password})
        if status != 302:
            raise Dropped(f"login {status}")
        self.signed_in.set()

    def page(self, kind: str, path: str) -> str:
        status, headers, text = self.get(kind, path)
        if status == 302 and "/login" in headers.get("Location", ""):
            self.sign_in()
            status, headers, text = self.get(kind, path)
        return text if status == 200 else ""

    def study(self):
        if not self.cookies:
            self.sign_in()
        self.page("home", "/")
        self.page("course", f"/courses/{self.course}")
        for module in self.random.sample(self.modules, len(self.modules)):
            if self.stop.is_set():
                return
            self.study_module(module)

    def study_module(self, module: str):
        base = f"/courses/{self.course}/modules/{module}"
        page = self.page("module", base)
        match = CSRF_META.search(page)
        if not match:
            return
        csrf = match.group(1)
        for _ in range(3):
            self.pause()
            self.beat(base, module, csrf)
        self.take_quiz(base)

    def beat(self, base: str, module: str, csrf: str):
        self.seq += 1
        status, _, text = self.post_json("beat", base + "/beat",
                                         {"tab": self.tab, "seq": self.seq}, csrf)
        if status == 200:
            answer = json.loads(text)
            if answer["ignored"] is None:
                self.ledger.beats.append((module, self.tab, self.seq, answer["credited"]))
                self.ledger.seconds[module] = answer["seconds_active"]

    def take_quiz(self, base: str):
        status, headers, page = self.get("quiz", base + "/quiz")
        action, csrf = QUIZ_ACTION.search(page), CSRF_META.search(page)
        draft = DRAFT_URL.search(page)
        if status != 200 or not (action and csrf):
            return
        answers = quiz_answers(page)
        if draft:
            self.pause()
            status, _, text = self.post_json("draft", draft.group(1), {"answers": answers},
                                             csrf.group(1))
            attempt = ATTEMPT_URL.search(urlsplit(action.group(1)).path.rsplit("/submit", 1)[0])
            if status == 200 and attempt:
                self.ledger.drafts[int(attempt.group(1))] = json.loads(text)["saved_at"]
        self.pause()
        status, headers, _ = self.post_form("submit", action.group(1),
                                            {**answers, "csrf_token": csrf.group(1)})
        done = ATTEMPT_URL.search(urlsplit(headers.get("Location", "")).path)
        if status == 303 and done:
            self.ledger.submitted.append(int(done.group(1)))
            self.page("result", urlsplit(headers["Location"]).path)
