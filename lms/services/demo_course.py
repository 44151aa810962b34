"""A generated course of any number of modules, for benchmarking at the size the issue names
(100 000 trainees × 20 modules). Written as course files and loaded by the ordinary loader,
so it is a course like any other. Quizzes are short, so the attempts' snapshots stay small;
every fifth module is reading only, which completes when read."""

from __future__ import annotations

from pathlib import Path

import yaml

from lms.services.demo_names import chinese_number

BENCH_SLUG = "bench"


def _questions(number: int) -> list[dict]:
    return [
        {"id": f"m{number}-q1", "type": "single_choice",
         "prompt": f"第{number}单元：“三会一课”中的“一课”指什么？",
         "options": ["党课", "团课", "业务课", "体育课"], "answer": "A"},
        {"id": f"m{number}-q2", "type": "true_false",
         "prompt": f"第{number}单元：党支部应当定期召开组织生活会。", "answer": "正确"},
        {"id": f"m{number}-q3", "type": "single_choice",
         "prompt": f"第{number}单元：党员应当按规定交纳什么？",
         "options": ["党费", "会费", "学费"], "answer": "A"},
        {"id": f"m{number}-q4", "type": "multiple_choice",
         "prompt": f"第{number}单元：“三会一课”中的“三会”包括（多选）：",
         "options": ["支部党员大会", "支部委员会", "党小组会", "茶话会"], "answer": "ABC"},
    ]


def write_bench_course(folder: Path, modules: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(1, modules + 1):
        front = {"slug": f"unit-{number:02d}", "title": f"第{chinese_number(number)}单元",
                 "minutes": 5 + number % 4 * 3}
        body = (f"---\n{yaml.safe_dump(front, allow_unicode=True, sort_keys=False)}---\n"
                f"第{chinese_number(number)}单元的学习内容：党的基层组织建设。\n")
        if number % 5:
            block = yaml.safe_dump(_questions(number), allow_unicode=True, sort_keys=False)
            body += f"\n```quiz\n{block}```\n"
        name = f"{number:02d}-unit.md"
        (folder / name).write_text(body, "utf-8")
        names.append(name)
    course = {"slug": BENCH_SLUG, "title": f"基准测试课程（{modules}个单元）",
              "description": "由 flask lms demo-data --modules 生成，用于性能基准测试。",
              "pass_mark": 60, "modules": names}
    (folder / "course.yml").write_text(
        yaml.safe_dump(course, allow_unicode=True, sort_keys=False), "utf-8")
    return folder
