"""Every LMS route × every kind of person: the status each gets.

The matrix must name every (endpoint, method) of the lms blueprint, so a new route fails
``test_the_matrix_covers_every_route`` until someone decides who may use it. CSRF is off
here so that a POST shows what the permission check decided, not the missing token.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lms.models import Assignment, Grant, Notice, User
from lms.services import catalog, certificates, quizzes
from lms.unit_of_work import unit_of_work
from tests.conftest import sign_in

ESSAY = [{"slug": "essay", "questions": [
    {"type": "short_answer", "prompt": "谈谈体会。", "answer": "言之有物。"}]}]
UNIT_A = "矩阵党委/第一党总支/第一党支部"
UNIT_B = "矩阵党委/第二党总支/第一党支部"

#: actor → (role, unit, grant) — the trainee of UNIT_A owns the attempt being graded.
ACTORS = {
    "anonymous": None,
    "trainee": ("trainee", UNIT_A, None),
    "other_trainee": ("trainee", UNIT_B, None),
    "trainer": ("trainer", UNIT_A, None),
    "other_trainer": ("trainer", UNIT_B, None),
    "author": ("trainee", UNIT_B, {"course": "x"}),
    "other_author": ("trainee", UNIT_B, {"course": "y"}),
    "unit_admin": ("trainee", UNIT_A, {"unit": "矩阵党委/第一党总支"}),
    "other_unit_admin": ("trainee", UNIT_B, {"unit": "矩阵党委/第二党总支"}),
    "site_admin": ("trainee", UNIT_B, {"site": True}),
}
STAFF = {"trainer", "other_trainer", "author", "other_author", "unit_admin",
         "other_unit_admin", "site_admin"}
SIGNED_IN = set(ACTORS) - {"anonymous"}
LOGIN = "login"  # a 302 to the sign-in page


def expect(default: int | str, **by_actor: int | str) -> dict[str, int | str]:
    """Anonymous is sent to sign in unless said otherwise; everyone else gets ``default``."""
    return {"anonymous": LOGIN, **{a: default for a in SIGNED_IN}, **by_actor}


def only(allowed: set[str], status: int, denied: int = 403) -> dict[str, int | str]:
    return expect(denied, **{a: status for a in allowed})


GRADERS = {"trainer", "author", "unit_admin", "site_admin"}
ANALYSTS = STAFF - {"other_author"}
AUTHORS = {"author", "site_admin"}
ADMINS = {"unit_admin", "site_admin"}  # unit_admin's subtree holds UNIT_A

#: The JSON the page's own script sends to these endpoints.
JSON_BODIES = {"lms.learn.save_draft": {"json": {"answers": {"q1": ["草稿"]}}},
               "lms.learn.study_beat": {"json": {"tab": "matrix", "seq": 1}}}

#: (endpoint, method) → (URL template, expected status per actor).
MATRIX: dict[tuple[str, str], tuple[str, dict[str, int | str]]] = {
    ("lms.auth.login", "GET"): ("/login", expect(302, anonymous=200)),
    ("lms.auth.login", "POST"): ("/login", expect(400, anonymous=400)),
    ("lms.auth.choose_locale", "POST"): ("/locale", expect(302, anonymous=302)),
    ("lms.auth.choose_display", "POST"): ("/display", expect(302, anonymous=302)),
    ("lms.auth.account", "GET"): ("/account", expect(200)),
    ("lms.auth.account", "POST"): ("/account", expect(400)),  # empty form: nothing changed
    ("lms.learn.home", "GET"): ("/", expect(200)),
    ("lms.learn.course", "GET"): ("{x}", expect(200)),
    ("lms.learn.module", "GET"): ("{x}/modules/essay", expect(200)),
    ("lms.learn.quiz", "GET"): ("{x}/modules/essay/quiz", expect(200)),
    ("lms.learn.submit", "GET"): ("{x}/modules/essay/attempts/{attempt}/submit", expect(302)),
    ("lms.learn.submit", "POST"): ("{x}/modules/essay/attempts/{attempt}/submit",
                                   expect(404, trainee=303)),  # hers: already handed in
    ("lms.learn.attempt", "GET"): ("{x}/modules/essay/attempts/{attempt}",
                                   expect(404, trainee=200)),
    ("lms.learn.save_draft", "POST"): ("/attempts/{attempt}/draft",
                                       expect(404, anonymous=401, trainee=409)),
    ("lms.learn.study_beat", "POST"): ("{x}/modules/essay/beat",
                                       expect(200, anonymous=401)),
    # 我的学习档案: no person in the URL, so everyone signed in gets their own record.
    ("lms.learn.record", "GET"): ("/record", expect(200)),
    ("lms.learn.record_pdf", "GET"): ("/record.pdf", expect(200)),
    ("lms.learn.record_xlsx", "GET"): ("/record.xlsx", expect(200)),
    # Certificates: {certificate} is the trainee's; anyone may check a code.
    ("lms.learn.my_certificates", "GET"): ("/certificates", expect(200)),
    ("lms.learn.certificate_pdf", "GET"): ("/certificates/{certificate}.pdf",
                                           expect(404, trainee=200)),
    ("lms.public.verify", "GET"): ("/verify/{code}", expect(200, anonymous=200)),
    # Notices: {notice} is the trainee's; marking someone else's is "no such notice".
    ("lms.learn.notices", "GET"): ("/notices", expect(200)),
    ("lms.learn.notice_read", "POST"): ("/notices/{notice}/read", expect(404, trainee=303)),
    ("lms.learn.notices_read_all", "POST"): ("/notices/read-all", expect(303)),
    ("lms.author.index", "GET"): ("/author/", only(STAFF, 200)),
    ("lms.author.grading_queue", "GET"): ("/author/grading", only(STAFF, 200)),
    ("lms.author.quiz", "GET"): ("/author{x}/modules/essay/quiz", only(ANALYSTS, 200)),
    ("lms.author.analysis_export", "GET"): ("/author{x}/modules/essay/quiz/analysis.csv",
                                            only(ANALYSTS, 200)),
    ("lms.author.export_questions", "GET"): ("/author{x}/questions.xlsx", only(AUTHORS, 200)),
    ("lms.author.bank_template", "GET"): ("/author/question-bank-template.xlsx",
                                          only(AUTHORS | {"other_author"}, 200)),
    ("lms.author.import_questions", "GET"): ("/author{x}/modules/essay/import",
                                             only(AUTHORS, 200)),
    ("lms.author.import_questions", "POST"): ("/author{x}/modules/essay/import",
                                              only(AUTHORS, 400)),
    ("lms.author.confirm_import", "POST"): ("/author{x}/modules/essay/import/confirm",
                                            only(AUTHORS, 302)),
    # The course editor: starting a course is for staff; a course's draft for its authors.
    ("lms.author.new_course", "GET"): ("/author/courses/new", only(STAFF, 200)),
    ("lms.author.new_course", "POST"): ("/author/courses/new", only(STAFF, 400)),
    ("lms.author.import_article_page", "GET"): ("/author/courses/import-article",
                                                only(STAFF, 200)),
    ("lms.author.import_article_page", "POST"): ("/author/courses/import-article",
                                                 only(STAFF, 400)),
    ("lms.author.add_coauthor", "POST"): ("/author{x}/authors", only(AUTHORS, 400)),
    ("lms.author.remove_coauthor", "POST"): ("/author{x}/authors/999999/remove",
                                             only(AUTHORS, 404)),
    ("lms.author.draft", "GET"): ("/author{x}/draft", only(AUTHORS, 200)),
    ("lms.author.edit_file", "GET"): ("/author{x}/draft/files/course.yml", only(AUTHORS, 404)),
    ("lms.author.edit_file", "POST"): ("/author{x}/draft/files/course.yml", only(AUTHORS, 404)),
    ("lms.author.preview", "POST"): ("/author{x}/draft/preview", only(AUTHORS, 200)),
    ("lms.author.publish", "POST"): ("/author{x}/draft/publish", only(AUTHORS, 303)),
    ("lms.author.discard", "POST"): ("/author{x}/draft/discard", only(AUTHORS, 303)),
    # Without a draft there is nothing to change: authors are sent back to the draft page.
    ("lms.author.save_settings", "POST"): ("/author{x}/draft/settings", only(AUTHORS, 400)),
    ("lms.author.add_module", "POST"): ("/author{x}/draft/modules", only(AUTHORS, 400)),
    ("lms.author.move_module", "POST"): ("/author{x}/draft/modules/a.md/move",
                                         only(AUTHORS, 303)),
    ("lms.author.set_module_required", "POST"): ("/author{x}/draft/modules/a.md/required",
                                                 only(AUTHORS, 303)),
    ("lms.author.autosave_file", "POST"): ("/author{x}/draft/files/course.yml/autosave",
                                           only(AUTHORS, 404)),
    ("lms.author.remove_module", "POST"): ("/author{x}/draft/modules/a.md/remove",
                                           only(AUTHORS, 303)),
    # A chapter's question forms: x has no draft, so its authors find no chapter there.
    ("lms.author.new_question", "GET"): (
        "/author{x}/draft/files/a.md/questions/new?type=single_choice", only(AUTHORS, 404)),
    ("lms.author.new_question", "POST"): (
        "/author{x}/draft/files/a.md/questions/new?type=single_choice", only(AUTHORS, 404)),
    ("lms.author.edit_question", "GET"): ("/author{x}/draft/files/a.md/questions/edit/a-1",
                                          only(AUTHORS, 404)),
    ("lms.author.edit_question", "POST"): ("/author{x}/draft/files/a.md/questions/edit/a-1",
                                           only(AUTHORS, 404)),
    ("lms.author.remove_question", "POST"): (
        "/author{x}/draft/files/a.md/questions/remove/a-1", only(AUTHORS, 404)),
    ("lms.author.move_question", "POST"): ("/author{x}/draft/files/a.md/questions/move/a-1",
                                           only(AUTHORS, 404)),
    # Course zips: x is published without a draft (its draft zip is a 404 to its authors).
    ("lms.author.export_zip", "GET"): ("/author{x}/export.zip", only(AUTHORS, 200)),
    ("lms.author.export_draft_zip", "GET"): ("/author{x}/draft/export.zip", only(AUTHORS, 404)),
    ("lms.author.import_zip", "GET"): ("/author/courses/import-zip", only(STAFF, 200)),
    ("lms.author.import_zip", "POST"): ("/author/courses/import-zip", only(STAFF, 400)),
    ("lms.author.confirm_zip_import", "POST"): ("/author{x}/import-zip/confirm",
                                                only(AUTHORS, 400)),
    # After the file routes: it opens a draft, which they would then find.
    ("lms.author.start_draft", "POST"): ("/author{x}/draft/start", only(AUTHORS, 303)),
    # Versions and status: the course's authors; an empty POST lacks its confirmation box.
    ("lms.author.history", "GET"): ("/author{x}/history", only(AUTHORS, 200)),
    ("lms.author.compare_versions", "GET"): ("/author{x}/history/compare", only(AUTHORS, 200)),
    ("lms.author.module_history", "GET"): ("/author{x}/history/modules/essay",
                                           only(AUTHORS, 200)),
    ("lms.author.roll_back", "POST"): ("/author{x}/history/versions/1/roll-back",
                                       only(AUTHORS, 400)),
    ("lms.author.unpublish_course", "POST"): ("/author{x}/unpublish", only(AUTHORS, 400)),
    ("lms.author.republish_course", "POST"): ("/author{x}/republish", only(AUTHORS, 400)),
    ("lms.author.archive_course", "POST"): ("/author{x}/archive", only(AUTHORS, 400)),
    ("lms.author.unarchive_course", "POST"): ("/author{x}/unarchive", only(AUTHORS, 400)),
    ("lms.author.delete_course", "POST"): ("/author{x}/delete", only(AUTHORS, 400)),
    ("lms.author.grade", "GET"): ("/author/grading/{attempt}", only(GRADERS, 200)),
    ("lms.author.grade", "POST"): ("/author/grading/{attempt}", only(GRADERS, 400)),
    ("lms.admin.index", "GET"): ("/admin/", only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.audit", "GET"): ("/admin/audit", only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.unit", "GET"): ("/admin/units/{unit}", only(ADMINS, 200)),
    ("lms.admin.create_unit", "POST"): ("/admin/units/{unit}/children", only(ADMINS, 400)),
    ("lms.admin.rename_unit", "POST"): ("/admin/units/{unit}/rename", only(ADMINS, 400)),
    ("lms.admin.move_unit", "POST"): ("/admin/units/{unit}/move", only(ADMINS, 400)),
    # An empty form lacks the confirmation box: 400 for those allowed to try, 403 for others.
    ("lms.admin.deactivate_unit", "POST"): ("/admin/units/{unit}/deactivate",
                                            only(ADMINS, 400)),
    # People: the trainee of UNIT_A is the person; empty forms are refused with 400.
    ("lms.admin.people", "GET"): ("/admin/people", only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.create_person", "GET"): ("/admin/people/new",
                                         only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.create_person", "POST"): ("/admin/people/new",
                                          only(ADMINS | {"other_unit_admin"}, 400)),
    ("lms.admin.person", "GET"): ("/admin/people/{person}", only(ADMINS, 200)),
    ("lms.admin.edit_person", "POST"): ("/admin/people/{person}/edit", only(ADMINS, 400)),
    ("lms.admin.move_person", "POST"): ("/admin/people/{person}/move", only(ADMINS, 400)),
    ("lms.admin.deactivate_person", "POST"): ("/admin/people/{person}/deactivate",
                                              only(ADMINS, 400)),
    ("lms.admin.reactivate_person", "POST"): ("/admin/people/{person}/reactivate",
                                              only(ADMINS, 400)),
    ("lms.admin.reset_password", "POST"): ("/admin/people/{person}/password",
                                           only(ADMINS, 400)),
    # 学时: an empty form (no kind, no confirmation box) is 400; entry 999999 is nobody's.
    ("lms.admin.record_hours", "POST"): ("/admin/people/{person}/hours", only(ADMINS, 400)),
    ("lms.admin.remove_hours", "POST"): ("/admin/people/{person}/hours/999999/remove",
                                         only(ADMINS, 400)),
    ("lms.admin.person_record", "GET"): ("/admin/people/{person}/record", only(ADMINS, 200)),
    ("lms.admin.person_record_pdf", "GET"): ("/admin/people/{person}/record.pdf",
                                             only(ADMINS, 200)),
    ("lms.admin.person_record_xlsx", "GET"): ("/admin/people/{person}/record.xlsx",
                                              only(ADMINS, 200)),
    # Certificates: an empty revoke lacks reason and box (400); re-issuing a valid one is 400.
    ("lms.admin.person_certificate_pdf", "GET"): (
        "/admin/people/{person}/certificates/{certificate}.pdf", only(ADMINS, 200)),
    ("lms.admin.revoke_certificate", "POST"): (
        "/admin/people/{person}/certificates/{certificate}/revoke", only(ADMINS, 400)),
    ("lms.admin.reissue_certificate", "POST"): (
        "/admin/people/{person}/certificates/{certificate}/reissue", only(ADMINS, 400)),
    # Grants: {grant} is a unit admin grant on UNIT_A; site and author grants are site admins'.
    ("lms.admin.grants_page", "GET"): ("/admin/grants", only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.grant_unit_admin", "POST"): ("/admin/units/{unit}/admins", only(ADMINS, 400)),
    ("lms.admin.grant_site_admin", "POST"): ("/admin/grants/site-admins",
                                             only({"site_admin"}, 400)),
    ("lms.admin.grant_course_author", "POST"): ("/admin/grants/course-authors",
                                                only({"site_admin"}, 400)),
    ("lms.admin.revoke_grant", "POST"): ("/admin/grants/{grant}/revoke", only(ADMINS, 400)),
    # Assignments and overrides: {assignment} gives x to UNIT_A; {person} is its trainee.
    ("lms.admin.assign_to_unit", "POST"): ("/admin/units/{unit}/assignments",
                                           only(ADMINS, 400)),
    ("lms.admin.unassign", "POST"): ("/admin/assignments/{assignment}/unassign",
                                     only(ADMINS, 400)),
    ("lms.admin.person_courses", "GET"): ("/admin/people/{person}/courses", only(ADMINS, 200)),
    ("lms.admin.assign_to_person", "POST"): ("/admin/people/{person}/courses/assign",
                                             only(ADMINS, 400)),
    ("lms.admin.override_completion", "POST"): ("/admin/people/{person}/courses/override",
                                                only(ADMINS, 400)),
    # Imports: any unit's admin may upload (rows are checked against their scope); an empty
    # upload or confirm is 400; batch 999999 is nobody's (404: only the uploader sees one).
    ("lms.admin.people_import_upload", "GET"): ("/admin/people/import",
                                                only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.people_import_upload", "POST"): ("/admin/people/import",
                                                 only(ADMINS | {"other_unit_admin"}, 400)),
    ("lms.admin.people_import_confirm", "POST"): ("/admin/people/import/confirm",
                                                  only(ADMINS | {"other_unit_admin"}, 400)),
    ("lms.admin.people_import_result", "GET"): ("/admin/people/import/999999",
                                                only(ADMINS | {"other_unit_admin"}, 404)),
    ("lms.admin.people_import_passwords", "POST"): ("/admin/people/import/999999/passwords",
                                                    only(ADMINS | {"other_unit_admin"}, 404)),
    ("lms.admin.people_import_template", "GET"): ("/admin/people/import/template.xlsx",
                                                  only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.override_import_upload", "GET"): ("/admin/overrides/import",
                                                  only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.override_import_upload", "POST"): ("/admin/overrides/import",
                                                   only(ADMINS | {"other_unit_admin"}, 400)),
    ("lms.admin.override_import_confirm", "POST"): ("/admin/overrides/import/confirm",
                                                    only(ADMINS | {"other_unit_admin"}, 400)),
    ("lms.admin.override_import_result", "GET"): ("/admin/overrides/import/999999",
                                                  only(ADMINS | {"other_unit_admin"}, 404)),
    ("lms.admin.override_import_template", "GET"): ("/admin/overrides/import/template.csv",
                                                    only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.hours_import_upload", "GET"): ("/admin/hours/import",
                                               only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.hours_import_upload", "POST"): ("/admin/hours/import",
                                                only(ADMINS | {"other_unit_admin"}, 400)),
    ("lms.admin.hours_import_confirm", "POST"): ("/admin/hours/import/confirm",
                                                 only(ADMINS | {"other_unit_admin"}, 400)),
    ("lms.admin.hours_import_result", "GET"): ("/admin/hours/import/999999",
                                               only(ADMINS | {"other_unit_admin"}, 404)),
    ("lms.admin.hours_import_template", "GET"): ("/admin/hours/import/template.csv",
                                                 only(ADMINS | {"other_unit_admin"}, 200)),
    # Statistics: course-wide pages follow the viewer's scope; unit pages need the unit.
    ("lms.admin.stats_index", "GET"): ("/admin/stats", only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.stats_hours", "GET"): ("/admin/stats/hours?unit={unit}", only(ADMINS, 200)),
    # A small table: a streamed list left unread here would hold its session open.
    ("lms.admin.stats_hours_export", "GET"): ("/admin/stats/hours/hours_units.csv?unit={unit}",
                                              only(ADMINS, 200)),
    ("lms.admin.stats_courses_export", "GET"): ("/admin/stats.xlsx",
                                                only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.stats_course", "GET"): ("/admin/stats/{slug}",
                                        only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.stats_export", "GET"): ("/admin/stats/{slug}/units.csv",
                                        only(ADMINS | {"other_unit_admin"}, 200)),
    ("lms.admin.stats_unit", "GET"): ("/admin/stats/{slug}/units/{unit}", only(ADMINS, 200)),
    # (Not a streamed list here: this test never reads the bodies it asks for.)
    ("lms.admin.stats_unit_export", "GET"): ("/admin/stats/{slug}/units/{unit}/units.xlsx",
                                             only(ADMINS, 200)),
    ("lms.admin.stats_overdue", "GET"): ("/admin/stats/{slug}/overdue?unit={unit}",
                                         only(ADMINS, 200)),
    ("lms.admin.stats_person", "GET"): ("/admin/stats/{slug}/units/{unit}/people/{person}",
                                        only(ADMINS, 200)),
    ("lms.admin.stats_person_export", "GET"): (
        "/admin/stats/{slug}/units/{unit}/people/{person}.csv", only(ADMINS, 200)),
    # Last: it signs the actor out (and sends everyone to the sign-in page).
    ("lms.auth.logout", "POST"): ("/logout", expect(LOGIN)),
}


def lms_routes(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("lms.") and rule.endpoint != "lms.static"
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_the_matrix_covers_every_route(app):
    routes = lms_routes(app)
    assert routes - set(MATRIX) == set(), "add the new routes to MATRIX"
    assert set(MATRIX) - routes == set(), "MATRIX lists routes that no longer exist"
    assert all(set(statuses) == set(ACTORS) for _, statuses in MATRIX.values())


@pytest.fixture
def world(app, db, make_user, make_course, grant):
    """Courses x and y; a trainee of UNIT_A with an attempt on x waiting for a grade; a unit
    admin grant on UNIT_A (``grant``)."""
    slugs = {"x": make_course(ESSAY).slug, "y": make_course(ESSAY).slug}
    trainee, password = make_user("trainee", unit=UNIT_A)
    registry = app.extensions["lms"].question_types
    owner = db.get(User, trainee.id)
    _, module = catalog.get_course_and_module(db, slugs["x"], "essay")
    attempt = quizzes.start_or_resume(db, registry, owner, module)
    attempt, _ = quizzes.submit_attempt(db, registry, owner, attempt.id, {"q1": ["体会。"]})
    assert attempt.status.value == "pending_review"
    unit_a_admin, _ = make_user("trainee", unit=UNIT_A)
    grant(unit_a_admin, unit=UNIT_A)
    assignment = Assignment(course_id=module.course_id, org_unit_id=owner.org_unit_id)
    db.add(assignment)
    db.commit()
    with unit_of_work(db):
        certificate = certificates.issue(db, owner, module.course, completed_on=date.today(),
                                         quarter_hours=4, cycle=1, actor_id=None)
    notice = Notice(user_id=owner.id, kind="overdue", dedupe_key="matrix",
                    course_id=module.course_id, params={})
    db.add(notice)
    db.commit()
    return {"slugs": slugs, "attempt": attempt.id, "trainee": (trainee, password),
            "notice": notice.id,
            "grant": db.scalar(select(Grant.id).where(Grant.user_id == unit_a_admin.id)),
            "unit": owner.org_unit_id, "assignment": assignment.id,
            "certificate": certificate.id, "code": certificate.code}


def sign_in_as(app, client, make_user, grant, world, actor: str) -> None:
    if actor == "anonymous":
        return
    if actor == "trainee":
        user, password = world["trainee"]
    else:
        role, unit, given = ACTORS[actor]
        user, password = make_user(role, unit=unit)
        if given is not None:
            grant(user, **{k: world["slugs"].get(v, v) if k == "course" else v
                           for k, v in given.items()})
    assert sign_in(client, user.username, password).status_code == 302


@pytest.mark.parametrize("actor", list(ACTORS))
def test_every_route_answers_each_actor_as_the_matrix_says(app, client, make_user, grant,
                                                           world, actor):
    sign_in_as(app, client, make_user, grant, world, actor)
    values = {"x": f"/courses/{world['slugs']['x']}", "attempt": world["attempt"],
              "unit": world["unit"], "grant": world["grant"], "person": world["trainee"][0].id,
              "assignment": world["assignment"], "slug": world["slugs"]["x"],
              "certificate": world["certificate"], "code": world["code"],
              "notice": world["notice"]}
    wrong = []
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for (endpoint, method), (template, statuses) in MATRIX.items():
            url = template.format(**values)
            kwargs = JSON_BODIES.get(endpoint, {"data": {}})
            response = client.open(url, method=method, **kwargs)
            wanted = statuses[actor]
            got: int | str = response.status_code
            if got == 302 and response.location.split("?")[0].endswith("/login"):
                got = LOGIN
            if got != wanted:
                wrong.append(f"{method} {url} ({endpoint}): {got}, expected {wanted}")
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert wrong == [], f"{actor}:\n" + "\n".join(wrong)
