"""A question bank's problems are said in the language the trainer chose (issue 13).

The GIFT reader raises its problems deep in code without a request; the import page shows
each one, and its line labels, in Chinese by default and in English once chosen.
"""

from __future__ import annotations

import io

import pytest
from markupsafe import escape

from tests.author.test_author_views import IMPORT, bank_count
from tests.conftest import csrf_token, post_form
from tests.content.test_xlsx_bank import row, xlsx

#: Line 1 imports; line 3 has an unclosed name, line 5 no right option, line 7 no number.
BAD_GIFT = ("::好题:: 支部党员大会多久召开一次？ {=每季度 ~每年}\n\n"
            "::坏名字 党课多久一次？ {=每季度 ~每年}\n\n"
            "“三会一课”指什么？ {~支部党员大会 ~党课}\n\n"
            "党费按月交纳，一年交几次？ {#十二}\n").encode()
PROBLEMS = {
    "zh_CN": ["第1行", "文件中有 3 道题无法导入", "第3行：无法解析：题目名称缺少结尾的 ::",
              "第5行：无法解析：没有标出正确选项", "第7行：数值题的答案有误",
              "“十二”不是数字"],
    "en": ["Line 1", "3 questions in the file cannot be imported",
           "Line 3: unparseable: the question name is not closed with ::",
           "Line 5: unparseable: no option is marked right",
           "Line 7: Numerical, answer:", "“十二” is not a number"],
}
#: What the other language would say: none of it may show.
FOREIGN = {"zh_CN": ["Line ", "unparseable", "not a number"],
           "en": ["第1行", "第3行", "无法解析", "不是数字"]}


def choose(client, locale: str) -> None:
    """Pick the language with the header's switch, as a trainer does."""
    response = post_form(client, "/locale", {"locale": locale, "next": IMPORT})
    assert response.status_code == 302


def upload(client, data: bytes, name: str):
    return client.post(IMPORT, data={"csrf_token": csrf_token(client, IMPORT),
                                     "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_gift_problems_and_line_labels_follow_the_chosen_language(client, login_as, grant, db,
                                                                  locale):
    grant(login_as("trainer"), course="assess")
    choose(client, locale)
    response = upload(client, BAD_GIFT, "坏题库.gift")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    for words in PROBLEMS[locale]:
        assert words in page, words
    for words in FOREIGN[locale]:
        assert words not in page, words
    assert bank_count(db) == 0  # a preview stores nothing


@pytest.mark.parametrize(("locale", "data", "name", "words"), [
    ("zh_CN", b"Q{=a ~b}\n\n" * 2001, "大.gift", "文件中的题目超过 2000 道：请拆分成多个文件"),
    ("en", b"Q{=a ~b}\n\n" * 2001, "big.gift",
     "The file has more than 2000 questions: split it into several files."),
    ("zh_CN", "题{=对}".encode("gb18030"), "gbk.gift", "GIFT 文件必须是 UTF-8 编码的文本"),
    ("en", "题{=对}".encode("gb18030"), "gbk.gift", "A GIFT file must be UTF-8 text"),
])
def test_a_refused_gift_file_is_explained_in_the_chosen_language(client, login_as, grant, db,
                                                                 locale, data, name, words):
    grant(login_as("trainer"), course="assess")
    choose(client, locale)
    response = upload(client, data, name)
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert bank_count(db) == 0


#: Row 2: a 单选 with two answers and a bad 分值; row 3: 判断 with no answer; row 4: an
#: unknown 题型. The Chinese is what the import page said before issue 13.
BAD_XLSX_ROWS = [row("单选题", "支部党员大会多久召开一次？", ["每季度", "每年"], "AB", points="两分"),
                 row("判断题", "党费按月交纳。"),
                 row("问答题", "什么是“三会一课”？", ["甲", "乙"], "A")]
XLSX_PROBLEMS = {
    "zh_CN": ["第2行: 单选题只能有一个正确答案，填写了“AB”", "第2行: 分值“两分”应为正整数",
              "第3行: 缺少正确答案", "第4行: 题型“问答题”无法识别，可填："],
    "en": ["Row 2: a single-choice question has exactly one answer; “AB” was given",
           "Row 2: the points “两分” must be a positive whole number",
           "Row 3: the answer is missing", "Row 4: the question type “问答题” is unknown"],
}


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_excel_bank_problems_follow_the_chosen_language(client, login_as, grant, db, locale):
    grant(login_as("trainer"), course="assess")
    choose(client, locale)
    response = upload(client, xlsx(BAD_XLSX_ROWS), "坏题库.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    for words in XLSX_PROBLEMS[locale]:
        assert escape(words) in page, words
    other = XLSX_PROBLEMS["en" if locale == "zh_CN" else "zh_CN"]
    assert not any(escape(words) in page for words in other)
    assert bank_count(db) == 0


@pytest.mark.parametrize(("locale", "words"), [
    ("zh_CN", "无法读取文件：不是有效的 Excel（.xlsx）文件"),
    ("en", "The file cannot be read: it is not a valid Excel (.xlsx) file"),
])
def test_an_unreadable_excel_file_is_explained_in_the_chosen_language(client, login_as, grant,
                                                                      db, locale, words):
    grant(login_as("trainer"), course="assess")
    choose(client, locale)
    response = upload(client, b"PK\x03\x04 not really a zip", "坏.xlsx")
    assert response.status_code == 400 and escape(words) in response.get_data(as_text=True)
