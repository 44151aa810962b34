"""Every UI string is translated to Chinese, and the shipped .mo files match the .po sources."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "lms" / "translations"
METHODS = [("lms/**.py", "python"), ("templates/**.html", "jinja2")]
#: As the Makefile's ``make messages``: problems raised without a request are msgids too
#: (lms.problems), translated when a page shows them.
KEYWORDS = {"_": None, "gettext": None, "_l": None, "ngettext": (1, 2), "GiftSkip": None,
            "Problem": None, "SpecError": (2,), "GiftTooLarge": None, "BankRefused": None}


def source_msgids() -> set[str]:
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS,
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_every_ui_string_has_a_chinese_translation():
    with open(TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(source_msgids() - set(translated))
    assert missing == [], "run `make messages` and translate: " + ", ".join(missing)


def test_compiled_catalogs_match_their_sources():
    sources = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    assert {p.parent.parent.name for p in sources} >= {"zh_Hans_CN", "en"}, sources
    for po_path in sources:
        assert po_path.with_suffix(".mo").is_file(), f"{po_path.parent}: run `make messages`"
        with open(po_path, "rb") as handle:
            source = {m.id: m.string for m in read_po(handle) if m.id and m.string}
        with open(po_path.with_suffix(".mo"), "rb") as handle:
            compiled = {m.id: m.string for m in read_mo(handle) if m.id and m.string}
        assert compiled == source, f"{po_path.parent}: run `pybabel compile -d lms/translations`"
