"""Every confirm in the author room is single-use: the same signed request posted again
answers 409, says so, and imports nothing more (issue 11: a replayed bank confirm imported
the questions four times). The admin imports' replays are in tests/admin (people, 学时,
overrides: test_*_import.py)."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from sqlalchemy import func, select

from lms.models import Course, DraftFile
from tests.author.test_article_upload import upload as upload_article
from tests.author.test_author_views import IMPORT, bank_count
from tests.author.test_course_zip_views import (
    CONFIRM,
    DRAFT,
    EXPORT,
    as_author,
    draft_of,
    english,
    first_module,
    upload,
)
from tests.conftest import csrf_token, post_form

BANK_HEADER = ["题型", "题干", "选项A", "选项B", "正确答案", "解析", "分值"]


def bank_xlsx() -> bytes:
    book = Workbook()
    book.active.append(BANK_HEADER)
    book.active.append(["单选题", "“三会一课”中的“一课”指什么？", "党课", "团课", "A", "", 1])
    book.active.append(["判断题", "党员应按时交纳党费。", "", "", "正确", "", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_bank_confirm_posted_four_times_imports_once(client, login_as, db, grant):
    grant(login_as("trainer"), course="assess")
    preview = client.post(IMPORT, data={"csrf_token": csrf_token(client, IMPORT),
                                        "file": (io.BytesIO(bank_xlsx()), "题库.xlsx")},
                          content_type="multipart/form-data")
    assert preview.status_code == 200, preview.get_data(as_text=True)
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"',
                        preview.get_data(as_text=True)).group(1)
    token = csrf_token(client, IMPORT)
    replies = [client.post(IMPORT + "/confirm", data={"csrf_token": token, "payload": payload,
                                                      "existing": "copy"})
               for _ in range(4)]
    assert [reply.status_code for reply in replies] == [302, 409, 409, 409]
    assert "没有重复导入" in replies[-1].get_data(as_text=True)
    assert bank_count(db) == 2


def test_a_replayed_zip_confirm_does_not_undo_later_edits(client, login_as, grant, db):
    as_author(login_as, grant)
    exported = client.get(EXPORT).data
    post_form(client, f"{DRAFT}/start", {}, token_from=DRAFT)
    name = first_module(draft_of(db))
    edit = "\n草稿里写的一段。\n"

    def save(text: str):
        page = client.get(f"{DRAFT}/files/{name}").get_data(as_text=True)
        revision = re.search(r'name="revision"[^>]*value="(\d+)"', page).group(1)
        assert post_form(client, f"{DRAFT}/files/{name}",
                         {"text": text, "revision": revision}).status_code == 303

    save(draft_of(db)[name] + edit)
    preview = upload(client, exported).get_data(as_text=True)
    token = re.search(r'name="token"[^>]*value="([^"]+)"', preview).group(1)
    form = {"token": token, "confirm_replace": "y"}
    assert post_form(client, CONFIRM, form, token_from=DRAFT).status_code == 303
    save(draft_of(db)[name] + edit)  # edited again after the import
    edited = draft_of(db)
    english(client)  # the message is new: checked in English until the catalogue is built
    again = post_form(client, CONFIRM, form, token_from=DRAFT)
    assert again.status_code == 409
    assert "imported already: nothing was imported again" in again.get_data(as_text=True)
    assert draft_of(db) == edited


def test_an_article_upload_posted_again_creates_no_second_course(client, login_as, db):
    login_as("trainer")
    article = "重放测试\n1.第一节\n正文。\n".encode()
    assert upload_article(client, article, "a.txt", slug="chongfang").status_code == 303
    files = db.scalar(select(func.count()).select_from(DraftFile))
    again = upload_article(client, article, "a.txt", slug="chongfang")
    assert again.status_code == 409 and "已有" in again.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Course)
                     .where(Course.slug == "chongfang")) == 1
    assert db.scalar(select(func.count()).select_from(DraftFile)) == files
