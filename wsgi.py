"""Run 党建培训学堂 standalone: ``flask --app wsgi run`` or ``gunicorn wsgi:app``."""

from lms import create_app

app = create_app()
