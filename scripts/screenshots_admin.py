"""The admin room's data for ``scripts/screenshots.py`` (a believable data set), and the check
of what a phone user would trip over that it runs on every page.

The data come from ``flask lms demo-data`` (300 trainees, seed 1) plus a few changes made
through the services as a site admin would make them (a new unit, a grant, an override...),
so the audit log, the unit page and a person's courses have something to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from lms.models import Course, Enrollment, ModuleProgress, User
from lms.services import assignments, grants, org_admin, overrides, people_admin
from lms.services.org import find_unit

ADMIN, ADMIN_NAME = "admin", "赵文华"
HEADER = ["姓名", "用户名", "所属组织", "角色", "手机号"]

#: Tap targets under 44 px (inline links inside a sentence excepted) and body text under 16 px.
CHECK_JS = """() => {
  const small = new Set(), tiny = new Set();
  const name = el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  for (const el of document.querySelectorAll('a, button, input, select, summary, textarea')) {
    if (el.type === 'hidden' || el.closest('.skip-link')) continue;
    // a tap on the input's label reaches it too: small only when neither is 44 px each way
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const areas = [r, ...[...(el.labels || [])].map(t => t.getBoundingClientRect())];
    const inline = el.tagName === 'A' && getComputedStyle(el).display === 'inline'
      && el.parentElement.closest('p, li, td, dd, nav') !== null;
    if (!inline && areas.every(a => a.height < 44 || a.width < 44)) small.add(name(el) + ' '
      + Math.round(r.width) + 'x' + Math.round(r.height));
  }
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el.getClientRects().length) continue;
    // secondary text (captions, hints, badges, crumbs) is smaller by design
    if (el.closest('svg, .sr-only, .meta, .help, .crumbs, caption, .badge, .module-meta, '
                   + '.progress-text, .q-type')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 16) tiny.add(name(el) + ' ' + size.toFixed(1) + 'px');
  }
  return {small: [...small].slice(0, 12), tiny: [...tiny].slice(0, 12),
          width: document.documentElement.scrollWidth};
}"""


@dataclass
class World:
    """The ids the pages need, found once after the data are made."""

    unit_id: int          # 机关党委/第一党总支: sub-units, an inherited and a direct assignment
    top_id: int           # 机关党委: the drill-down page
    person_id: int        # overdue, then marked complete by an override with a reason
    learner_id: int       # part-way through the course: the module page
    learner_unit_id: int


def make_data(app, runner, course_slug: str, password: str) -> World:
    result = runner.invoke(args=["lms", "demo-data", "--trainees", "300", "--seed", "1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["lms", "create-user", ADMIN, "--role", "admin", "--name",
                                 ADMIN_NAME, "--password-stdin"], input=f"{password}\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        return _changes(app.extensions["lms"].session(), course_slug)


def _changes(db, course_slug: str) -> World:
    """What a site admin did in the first weeks, through the same services as the pages."""
    admin = db.scalar(select(User).where(User.username == ADMIN))
    course = db.scalar(select(Course).where(Course.slug == course_slug))
    top, branch = find_unit(db, "机关党委"), find_unit(db, "机关党委/第一党总支")
    first = find_unit(db, "机关党委/第一党支部")
    new = org_admin.create_unit(db, admin, branch, "第三党支部", "branch")
    org_admin.rename_unit(db, admin, new, "第三党支部（离退休）")
    people_admin.create_person(db, admin, username="chenxiaomei", display_name="陈晓梅",
                               unit=new, role="trainee", phone="13800138000")
    due = assignments.today() + timedelta(days=21)
    assignments.assign_course(db, admin, course, unit=branch, due_on=due)
    secretary = db.scalar(select(User).where(User.org_unit_id == find_unit(
        db, "机关党委/第一党总支/第一党支部").id).order_by(User.id))
    grants.grant_by_username(db, admin, secretary.username,
                             grants.find_target(db, unit_path="机关党委/第一党总支"))
    people = db.scalars(select(User).join(Enrollment).where(
        User.org_unit_id == first.id, Enrollment.completed_at.is_(None)).order_by(User.id)).all()
    done = dict(db.execute(select(ModuleProgress.user_id, func.count()).where(
        ModuleProgress.completed_at.is_not(None)).group_by(ModuleProgress.user_id)).all())
    learner = next(p for p in people if 3 <= done.get(p.id, 0) <= 6)
    person = next(p for p in people if p.id != learner.id)
    people_admin.update_person(db, admin, person, phone="13912345678")
    overrides.override_completion(db, admin, person, course,
                                  reason="已参加2026年10月线下集中培训，凭签到表补记")
    people_admin.set_person_active(db, admin, people[-1], False)
    return World(unit_id=branch.id, top_id=top.id, person_id=person.id,
                 learner_id=learner.id, learner_unit_id=first.id)


def check(page) -> dict:
    """Small tap targets, small text and the page's width, for the report."""
    return page.evaluate(CHECK_JS)
