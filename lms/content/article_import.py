"""Turn an article (plain text or .docx) into a draft course in the ``courses/`` format.

Pure: bytes, a file name and a slug in, files out (``ArticleDraft.files``), so the CLI writes
them to a folder and the trainer's upload form keeps them as a draft. Same input, same files.
Reading is in ``article_source``/``article_docx``, the module rule in ``article_outline``
(and docs/authoring.md); here the parts become course files. A block repeated word for word
is left out and a heading that breaks the numbering is kept where it stands, both warned
about with their lines; nothing else is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from lms.content import article_markdown as md
from lms.content import article_outline as outline
from lms.content.article_docx import read_docx
from lms.content.article_outline import Block, Planned
from lms.content.article_repeats import drop_repeats
from lms.content.article_source import (
    WARNING_TEXTS,
    ArticleUnreadable,
    ArticleWarning,
    Source,
    check_size,
    decode_text,
    is_docx,
    text_lines,
)
from lms.content.loader import SLUG
from lms.problems import Problem

__all__ = ["WARNING_TEXTS", "ArticleDraft", "ArticleUnreadable", "ArticleWarning",
           "ImportSummary", "import_article"]

MAX_DESCRIPTION_CHARS = 500


@dataclass(frozen=True)
class ImportSummary:
    modules: int
    paragraphs: int
    warnings: int


@dataclass(frozen=True)
class ArticleDraft:
    slug: str
    title: str
    keywords: tuple[str, ...]
    #: Relative path → text: ``course.yml`` first, then the modules in course order.
    files: dict[str, str]
    summary: ImportSummary
    warnings: list[ArticleWarning]


def import_article(data: bytes, filename: str, slug: str, *,
                   title: str | None = None) -> ArticleDraft:
    """Read ``data`` (the file ``filename`` as uploaded) into a draft course ``slug``.

    Raises ``ArticleUnreadable`` (with a ``code``) for a file that is not a readable
    article, ``Problem`` (a ``ValueError``) for a bad slug or title (the caller's form checks those)."""
    if not SLUG.fullmatch(slug):
        raise Problem("invalid slug %(slug)r: use lowercase letters, digits and hyphens",
                      slug=slug)
    title = (title or "").strip() or None
    if title is not None and len(title) > 200:
        raise Problem("the title is longer than 200 characters")
    check_size(data, filename)
    source = read_docx(data) if is_docx(data, filename) else Source(text_lines(decode_text(data)))
    warnings = [ArticleWarning(code, line, line, {"count": count})
                for code, line, count in source.skipped]
    lines = drop_repeats(source.lines, warnings)
    if not lines:
        raise ArticleUnreadable("no_text", "the file holds no text to import")
    blocks = outline.classify(lines, source.styled)
    article_title, blocks = outline.take_title(blocks)
    if not blocks:  # a title and nothing to learn
        raise ArticleUnreadable("no_text", "the file holds no text to import")
    if article_title is None and title is None:
        warnings.append(ArticleWarning("no_title", lines[0].number, lines[0].number))
    course_title = title or article_title or outline.title_from(filename, slug)
    outline.check_numbering(blocks, warnings)
    front, tops, references = outline.parts(blocks)
    if not tops:
        warnings.append(ArticleWarning("no_sections", lines[0].number, lines[-1].number))
    modules = outline.plan(front, tops, references, course_title)
    if title is not None and article_title is not None and article_title != title:
        modules[0].blocks.insert(0, Block("note", 0, article_title))
    warnings.sort(key=lambda w: (w.first_line, w.last_line, w.code))
    files, paragraphs = _files(slug, course_title, front, modules)
    keywords = next((b.items for b in front if b.kind == "keywords"), ())
    return ArticleDraft(slug=slug, title=course_title, keywords=keywords, files=files,
                        summary=ImportSummary(len(modules), paragraphs, len(warnings)),
                        warnings=warnings)

def _render(blocks: list[Block]) -> tuple[list[str], int]:
    levels = [b.level for b in blocks if b.kind == "heading"]
    base = min(levels) if levels else 1
    parts: list[str] = []
    paragraphs = 0
    for block in blocks:
        if block.kind == "heading":
            parts.append(md.heading(2 + block.level - base, block.text))
        elif block.kind in ("special", "keywords"):
            parts.append(md.heading(2, block.special.name))
            if block.kind == "keywords" and block.items:
                parts.append(md.bullet_list(block.items))
                paragraphs += 1
            elif block.special.rest:
                parts.append(md.escape_paragraph(block.special.rest))
                paragraphs += 1
        elif block.kind == "note":
            parts.append(md.emphasis(block.text))
        else:
            parts.append(md.escape_paragraph(block.text))
            paragraphs += 1
    return parts, paragraphs


def _abstract(front: list[Block]) -> list[str]:
    """The abstract's text: after 摘要 on its line, and the paragraphs up to the next marker."""
    texts: list[str] = []
    inside = False
    for block in front:
        if block.special is not None:
            inside = block.special.kind == "abstract"
            texts.extend([block.special.rest] if inside and block.special.rest else [])
        elif inside and block.kind == "paragraph":
            texts.append(block.text)
    return texts


def _files(slug: str, title: str, front: list[Block],
           modules: list[Planned]) -> tuple[dict[str, str], int]:
    description = " ".join(_abstract(front))
    if len(description) > MAX_DESCRIPTION_CHARS:
        description = description[:MAX_DESCRIPTION_CHARS - 1] + "…"
    files: dict[str, str] = {}
    names: list[str] = []
    paragraphs = 0
    first = 0 if modules[0].slug == "overview" else 1
    for number, module in enumerate(modules, start=first):
        parts, count = _render(module.blocks)
        paragraphs += count
        name = f"{number:02d}-{module.slug}.md"
        names.append(name)
        texts = [b.text for b in module.blocks]
        files[name] = md.module_file(module.slug, module.title, md.minutes(texts), parts)
    return {"course.yml": md.course_file(slug, title, description, names), **files}, paragraphs
