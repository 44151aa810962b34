"""Moodle-style quiz item statistics: facility, discrimination, option counts and alpha.

Pure functions over plain records so the numbers can be checked by hand and reused by any
report (web page, CLI, CSV) without a database or a request.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EASY_ABOVE = 0.95
HARD_BELOW = 0.2
LOW_DISCRIMINATION_BELOW = 0.2
#: The same limits, named for the page that explains them.
THRESHOLDS = {"hard": HARD_BELOW, "easy": EASY_ABOVE, "discrimination": LOW_DISCRIMINATION_BELOW}
FLAG_LABELS = {"too_easy": "过易", "too_hard": "过难", "low_discrimination": "区分度低"}
ALPHA_LABEL = "内部一致性系数 Cronbach's α（首次作答）"
CSV_HEADER = ("题目", "题型", "作答次数", "难度系数(通过率)", "区分度", "选项分布", "需复查")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


@dataclass(frozen=True)
class ItemResponse:
    question_key: str
    prompt: str
    type: str
    earned: float
    possible: float
    choices: tuple[str, ...]
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttemptRecord:
    user_id: int
    number: int
    items: tuple[ItemResponse, ...]


@dataclass(frozen=True)
class ItemStats:
    question_key: str
    prompt: str
    type: str
    attempts: int
    facility: float | None
    discrimination: float | None
    option_counts: dict[str, int]
    flags: tuple[str, ...]

    @property
    def needs_review(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class QuizAnalysis:
    attempts: int
    first_attempts: int
    items: tuple[ItemStats, ...]
    alpha: float | None
    enough_responses: bool


def _ratio(earned: float, possible: float) -> float | None:
    """A zero-mark item carries no information about difficulty, so it is left out."""
    return earned / possible if possible > 0 else None


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _pvariance(values: Sequence[float]) -> float:
    mean = _mean(values)
    return sum((v - mean) ** 2 for v in values) / len(values)


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """None rather than a division by zero: a constant variable correlates with nothing."""
    if len(xs) < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def _alpha(first: Sequence[AttemptRecord]) -> float | None:
    """Cronbach's alpha on the marks earned, over the items every first attempt answered.

    alpha = k/(k-1) * (1 - sum(var(item marks)) / var(total marks)), the "coefficient of
    internal consistency" of Moodle's quiz statistics, which counts partial credit as given.
    When every item scores 0 or 1 it equals KR-20 (an item's variance is then p*q); KR-20
    has no room for partial credit. Population or sample variance: the ratio is the same.
    """
    if len(first) < 2:
        return None
    answered = [{r.question_key: r for r in a.items} for a in first]
    keys = [k for k in answered[0] if all(k in row for row in answered[1:])]
    if len(keys) < 2:
        return None
    marks = [[row[k].earned for k in keys] for row in answered]
    variance = _pvariance([sum(scores) for scores in marks])
    if variance <= 1e-12:
        return None
    items = sum(_pvariance([scores[i] for scores in marks]) for i in range(len(keys)))
    k = len(keys)
    return k / (k - 1) * (1 - items / variance)


def _flags(attempts: int, facility: float | None, discrimination: float | None,
           min_responses: int) -> tuple[str, ...]:
    """Too few responses make every statistic noise, so nothing is flagged below the minimum."""
    if attempts < min_responses:
        return ()
    flags = []
    if facility is not None and facility > EASY_ABOVE:
        flags.append("too_easy")
    if facility is not None and facility < HARD_BELOW:
        flags.append("too_hard")
    if discrimination is not None and discrimination < LOW_DISCRIMINATION_BELOW:
        flags.append("low_discrimination")
    return tuple(flags)


def analyse(attempts: Iterable[AttemptRecord], min_responses: int = 15) -> QuizAnalysis:
    """Statistics per question key; random draws mean an item only counts where it appears.

    Facility and option counts use every attempt; discrimination and alpha use first attempts
    only, since later attempts are coached by feedback from the earlier ones.
    """
    records = list(attempts)
    first = [a for a in records if a.number == 1]
    order: list[str] = []
    meta: dict[str, ItemResponse] = {}
    responses: dict[str, int] = {}
    ratios: dict[str, list[float]] = {}
    options: dict[str, list[str]] = {}
    chosen: dict[str, dict[str, int]] = {}
    for attempt in records:
        for r in attempt.items:
            key = r.question_key
            if key not in meta:
                order.append(key)
                meta[key] = r
                responses[key], ratios[key], options[key], chosen[key] = 0, [], [], {}
            responses[key] += 1
            ratio = _ratio(r.earned, r.possible)
            if ratio is not None:
                ratios[key].append(ratio)
            options[key].extend(o for o in r.options if o not in options[key])
            for label in r.choices:
                chosen[key][label] = chosen[key].get(label, 0) + 1

    pairs: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in order}
    for attempt in first:
        earned = sum(r.earned for r in attempt.items)
        possible = sum(r.possible for r in attempt.items)
        for r in attempt.items:
            item, rest = _ratio(r.earned, r.possible), _ratio(earned - r.earned,
                                                              possible - r.possible)
            if item is not None and rest is not None:
                pairs[r.question_key][0].append(item)
                pairs[r.question_key][1].append(rest)

    items = []
    for key in order:
        labels = options[key] + [c for c in chosen[key] if c not in options[key]]
        facility = _mean(ratios[key]) if ratios[key] else None
        discrimination = _pearson(*pairs[key])
        items.append(ItemStats(
            question_key=key, prompt=meta[key].prompt, type=meta[key].type,
            attempts=responses[key], facility=facility, discrimination=discrimination,
            option_counts={label: chosen[key].get(label, 0) for label in labels},
            flags=_flags(responses[key], facility, discrimination, min_responses),
        ))
    return QuizAnalysis(attempts=len(records), first_attempts=len(first), items=tuple(items),
                        alpha=_alpha(first), enough_responses=len(first) >= min_responses)


def _safe(cell: str) -> str:
    """Stop spreadsheets running a cell as a formula; our own numbers like -0.35 stay numbers."""
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def analysis_csv(analysis: QuizAnalysis) -> str:
    """CSV for Excel: the BOM makes it read UTF-8 so the Chinese header is not mojibake."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_HEADER)
    for item in analysis.items:
        row = (
            item.prompt, item.type, str(item.attempts), _number(item.facility),
            _number(item.discrimination),
            " ".join(f"{label}:{count}" for label, count in item.option_counts.items()),
            "、".join(FLAG_LABELS[f] for f in item.flags),
        )
        writer.writerow([_safe(cell) for cell in row])
    # The whole quiz's reliability closes the table, labelled in the first column.
    writer.writerow([ALPHA_LABEL, "", str(analysis.first_attempts),
                     _number(analysis.alpha), "", "", ""])
    return "\ufeff" + out.getvalue()
