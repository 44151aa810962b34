"""Course rules (``rules:`` in course.yml): what completing a course asks and what it gives.

```yaml
rules:
  min_hours: 2            # 学时 of this course needed to complete it (steps of 0.25)
  final_exam: exam        # slug of the module whose quiz is the final exam
  sequential: true        # a module opens when the one before it is complete
  prerequisites: [basics] # slugs of courses to complete first
  certificate: completed  # completed (default) | final_exam | none
  recur_months: 12        # yearly mandatory training: a new cycle every N months
  time_cap: 3             # credited study time per module ≤ this × its minutes
```

Every key is optional; a course without ``rules:`` stores None and hashes as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.content.course_source import SLUG, Problem, YamlDoc, whole_number

CERTIFICATE_RULES = ("completed", "final_exam", "none")
RULE_KEYS = {"min_hours", "final_exam", "sequential", "prerequisites", "certificate",
             "recur_months", "time_cap"}


@dataclass(frozen=True)
class CourseRules:
    min_hours: float | None = None
    final_exam: str | None = None
    sequential: bool = False
    prerequisites: tuple[str, ...] = ()
    certificate: str = "completed"
    recur_months: int | None = None
    time_cap: float | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> CourseRules:
        data = data or {}
        return cls(min_hours=data.get("min_hours"), final_exam=data.get("final_exam"),
                   sequential=bool(data.get("sequential", False)),
                   prerequisites=tuple(data.get("prerequisites") or ()),
                   certificate=data.get("certificate", "completed"),
                   recur_months=data.get("recur_months"), time_cap=data.get("time_cap"))

    def to_json(self) -> dict[str, Any] | None:
        """Only the rules that differ from the defaults; None when there are none."""
        default = CourseRules()
        data: dict[str, Any] = {}
        for name in ("min_hours", "final_exam", "sequential", "certificate", "recur_months",
                     "time_cap"):
            if getattr(self, name) != getattr(default, name):
                data[name] = getattr(self, name)
        if self.prerequisites:
            data["prerequisites"] = list(self.prerequisites)
        return data or None

    @property
    def min_quarter_hours(self) -> int | None:
        return None if self.min_hours is None else round(self.min_hours * 4)


def course_rules(course: Any) -> CourseRules:
    """The rules of a Course row (or anything with a ``rules`` JSON attribute)."""
    return CourseRules.from_json(course.rules)


def read_rules(doc: YamlDoc, problems: list[Problem], own_slug: str,
               module_slugs: list[str], quiz_slugs: set[str] | None = None) -> CourseRules:
    """Validate course.yml's ``rules:``; each problem names its line. ``quiz_slugs``: the
    modules that ask questions (a final exam must be one of them). Messages are lazy msgids,
    said in the reader's language when shown (lms.content.course_source.Problem)."""
    data = doc.data.get("rules")
    node = doc.child(doc.node, "rules")
    if data is None:
        return CourseRules()
    if not isinstance(data, dict):
        problems.append(Problem(doc.path, doc.line(node), _l("rules must be a mapping of keys")))
        return CourseRules()

    def problem(key: str, message: Any) -> None:
        problems.append(Problem(doc.path, doc.line(doc.child(node, key)), message))

    for key in sorted(set(data) - RULE_KEYS):
        problem(key, _l("unknown rule %(rule)r (known: %(known)s)", rule=key,
                        known=", ".join(sorted(RULE_KEYS))))
    rules: dict[str, Any] = {}
    min_hours = data.get("min_hours")
    if min_hours is not None:
        if (isinstance(min_hours, bool) or not isinstance(min_hours, int | float)
                or not 0 < min_hours <= 200 or (min_hours * 4) % 1):
            problem("min_hours", _l("min_hours must be a number of 学时 from 0.25 to 200, "
                                    "in steps of 0.25"))
        else:
            rules["min_hours"] = float(min_hours)
    final_exam = data.get("final_exam")
    if final_exam is not None:
        if final_exam not in module_slugs:
            problem("final_exam", _l("final_exam %(slug)r is not the slug of a module of "
                                     "this course", slug=final_exam))
        elif quiz_slugs is not None and final_exam not in quiz_slugs:
            problem("final_exam", _l("final_exam %(slug)r has no quiz: an exam must ask "
                                     "questions", slug=final_exam))
        else:
            rules["final_exam"] = final_exam
    sequential = data.get("sequential", False)
    if not isinstance(sequential, bool):
        problem("sequential", _l("sequential must be true or false"))
    else:
        rules["sequential"] = sequential
    prerequisites = data.get("prerequisites") or []
    if not isinstance(prerequisites, list) or not all(
            isinstance(p, str) and SLUG.fullmatch(p) for p in prerequisites):
        problem("prerequisites", _l("prerequisites must be a list of course slugs"))
    elif own_slug in prerequisites:
        problem("prerequisites", _l("a course cannot be its own prerequisite"))
    else:
        rules["prerequisites"] = tuple(dict.fromkeys(prerequisites))
    certificate = data.get("certificate", "completed")
    if certificate not in CERTIFICATE_RULES:
        problem("certificate", _l("certificate must be one of: %(choices)s",
                                  choices=", ".join(CERTIFICATE_RULES)))
    elif certificate == "final_exam" and final_exam is None:
        problem("certificate", _l("certificate: final_exam needs a final_exam module"))
    else:
        rules["certificate"] = certificate
    recur = data.get("recur_months")
    if recur is not None:
        if not whole_number(recur, 1, 120):
            problem("recur_months", _l("recur_months must be a whole number of months from 1 "
                                       "to 120"))
        else:
            rules["recur_months"] = recur
    time_cap = data.get("time_cap")
    if time_cap is not None:
        if isinstance(time_cap, bool) or not isinstance(time_cap, int | float) \
                or not 1 <= time_cap <= 20:
            problem("time_cap", _l("time_cap must be a multiple of the module minutes from 1 "
                                   "to 20"))
        else:
            rules["time_cap"] = float(time_cap)
    return CourseRules(**rules)
