"""The shared template macros render what the pages rely on."""

from __future__ import annotations

import pytest
from flask import render_template_string


@pytest.mark.parametrize(("percent", "width"), [(-5, 0), (0, 0), (37, 37), (100, 100),
                                                 (130, 100), ("12", 12)])
def test_a_progress_bar_fills_to_its_percent_kept_within_0_and_100(app, percent, width):
    with app.test_request_context("/login"):
        app.preprocess_request()
        html = render_template_string(
            '{% from "lms/_macros.html" import progress_bar %}{{ progress_bar(p, "进度") }}',
            p=percent)
    assert f'class="progress-fill pct-{width}"' in html
    assert f'aria-valuenow="{percent}"' in html and "进度" in html
