"""The trainer's rooms: quizzes and their statistics, question banks, the grading queue."""

from flask import Blueprint

bp = Blueprint("author", __name__, url_prefix="/author")

from lms.author import article_upload, coauthors, draft_outline, drafts, views  # noqa: E402,F401,I001
