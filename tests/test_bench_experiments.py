"""The measured-not-shipped patches in bench/experiments/ still apply to today's code.

bench/README.md tells a developer to re-run each experiment on an exported copy; a patch
whose context has drifted would fail there, and its figures in docs/performance.md could no
longer be reproduced.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PATCHES = sorted((ROOT / "bench" / "experiments").glob("*.diff"))


def test_there_are_experiments_to_check():
    assert PATCHES


@pytest.mark.parametrize("patch", PATCHES, ids=lambda path: path.name)
def test_experiment_applies_to_the_current_code(patch):
    checked = subprocess.run(["git", "apply", "--check", str(patch)], cwd=ROOT,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
