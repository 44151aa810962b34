"""Course zips in the trainer's room: export, import as a draft (never a version), the
confirm before a draft with edits is replaced, and every refusal writing nothing."""

from __future__ import annotations

import io
import re
import zipfile

from sqlalchemy import func, select

from lms.content.course_zip import LIMITS, read_course_zip, zip_course
from lms.models import Course, CourseVersion, DraftFile, Grant, QuizAttempt, User
from lms.services import catalog, quizzes
from tests.conftest import csrf_token, post_form

SLUG = "jiceng-dangjian"
EXPORT = f"/author/courses/{SLUG}/export.zip"
DRAFT_EXPORT = f"/author/courses/{SLUG}/draft/export.zip"
IMPORT = "/author/courses/import-zip"
CONFIRM = f"/author/courses/{SLUG}/import-zip/confirm"
DRAFT = f"/author/courses/{SLUG}/draft"


def as_author(login_as, grant, slug: str = SLUG) -> User:
    user = login_as("trainer")
    grant(user, course=slug)
    return user


def english(client) -> None:
    post_form(client, "/locale", {"locale": "en", "next": "/"}, token_from="/")


def upload(client, data: bytes, name: str = "course.zip", course: str = ""):
    return client.post(IMPORT, data={"csrf_token": csrf_token(client, IMPORT), "course": course,
                                     "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def texts(data: bytes) -> dict[str, str]:
    return {name: raw.decode("utf-8") for name, raw in read_course_zip(data).items()}


def raw_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def draft_of(db, slug: str = SLUG) -> dict[str, str]:
    db.expire_all()
    course = db.scalar(select(Course).where(Course.slug == slug))
    return {row.name: row.text for row in db.scalars(
        select(DraftFile).where(DraftFile.course_id == course.id))}


def versions(db, slug: str = SLUG) -> int:
    return db.scalar(select(func.count()).select_from(CourseVersion)
                     .join(Course, Course.id == CourseVersion.course_id)
                     .where(Course.slug == slug))


def publish(client, slug: str = SLUG):
    return post_form(client, f"/author/courses/{slug}/draft/publish", {"confirm_publish": "y"},
                     token_from=f"/author/courses/{slug}/draft")


def test_export_then_import_gives_the_same_files_and_publishing_makes_no_version(
        client, login_as, grant, db):
    as_author(login_as, grant)
    exported = client.get(EXPORT)
    assert exported.status_code == 200 and exported.mimetype == "application/zip"
    assert f"{SLUG}.zip" in exported.headers["Content-Disposition"]
    assert exported.headers["X-Content-Type-Options"] == "nosniff"
    before = versions(db)
    response = upload(client, exported.data)
    assert response.status_code == 303 and response.headers["Location"].endswith(DRAFT)
    raw = read_course_zip(exported.data)
    assert {name: text.encode("utf-8") for name, text in draft_of(db).items()} == raw
    # export → import → export: byte for byte the same.
    assert client.get(DRAFT_EXPORT).data == exported.data
    assert "可以发布" in client.get(DRAFT).get_data(as_text=True)
    assert publish(client).status_code == 303
    assert versions(db) == before and draft_of(db) == {}


def first_module(files: dict[str, str]) -> str:
    return sorted(name for name in files if name.endswith(".md"))[0]


def test_an_edited_module_reaches_trainees_only_when_published(
        app, client, login_as, grant, db, make_user):
    as_author(login_as, grant)
    files = texts(client.get(EXPORT).data)
    name = first_module(files)
    module_slug = re.search(r"^slug: (\S+)$", files[name], re.M).group(1)
    files[name] = files[name].replace("\n---\n", "\n---\n\n导入时新增的一段话。\n", 1)
    # A trainee's answers stay whatever the import does.
    trainee, _ = make_user("trainee")
    course, module = catalog.get_course_and_module(db, SLUG, module_slug)
    registry = app.extensions["lms"].question_types
    attempt = quizzes.start_or_resume(db, registry, db.get(User, trainee.id), module)
    before = versions(db)
    assert upload(client, zip_course(files, SLUG)).status_code == 303
    assert "导入时新增的一段话" in draft_of(db)[name]
    editor = client.get(f"{DRAFT}/files/{name}").get_data(as_text=True)
    assert "导入时新增的一段话" in editor
    trainee_view = f"/courses/{SLUG}/modules/{module_slug}"
    db.expire_all()
    assert versions(db) == before
    assert db.get(QuizAttempt, attempt.id) is not None
    assert publish(client).status_code == 303
    assert versions(db) == before + 1
    assert db.get(QuizAttempt, attempt.id) is not None
    # The trainee now reads the new paragraph.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    reader, password = make_user("trainee")
    post_form(client, "/login", {"username": reader.username, "password": password})
    assert "导入时新增的一段话" in client.get(trainee_view).get_data(as_text=True)


def test_replacing_a_draft_with_edits_asks_first_and_confirms_once(client, login_as, grant,
                                                                    db):
    as_author(login_as, grant)
    exported = client.get(EXPORT).data
    post_form(client, f"{DRAFT}/start", {}, token_from=DRAFT)
    name = first_module(draft_of(db))
    edited = draft_of(db)[name] + "\n草稿里写的一段。\n"
    page = client.get(f"{DRAFT}/files/{name}").get_data(as_text=True)
    revision = re.search(r'name="revision"[^>]*value="(\d+)"', page).group(1)
    assert post_form(client, f"{DRAFT}/files/{name}",
                     {"text": edited, "revision": revision}).status_code == 303
    preview = upload(client, exported)
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and name in text and "confirm_replace" in text
    assert draft_of(db)[name] == edited  # nothing replaced yet
    token = re.search(r'name="token"[^>]*value="([^"]+)"', text).group(1)
    unticked = post_form(client, CONFIRM, {"token": token}, token_from=IMPORT)
    assert unticked.status_code == 400 and name in unticked.get_data(as_text=True)
    assert draft_of(db)[name] == edited
    confirmed = post_form(client, CONFIRM, {"token": token, "confirm_replace": "y"},
                          token_from=IMPORT)
    assert confirmed.status_code == 303 and confirmed.headers["Location"].endswith(DRAFT)
    assert draft_of(db) == texts(exported)
    again = post_form(client, CONFIRM, {"token": token, "confirm_replace": "y"},
                      token_from=IMPORT)
    assert again.status_code == 409 and draft_of(db) == texts(exported)


def test_a_draft_changed_after_the_preview_is_not_replaced(client, login_as, grant, db):
    as_author(login_as, grant)
    files = texts(client.get(EXPORT).data)
    post_form(client, f"{DRAFT}/start", {}, token_from=DRAFT)
    name = first_module(files)
    draft_url = f"{DRAFT}/files/{name}"

    def save(extra: str):
        page = client.get(draft_url).get_data(as_text=True)
        revision = re.search(r'name="revision"[^>]*value="(\d+)"', page).group(1)
        return post_form(client, draft_url, {"text": draft_of(db)[name] + extra,
                                             "revision": revision})

    save("\n第一次修改。\n")
    text = upload(client, zip_course(files, SLUG)).get_data(as_text=True)
    token = re.search(r'name="token"[^>]*value="([^"]+)"', text).group(1)
    save("\n第二次修改。\n")  # a co-author saves meanwhile
    kept = draft_of(db)
    english(client)
    stale = post_form(client, CONFIRM, {"token": token, "confirm_replace": "y"},
                      token_from=IMPORT)
    assert stale.status_code == 409 and "changed since the preview" in stale.get_data(
        as_text=True)
    assert draft_of(db) == kept


def test_a_new_slug_makes_an_unpublished_course_authored_by_the_importer(
        client, login_as, grant, db):
    user = as_author(login_as, grant)
    files = texts(client.get(EXPORT).data)
    files["course.yml"] = files["course.yml"].replace(f"slug: {SLUG}", "slug: zip-kecheng")
    response = upload(client, zip_course(files, "zip-kecheng"))
    assert response.status_code == 303
    course = db.scalar(select(Course).where(Course.slug == "zip-kecheng"))
    assert course.published is False and course.version_id is None
    assert db.scalar(select(Grant).where(Grant.user_id == user.id,
                                         Grant.course_id == course.id)) is not None
    assert draft_of(db, "zip-kecheng") == files
    # Never published: its zip is its draft.
    assert texts(client.get("/author/courses/zip-kecheng/export.zip").data) == files
    assert client.get("/courses/zip-kecheng").status_code == 404


def test_a_trainer_who_does_not_author_the_course_is_refused(client, login_as, grant, db):
    as_author(login_as, grant)
    exported = client.get(EXPORT).data
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as("trainer")
    assert client.get(EXPORT).status_code == 403
    english(client)
    response = upload(client, exported)
    assert response.status_code == 403
    assert "not one of its authors" in response.get_data(as_text=True)
    assert draft_of(db) == {}


def test_unsafe_and_broken_uploads_are_refused_and_write_nothing(client, login_as, grant, db):
    as_author(login_as, grant)
    files = texts(client.get(EXPORT).data)
    english(client)
    before = db.scalar(select(func.count()).select_from(DraftFile))
    traversal = raw_zip({"course.yml": files["course.yml"].encode(), "../evil.md": b"x"})
    cases = {
        traversal: "unsafe file paths",
        b"this is not a zip": "not a zip archive",
        raw_zip({**{n: t.encode() for n, t in files.items()},
                 first_module(files): "标题".encode("gbk")}): "not UTF-8",
        zip_course({"course.yml": files["course.yml"], "a.quiz.yml": "[]"}, SLUG):
            "cannot hold these files",
    }
    for data, message in cases.items():
        response = upload(client, data)
        text = response.get_data(as_text=True)
        assert response.status_code == 400 and message in text, message
        assert 'class="field-error"' in text
    refused = upload(client, zip_course(files, SLUG), course="another-course")
    assert refused.status_code == 400 and "another-course" not in refused.headers.get(
        "Location", "")
    assert "for the course “jiceng-dangjian”" in refused.get_data(as_text=True)
    assert "../evil.md" in upload(client, traversal).get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(DraftFile)) == before


def test_an_oversized_upload_is_refused_before_it_is_read(client, login_as, grant, db):
    as_author(login_as, grant)
    english(client)
    huge = upload(client, b"\0" * (LIMITS.zip_bytes + 200 * 1024))
    assert huge.status_code == 413 and "larger than 10 MB" in huge.get_data(as_text=True)
    # Not even parsed: without its CSRF token the form would otherwise be a 400.
    body = {"file": (io.BytesIO(b"\0" * (LIMITS.zip_bytes + 200 * 1024)), "big.zip")}
    unparsed = client.post(IMPORT, data=body, content_type="multipart/form-data")
    assert unparsed.status_code == 413
    # Within the envelope's slack but over the zip limit: refused by the file's own length.
    just_over = upload(client, b"\0" * (LIMITS.zip_bytes + 1))
    assert just_over.status_code == 413 and "larger than 10 MB" in just_over.get_data(
        as_text=True)
    assert draft_of(db) == {}


def test_trainees_may_not_import_and_unpublished_courses_stay_hidden(client, login_as, grant,
                                                                     db):
    as_author(login_as, grant)
    files = texts(client.get(EXPORT).data)
    files["course.yml"] = files["course.yml"].replace(f"slug: {SLUG}", "slug: yincang")
    assert upload(client, zip_course(files, "yincang")).status_code == 303
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as("trainer")
    assert client.get("/author/courses/yincang/export.zip").status_code == 404
    assert client.get("/author/courses/yincang/draft/export.zip").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as("trainee")
    assert client.get(IMPORT).status_code == 403
