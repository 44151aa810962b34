"""In CI a skip is a failure, except PostgreSQL missing on a developer's machine."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SAMPLE = '''
import pytest

from tests.strict_skips import skip_locally


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


def test_missing_entry_point():
    pytest.skip("entry point lms.question_types:likert is not installed")


@pytest.mark.skipif(True, reason="no compiled catalogue")
def test_compiled_catalogue():
    pass


def test_postgresql_on_a_laptop():
    skip_locally("PostgreSQL not available (set LMS_TEST_POSTGRES_URL)")


@pytest.mark.backends("postgresql")
def test_explain_plan(backend):
    assert backend == "postgresql"


def test_known_bug():
    pytest.xfail("expected failures are not skips")
'''

MODULE_SKIP = '''
import pytest

pytest.importorskip("lms_no_such_plugin_module")


def test_never_collected():
    pass
'''


def run_pytest(tmp_path: Path, *args: str, **env: str) -> tuple[dict[str, int], str]:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", "utf-8")
    (tmp_path / "test_sample.py").write_text(SAMPLE, "utf-8")
    (tmp_path / "test_module_skip.py").write_text(MODULE_SKIP, "utf-8")
    base = {k: v for k, v in os.environ.items()
            if k not in ("CI", "LMS_TEST_STRICT") and not k.startswith("PYTEST_XDIST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.strict_skips", "-p", "no:cacheprovider",
         "-rA", "--continue-on-collection-errors", "--rootdir", str(tmp_path), *args,
         str(tmp_path)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**base, "PYTHONPATH": str(ROOT), **env})
    summary = result.stdout.strip().splitlines()[-1]
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", summary)}
    return counts, result.stdout


@pytest.mark.parametrize("env", [{"LMS_TEST_STRICT": "1"}, {"CI": "true"}])
def test_in_ci_every_skip_but_local_postgresql_fails(tmp_path, env):
    counts, output = run_pytest(tmp_path, **env)
    # A skip in the test fails it; one in set-up (skipif) or collection is an error.
    assert counts == {"failed": 1, "passed": 1, "skipped": 1, "deselected": 1, "xfailed": 1,
                      "errors": 2}, output
    assert "FAILED test_sample.py::test_missing_entry_point" in output
    assert "ERROR test_sample.py::test_compiled_catalogue" in output
    assert "ERROR test_module_skip.py" in output
    assert "which is a failure: entry point lms.question_types:likert" in output
    assert re.search(r"SKIPPED \[1\] .*: \[local only\] PostgreSQL not available", output)


def test_outside_ci_skips_stay_skips(tmp_path):
    counts, output = run_pytest(tmp_path, LMS_TEST_STRICT="0", CI="false")
    assert counts == {"passed": 1, "skipped": 4, "deselected": 1, "xfailed": 1}, output


def test_in_ci_skips_fail_under_xdist_too(tmp_path):
    """`make test` runs on pytest-xdist workers, which report each skip already failed."""
    counts, output = run_pytest(tmp_path, "-n", "2", LMS_TEST_STRICT="1")
    # Deselection happens in the workers, and the controller's summary does not count it.
    assert counts == {"failed": 1, "passed": 1, "skipped": 1, "xfailed": 1, "errors": 2}, output
    assert "FAILED test_sample.py::test_missing_entry_point" in output
    assert "ERROR test_sample.py::test_compiled_catalogue" in output
    assert "ERROR test_module_skip.py" in output
    assert re.search(r"SKIPPED \[1\] .*: \[local only\] PostgreSQL not available", output)
