"""In CI a skipped test is a failed test: it did not run, so it proved nothing.

Strict mode is on when ``LMS_TEST_STRICT=1`` (set by ``.ci/run``) or ``CI`` is set to anything
but ``0``/``false``. It turns every skip (``pytest.skip``, ``skipif``, ``importorskip``, a
module-level skip) into a failure that names the reason, so a missing entry point, compiled
catalogue, browser or npm package cannot pass CI unnoticed. The one skip it lets through is
the one made with :func:`skip_locally`: PostgreSQL on a developer's machine, where
``LMS_TEST_REQUIRE_POSTGRES`` is not set (with it set, PostgreSQL's absence fails anyway).
Expected failures (``xfail``) are not skips and are left alone.

A test that only means something on one database backend says so with
``@pytest.mark.backends("postgresql")``: its other backends' runs are deselected at collection
(counted as deselected in the summary, except under pytest-xdist, whose workers deselect them
unseen by the controller), so nothing is skipped at run time. Under xdist the hooks run in the
workers, which report a skip already turned into a failure.

Loaded by ``tests/conftest.py``; ``tests/test_strict_skips.py`` runs it with ``-p``.
"""

from __future__ import annotations

import os

import pytest

LOCAL_ONLY = "[local only] "


def strict() -> bool:
    if os.environ.get("LMS_TEST_STRICT", "") not in ("", "0"):
        return True
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_locally(reason: str) -> None:
    """Skip for a reason strict mode accepts; only for PostgreSQL missing on a laptop."""
    pytest.skip(LOCAL_ONLY + reason)


def _reason(report, call=None) -> str:
    excinfo = getattr(call, "excinfo", None)
    if excinfo is not None and hasattr(excinfo.value, "msg"):
        return str(excinfo.value.msg)
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _fail(report, reason: str) -> None:
    report.outcome = "failed"
    report.longrepr = (f"skipped in strict mode (LMS_TEST_STRICT=1 or CI), which is a failure: "
                       f"{reason}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail") and strict():
        reason = _reason(report, call)
        if not reason.startswith(LOCAL_ONLY):
            _fail(report, reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and strict():
        reason = _reason(report)
        if not reason.startswith(LOCAL_ONLY):
            _fail(report, reason)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "backends(*names): run only on these database backends; the test's runs "
        "on other backends are deselected, not skipped")


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        marker = item.get_closest_marker("backends")
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend") if callspec is not None else None
        if marker is not None and backend is not None and backend not in marker.args:
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
