"""Import problems and refusals in the reader's language ("第3行: …" / "Row 3: …").

The services report a stable code with parameters; the words live here, once, in English
for the catalog to translate. Column names are quoted as the template writes them (姓名,
用户名 …), since that is what people see in their file.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.services.tabular import Problem

PROBLEMS = {
    # The header row and the file as a whole
    "duplicate_column": _l("The column “%(column)s” appears twice."),
    "missing_column": _l("The column “%(column)s” is missing. Start from the template's "
                         "header row."),
    "no_rows": _l("There are no rows to import below the header."),
    # People
    "name_required": _l("The name (姓名) is empty."),
    "name_too_long": _l("The name is longer than 100 characters."),
    "username_required": _l("The username (用户名) is empty."),
    "username_invalid": _l("The username “%(username)s” must be 3 to 80 letters, digits, "
                           "dots, dashes or underscores."),
    "username_duplicate": _l("The username “%(username)s” already appears in row %(other)s."),
    "role_required": _l("The role (角色) is empty: write 学员, 讲师 or 管理员."),
    "role_invalid": _l("Unknown role “%(role)s”: write 学员, 讲师 or 管理员 (or trainee, "
                       "trainer, admin)."),
    "phone_invalid": _l("“%(phone)s” is not a phone number: use digits, with an optional "
                        "leading +."),
    "duty_invalid": _l("Unknown duty (身份) “%(duty)s”: write 党员, 支部书记 or 领导干部 (or "
                       "member, secretary, cadre), or leave it empty."),
    "email_invalid": _l("“%(email)s” is not an e-mail address: write it like "
                        "name@example.com, or leave it empty."),
    "unit_required": _l("The unit (所属组织) is empty."),
    "unit_path_invalid": _l("“%(unit)s” is not a unit path: write it like "
                            "党委/第一党总支/第一党支部."),
    "unit_unknown": _l("The unit “%(unit)s” does not exist."),
    "unit_outside": _l("The unit “%(unit)s” is not one you administer."),
    "unit_inactive": _l("The unit “%(unit)s” is deactivated."),
    "person_outside": _l("“%(username)s” belongs to a unit you do not administer."),
    "person_protected": _l("“%(username)s” has wider rights than yours; only a site "
                           "administrator can change this person."),
    "person_inactive": _l("“%(username)s” is deactivated; reactivate them on their page "
                          "first."),
    "role_not_allowed": _l("Only site administrators may give or take the administrator "
                           "role."),
    "username_taken": _l("The username “%(username)s” was taken by someone else meanwhile."),
    "own_account": _l("You cannot change your own account this way."),
    "external_account": _l("“%(username)s” signs in through the host application."),
    # Overrides
    "course_required": _l("The course (课程) is empty."),
    "reason_required": _l("The reason (理由) is empty: the trainee will read it."),
    "reason_too_long": _l("The reason is longer than %(max)s characters."),
    "override_duplicate": _l("The same person, course and module already appear in row "
                             "%(other)s."),
    "person_unknown": _l("There is nobody with the username “%(username)s”."),
    "course_unknown": _l("There is no published course “%(course)s”: give its slug or its "
                         "title."),
    "course_ambiguous": _l("Several courses are titled “%(course)s”: give the course's slug."),
    "module_unknown": _l("The course has no module “%(module)s”: give its slug or its title."),
    "unknown_module": _l("The course has no module “%(module)s”: give its slug or its title."),
    "module_ambiguous": _l("Several modules are titled “%(module)s”: give the module's slug."),
    "already_completed": _l("This was completed by someone else meanwhile."),
    # Offline 学时
    "hours_kind_invalid": _l("Unknown type “%(kind)s”: write 集中培训 or 集体学习."),
    "hours_invalid": _l("The hours (学时) “%(hours)s” must be a multiple of 0.25 from 0.25 "
                        "to %(max)s."),
    "hours_title_required": _l("The name of the training or study (培训或学习名称) is empty."),
    "hours_title_too_long": _l("The name of the training or study is longer than %(max)s "
                               "characters."),
    "held_on_invalid": _l("The date (日期) “%(date)s” must be written like 2025-03-15."),
    "held_on_future": _l("The date (日期) “%(date)s” is in the future."),
    "hours_refused": _l("This row no longer passes the checks; upload the file again."),
}
TABLE_REFUSALS = {
    "too_large": _l("The file is larger than %(megabytes)s MB. Split it into smaller files "
                    "and import them one by one."),
    "unpacks_too_large": _l("The Excel file unpacks to more than %(megabytes)s MB. Split it "
                            "into smaller files and import them one by one."),
    "cell_too_long": _l("A cell of the file holds more than %(chars)s characters, more than "
                        "Excel allows. Save it again from the template."),
    "unsupported_type": _l("Use a CSV (.csv) or Excel (.xlsx) file."),
    "unreadable": _l("The file could not be read. Save it again as CSV or Excel (.xlsx) from "
                     "the template."),
    "encoding": _l("The CSV file is neither UTF-8 nor GB18030 text. Save it again as “CSV "
                   "UTF-8”."),
    "too_many_rows": _l("The file has more than %(rows)s rows. Split it into several files."),
    "too_many_columns": _l("The file has more than %(columns)s columns. Start from the "
                           "template."),
    "empty": _l("The file is empty: the first row must be the template's header."),
}
#: BatchRefused.reason → (status, message)
BATCH_REFUSALS = {
    "unknown": (400, _l("This import could not be confirmed. Please upload the file again.")),
    "expired": (409, _l("This preview is more than an hour old. Please upload the file again.")),
    "already_imported": (409, _l("This file was already imported; nothing more was "
                                 "imported.")),
    "passwords_gone": (410, _l("The password sheet was already downloaded, or it expired, "
                               "and it has been deleted. Reset a person's password from their "
                               "page if it is lost.")),
}


class _Params(dict):
    """A missing parameter reads as empty rather than failing the whole page."""

    def __missing__(self, key: str) -> str:
        return ""


def problem_line(problem: Problem) -> str:
    message = PROBLEMS.get(problem.code)
    text = str(message) % _Params(problem.params) if message is not None else problem.code
    return _("Row %(row)s: %(problem)s", row=problem.row, problem=text)


def problem_lines(problems: list[Problem]) -> list[str]:
    return [problem_line(problem) for problem in problems]


__all__ = ["BATCH_REFUSALS", "PROBLEMS", "TABLE_REFUSALS", "problem_lines"]

