"""Every LMS_* setting, declared once with its default and meaning.

A setting's value comes from the host's ``app.config`` first, then the process environment,
then the default here, so a host app and ``make run`` configure the same names.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


SETTINGS: tuple[Setting, ...] = (
    Setting("LMS_DATABASE_URL", None,
            "SQLAlchemy URL; default is a SQLite file in the Flask instance folder."),
    Setting("LMS_SECRET_KEY", None,
            "Session signing key; generated once and kept in the instance folder when unset."),
    Setting("LMS_COURSES_DIR", None,
            "Folder of course files loaded by `flask lms load-courses`; default: bundled courses."),
    Setting("LMS_DEFAULT_LOCALE", "zh_CN", "UI language when the user has not chosen one."),
    Setting("LMS_DEFAULT_PASS_MARK", 60, "Quiz pass mark (0-100) when a course sets none.", int),
    Setting("LMS_SQLITE_BUSY_TIMEOUT_MS", 15000,
            "How long a SQLite writer waits for the lock before failing.", int),
    Setting("LMS_LOGIN_URL", None,
            "Where a host app sends anonymous users (mounted mode with a host user loader)."),
    Setting("LMS_SECURE_COOKIES", False,
            "Mark the session cookie Secure (sent over HTTPS only): turn on behind HTTPS. "
            "The cookie is always HttpOnly and SameSite=Lax (standalone app).", _bool),
    Setting("LMS_PROXY_HOPS", 0,
            "How many reverse proxies (nginx, a load balancer) stand in front of the standalone "
            "app: their X-Forwarded-For/-Proto/-Host are trusted (ProxyFix), so per-address "
            "sign-in limits see the real client and HTTPS is recognised. 0 trusts none.", int),
    Setting("LMS_SESSION_HOURS", 12,
            "A sign-in lasts at most this many hours after the session cookie was last "
            "written (PERMANENT_SESSION_LIFETIME, standalone app); sign-out, a password "
            "change or deactivation end it at once.", int),
    Setting("LMS_PASSWORD_HASH_METHOD", "scrypt:131072:8:1",
            "How passwords are hashed, spelt in full (Werkzeug): the default is OWASP's scrypt "
            "(N=2^17, about 0.4 s and 128 MiB per sign-in); `pbkdf2:sha256:600000` is the "
            "other OWASP choice. A stored hash of another method is replaced at sign-in."),
    Setting("LMS_QUIZ_GRACE_SECONDS", 30,
            "Network slack after a quiz time limit before answers stop counting.", int),
    Setting("LMS_ITEM_ANALYSIS_MIN_RESPONSES", 15,
            "Item analysis shows no review flag below this many responses.", int),
    Setting("LMS_DISPATCH_AFTER_REQUEST", True,
            "Deliver new outbox events to listeners after each response that raised some; "
            "when off, run `flask lms events dispatch` from a timer instead.", _bool),
    Setting("LMS_STUDY_BEAT_SECONDS", 30,
            "How often a module page sends its heartbeat while the trainee studies; the page "
            "stops after 4 quiet intervals and asks 还在学习吗 after 6.", int),
    Setting("LMS_STUDY_BEAT_CAP_SECONDS", 40,
            "Most seconds of study one heartbeat credits (module pages beat about every 30 s).",
            int),
    Setting("LMS_STUDY_TIME_CAP_MULTIPLE", 3.0,
            "A module's credited study time stops at this multiple of its estimated minutes.",
            float),
    Setting("LMS_RECUR_NOTICE_DAYS", 30,
            "Recurring courses reopen this many days before a completion lapses "
            "(flask lms open-cycles).", int),
    Setting("LMS_HOURS_RULE", "per_class_hour",
            "How active study becomes 学时: per_class_hour (minutes ÷ 45, down to 0.5) or "
            "bands (≥30 min 1, 15–30 min 0.5, less 0.25, +0.5 for passing the test); "
            "run `flask lms hours recompute --year Y` after changing it."),
    Setting("LMS_HOURS_TARGETS", {"member": 32, "secretary": 56, "cadre": 90},
            "Yearly 学时 target per kind of person (a person's duty), as a mapping or JSON: "
            "member 党员, secretary 基层党组织书记、班子成员, cadre 书记兼任领导干部; a duty left "
            "out keeps its default.", str),
    Setting("LMS_DISPATCH_BATCH", 50,
            "Most outbox deliveries one web response dispatches after it is sent.", int),
    Setting("LMS_REMINDER_DAYS_BEFORE", 7,
            "`flask lms send-reminders` tells people this many days before an assigned "
            "course's due date (and once more when it has passed).", int),
    Setting("LMS_SMTP_HOST", None,
            "SMTP server for reminder e-mails; unset: reminders are shown in the app only."),
    Setting("LMS_SMTP_PORT", 25, "SMTP server port.", int),
    Setting("LMS_SMTP_USER", None, "SMTP user name, when the server asks for a login."),
    Setting("LMS_SMTP_PASSWORD", None, "SMTP password for LMS_SMTP_USER."),
    Setting("LMS_SMTP_STARTTLS", False,
            "Switch the SMTP connection to TLS (STARTTLS) before logging in.", _bool),
    Setting("LMS_MAIL_FROM", None,
            "Sender address of reminder e-mails (default: LMS_SMTP_USER, else "
            "lms@ the SMTP host)."),
    Setting("LMS_CSP_IMG_SOURCES", "",
            "Origins besides our own that images may load from (Content-Security-Policy img-src), "
            "space-separated, e.g. `https://img.example.cn`; default none, so a remote image in "
            "module text (a tracking pixel) does not load."),
    Setting("LMS_FRAME_ANCESTORS", "'self'",
            "Who may frame LMS pages (CSP frame-ancestors), space-separated; a host app that "
            "embeds LMS in a frame of another origin adds it. X-Frame-Options SAMEORIGIN is sent "
            "only while this is 'self'."),
    Setting("LMS_RATELIMIT_ENABLED", True,
            "Limit wrong passwords (sign-in, the current password on /account); a host that "
            "limits them itself may turn this off.", _bool),
    Setting("LMS_RATELIMIT_ACCOUNT", "5 per minute; 20 per hour",
            "Wrong passwords allowed per account (username, any case) before every attempt on "
            "it is refused with 429 until the oldest failure ages out."),
    Setting("LMS_RATELIMIT_ADDRESS", "20 per minute; 100 per hour",
            "Wrong passwords allowed per client address, whatever the username (behind a proxy "
            "the address must come from X-Forwarded-For, or every client shares one)."),
    Setting("LMS_RATELIMIT_STORAGE_URI", "memory://",
            "Where the counts live: memory:// is one count per process; with several workers "
            "use Redis, e.g. redis://127.0.0.1:6379/0 (install `.[redis]`)."),
)

LOCALES = ("zh_CN", "en")


def apply_defaults(app: Flask) -> None:
    """Fill every LMS_* key the host did not set, from the environment or the default."""
    for setting in SETTINGS:
        if setting.name in app.config:
            continue
        raw = os.environ.get(setting.name)
        app.config[setting.name] = setting.parse(raw) if raw not in (None, "") else setting.default
    app.config["LMS_QUIZ_GRACE"] = timedelta(seconds=app.config["LMS_QUIZ_GRACE_SECONDS"])
    from lms.services.hours_rules import rule_named

    rule_named(app.config["LMS_HOURS_RULE"])  # a mistyped rule stops the start, not a quiz
    from lms.services.hours_targets import resolve_targets

    app.config["LMS_HOURS_TARGETS"] = resolve_targets(app.config["LMS_HOURS_TARGETS"])
    from lms.services.passwords import check_method

    check_method(app.config["LMS_PASSWORD_HASH_METHOD"])  # a typo stops the start, not a sign-in
    if app.config["LMS_DEFAULT_LOCALE"] not in LOCALES:
        raise ValueError(
            f"LMS_DEFAULT_LOCALE must be one of {', '.join(LOCALES)}, "
            f"not {app.config['LMS_DEFAULT_LOCALE']!r}"
        )


def default_database_url(app: Flask) -> str:
    """Return a SQLite URL in the instance folder, creating the folder."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'lms.sqlite3'}"


def instance_secret_key(app: Flask) -> str:
    """Return the key kept in the instance folder, writing a new one the first time."""
    folder = Path(app.instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret_key"
    if not path.exists():
        # Link a finished temp file into place so concurrent workers never read a half-written key.
        temp = folder / f".secret_key.{os.getpid()}"
        temp.write_text(secrets.token_hex(32))
        temp.chmod(0o600)
        try:
            os.link(temp, path)
        except FileExistsError:
            pass
        finally:
            temp.unlink()
    return path.read_text().strip()
