"""Read the seed course's quiz answers from its files, as a trainee who studied would know them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

SEED = Path(__file__).resolve().parent.parent / "courses" / "jiceng-dangjian"
QUIZ = re.compile(r"^```quiz\n(.*?)^```", re.DOTALL | re.MULTILINE)
SLUG = re.compile(r"^slug:\s*(\S+)", re.MULTILINE)


def module_files() -> list[Path]:
    names = yaml.safe_load((SEED / "course.yml").read_text("utf-8"))["modules"]
    return [SEED / name for name in names]


def module_slug(path: Path) -> str:
    return SLUG.search(path.read_text("utf-8")).group(1)


def quiz_items(path: Path) -> list[dict]:
    match = QUIZ.search(path.read_text("utf-8"))
    return yaml.safe_load(match.group(1)) if match else []


def correct_form(path: Path) -> dict[str, list[str] | str]:
    """Form values that answer every question of the module correctly."""
    data: dict[str, list[str] | str] = {}
    for number, item in enumerate(quiz_items(path), start=1):
        field = f"q{number}"
        answer = item["answer"]
        if item["type"] in ("single_choice", "multiple_choice"):
            data[field] = [str(ord(letter) - ord("A")) for letter in re.sub(r"[,\s]", "", answer)]
        elif item["type"] == "true_false":
            data[field] = "true" if str(answer) in ("正确", "对", "True", "true") else "false"
        else:
            blanks = answer if isinstance(answer, list) else [answer]
            data[field] = [str(b).split("|")[0] for b in blanks]
    return data


def wrong_form(path: Path) -> dict[str, list[str] | str]:
    """Form values that answer every question, all of them wrongly."""
    data: dict[str, list[str] | str] = {}
    right = correct_form(path)
    for number, item in enumerate(quiz_items(path), start=1):
        field = f"q{number}"
        if item["type"] == "single_choice":
            data[field] = ["0"] if right[field] != ["0"] else ["1"]
        elif item["type"] == "multiple_choice":
            data[field] = [str(i) for i in range(len(item["options"]))]
        elif item["type"] == "true_false":
            data[field] = "false" if right[field] == "true" else "true"
        else:
            data[field] = ["完全错误的答案"] * len(right[field])
    return data
