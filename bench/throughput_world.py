"""The throughput bench's trainees and the requests wrk replays for each target.

The course and the trainees come from ``bench.load_world`` (through the services). Each
trainee then signs in over HTTP like a browser: the login form's CSRF token, the real password
check (the server's own hash method, so the first sign-in rehashes as in production), then
its module page once, which records the visit (later views are revisits) and gives the CSRF
token the page's scripts send. Quiz attempts are opened by loading the quiz pages, which also
give the submit and autosave addresses and a valid answer to every question.

Each target's requests go to a file, one a line (method, path, cookie, CSRF token, content
type, body, tab-separated), read by the Lua scripts in ``bench/wrk/``, and by ``replay`` here.
"""

from __future__ import annotations

import http.client
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench.load_clients import CSRF_INPUT, CSRF_META, DRAFT_URL, QUIZ_ACTION, quiz_answers
from bench.load_world import PASSWORD, World

USER_AGENT = "lms-throughput-bench"  # as bench/wrk/common.lua sends it
HEADERS = {"User-Agent": USER_AGENT, "Accept-Language": "zh-CN"}
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


class Browser:
    """One trainee's cookies over ``http.client``; a new connection per request, as gunicorn's
    sync workers close each one anyway."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body: str = "", content_type: str = "",
                csrf: str = "") -> tuple[int, str, str]:
        """(status, Location, body text)."""
        headers = dict(HEADERS)
        if self.cookies:
            headers["Cookie"] = self.cookie()
        if content_type:
            headers["Content-Type"] = content_type
        if csrf:
            headers["X-CSRFToken"] = csrf
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body.encode() or None, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for raw in response.headers.get_all("Set-Cookie") or ():
            name, _, value = raw.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        return response.status, response.headers.get("Location", ""), text


@dataclass
class Trainee:
    username: str
    module: str  # the module it revisits and sends heartbeats from
    browser: Browser
    csrf: str = ""


@dataclass(frozen=True)
class OpenAttempt:
    trainee: Trainee
    module: str
    submit: str  # the quiz form's action
    draft: str   # the autosave address
    answers: dict[str, list[str]]


def module_path(course: str, module: str) -> str:
    return f"/courses/{course}/modules/{module}"


def sign_in(port: int, world: World, number: int) -> Trainee:
    trainee = Trainee(world.usernames[number], world.modules[number % len(world.modules)],
                      Browser(port))
    browser = trainee.browser
    _, _, page = browser.request("GET", "/login")
    form = urlencode({"csrf_token": CSRF_INPUT.search(page).group(1),
                      "username": trainee.username, "password": PASSWORD})
    status, _, _ = browser.request("POST", "/login", form, FORM)
    if status != 302:
        raise RuntimeError(f"{trainee.username} could not sign in ({status})")
    status, _, page = browser.request("GET", module_path(world.course, trainee.module))
    match = CSRF_META.search(page)
    if status != 200 or not match:
        raise RuntimeError(f"{trainee.username}'s module page answered {status}")
    trainee.csrf = match.group(1)
    return trainee


def sign_in_all(port: int, world: World, workers: int = 8) -> list[Trainee]:
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda n: sign_in(port, world, n), range(len(world.usernames))))


def open_attempt(course: str, trainee: Trainee, module: str) -> OpenAttempt:
    """Load the quiz page: it resumes the open attempt or starts one."""
    status, _, page = trainee.browser.request("GET", module_path(course, module) + "/quiz")
    action, draft = QUIZ_ACTION.search(page), DRAFT_URL.search(page)
    if status != 200 or not (action and draft):
        raise RuntimeError(f"{trainee.username}'s quiz page for {module} answered {status}")
    return OpenAttempt(trainee, module, action.group(1), draft.group(1), quiz_answers(page))


def open_attempts(course: str, trainees: list[Trainee], modules: list[str],
                  workers: int = 8) -> list[OpenAttempt]:
    """One open attempt per trainee and module, ordered module by module, so consecutive
    submissions come from different people."""
    pairs = [(trainee, module) for module in modules for trainee in trainees]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda pair: open_attempt(course, *pair), pairs))


def _line(method: str, path: str, cookie: str = "", csrf: str = "", content_type: str = "",
          body: str = "") -> str:
    fields = (method, path, cookie, csrf, content_type, body)
    if any("\t" in f or "\n" in f for f in fields):
        raise ValueError(f"a tab or newline in a request for {path}")
    return "\t".join(fields)


def request_lines(target: str, course: str, trainees: list[Trainee],
                  attempts: list[OpenAttempt]) -> list[str]:
    """The requests of one target, one per trainee (or per open attempt for the submit)."""
    if target == "hello":
        return [_line("GET", "/")]
    pages = {"home": lambda t: "/", "course": lambda t: f"/courses/{course}",
             "module": lambda t: module_path(course, t.module)}
    if target in pages:
        return [_line("GET", pages[target](t), t.browser.cookie()) for t in trainees]
    if target == "beat":  # the body is written by bench/wrk/beat.lua
        return [_line("POST", module_path(course, t.module) + "/beat", t.browser.cookie(),
                      t.csrf, JSON) for t in trainees]
    if target == "autosave":
        own = [a for a in attempts if a.module == a.trainee.module]
        return [_line("POST", a.draft, a.trainee.browser.cookie(), a.trainee.csrf, JSON,
                      json.dumps({"answers": a.answers})) for a in own]
    if target == "submit":  # the token in the form, as the quiz page posts it
        return [_line("POST", a.submit, a.trainee.browser.cookie(), "", FORM,
                      urlencode({**a.answers, "csrf_token": a.trainee.csrf}, doseq=True))
                for a in attempts]
    raise ValueError(f"unknown target {target}")


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def replay(port: int, line: str, beat: int = 1) -> int:
    """Send one prepared request as wrk would (a heartbeat numbered ``beat`` in a tab of its
    own); return the status."""
    method, path, cookie, csrf, content_type, body = line.split("\t")
    if path.endswith("/beat"):
        body = json.dumps({"tab": "bench-check", "seq": beat})
    browser = Browser(port)
    if cookie:
        browser.cookies.update(dict(part.split("=", 1) for part in cookie.split("; ")))
    return browser.request(method, path, body, content_type, csrf)[0]
