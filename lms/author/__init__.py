"""The trainer's rooms: quizzes and their statistics, question banks, the grading queue."""

from flask import Blueprint

bp = Blueprint("author", __name__, url_prefix="/author")

from lms.author import article_upload, coauthors, course_zip_views, draft_outline, draft_questions, drafts, history, views  # noqa: E402,F401,I001
