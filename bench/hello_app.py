"""The ceiling of the throughput bench: a bare Flask "hello world" served like the LMS.

    gunicorn --workers 2 bench.hello_app:app

Each LMS figure is divided by this app's rate measured in the same run, so the ratio says
how much of the server's capacity the pages leave, whatever the machine.
"""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "Hello, World!"


@app.route("/healthz")
def healthz() -> dict:
    """What ``bench.load_servers.Gunicorn`` polls until the workers answer."""
    return {"status": "ok"}
