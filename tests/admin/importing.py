"""Upload, preview and confirm an import the way a browser does, for the import tests."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient
from openpyxl import Workbook

from tests.conftest import csrf_token

TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')
PASSWORDS_FORM = re.compile(r'action="(/admin/people/import/\d+/passwords)"')


def page(response) -> str:
    return response.get_data(as_text=True)


def csv_file(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join(",".join(row) for row in rows).encode(encoding)


def xlsx_file(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client: FlaskClient, url: str, data: bytes, filename: str = "名单.csv"):
    token = csrf_token(client, url)
    return client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def confirm_token(response) -> str:
    match = TOKEN.search(page(response))
    assert match, f"no confirm form (status {response.status_code}): {page(response)[:3000]}"
    return match.group(1)


def confirm(client: FlaskClient, url: str, token: str):
    return client.post(f"{url}/confirm", data={"csrf_token": csrf_token(client, url),
                                               "token": token})


def import_file(client: FlaskClient, url: str, data: bytes, filename: str = "名单.csv"):
    """Upload, check the preview is clean, confirm; return the result page's response."""
    preview = upload(client, url, data, filename)
    assert preview.status_code == 200, page(preview)
    done = confirm(client, url, confirm_token(preview))
    assert done.status_code == 303, page(done)
    return client.get(done.location)
