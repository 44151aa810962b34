"""LMS as a Flask extension inside a host app, and as a standalone app."""

from __future__ import annotations

import re
import shutil

import pytest
from flask import Flask
from flask_login import LoginManager
from sqlalchemy import inspect

from lms import LMS, HostUser, migrate
from tests.conftest import load_course_folder, sign_in
from tests.seed import SEED, correct_form, module_files, module_slug


def make_host(tmp_path, **init_kwargs) -> tuple[Flask, LMS]:
    host = Flask("host_app")
    host.config.update(SECRET_KEY="host-secret", TESTING=True,
                       LMS_DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}")

    @host.route("/")
    def host_home():
        return "host home page"

    lms = LMS()
    lms.init_app(host, url_prefix="/training", **init_kwargs)
    migrate.upgrade(host.extensions["lms"].engine)
    load_course_folder(host, SEED)
    return host, lms


def test_host_mounts_lms_under_a_prefix_and_a_trainee_completes_a_module(tmp_path):
    host, _ = make_host(tmp_path)
    client = host.test_client()
    assert client.get("/").get_data(as_text=True) == "host home page"
    runner = host.test_cli_runner()
    result = runner.invoke(args=["lms", "create-user", "wang", "--name", "王五",
                                 "--unit", "党委/支部", "--password-stdin"],
                           input="long-password\n")
    assert result.exit_code == 0, result.output
    assert sign_in(client, "wang", "long-password", prefix="/training").status_code == 302

    home = client.get("/training/")
    assert home.status_code == 200
    assert 'href="/training/courses/jiceng-dangjian"' in home.get_data(as_text=True)
    path = module_files()[0]
    slug = module_slug(path)
    assert client.get(f"/training/courses/jiceng-dangjian/modules/{slug}").status_code == 200
    from tests.conftest import submit_quiz

    quiz_url = f"/training/courses/jiceng-dangjian/modules/{slug}/quiz"
    result = submit_quiz(client, quiz_url, correct_form(path))
    assert result.status_code == 303
    assert result.location.startswith("/training/courses/jiceng-dangjian/modules/")
    course_page = client.get("/training/courses/jiceng-dangjian").get_data(as_text=True)
    assert "/training/assets/lms.css" in course_page
    assert 'aria-valuenow="11"' in course_page  # 1 of 9 required sections
    every_module = [f'href="/training/courses/jiceng-dangjian/modules/{module_slug(p)}"'
                    for p in module_files()]
    assert all(link in course_page for link in every_module)
    module_page = client.get(f"/training/courses/jiceng-dangjian/modules/{slug}")
    assert all(link in module_page.get_data(as_text=True) for link in every_module)  # outline
    host.extensions["lms"].engine.dispose()


def test_module_links_keep_what_the_hosts_url_defaults_add(tmp_path):
    """A host may add values to every URL it builds (here ``?lang=zh``)."""
    signed_in = {"user": HostUser(external_id="hr-7", username="hr7", display_name="钱七")}
    host, _ = make_host(tmp_path, user_loader=lambda: signed_in["user"])

    @host.url_defaults
    def _language(endpoint, values):
        values.setdefault("lang", "zh")

    client = host.test_client()
    course_page = client.get("/training/courses/jiceng-dangjian").get_data(as_text=True)
    for path in module_files():
        assert (f'href="/training/courses/jiceng-dangjian/modules/{module_slug(path)}?lang=zh"'
                in course_page), module_slug(path)
    host.extensions["lms"].engine.dispose()


def test_host_users_come_from_the_host_loader(tmp_path):
    signed_in: dict[str, HostUser | None] = {"user": None}
    host, lms = make_host(tmp_path, user_loader=lambda: signed_in["user"])
    host.config["LMS_LOGIN_URL"] = "/host-login"
    client = host.test_client()
    anonymous = client.get("/training/")
    assert anonymous.status_code == 302 and anonymous.location == "/host-login"

    signed_in["user"] = HostUser(external_id="hr-1001", username="hr1001", display_name="赵六",
                                 unit_path="集团党委/第三党支部")
    page = client.get("/training/")
    assert page.status_code == 200 and "赵六" in page.get_data(as_text=True)
    # The display name follows the host; the LMS row is reused, not duplicated.
    signed_in["user"] = HostUser(external_id="hr-1001", username="hr1001", display_name="赵六六")
    assert "赵六六" in client.get("/training/").get_data(as_text=True)
    from sqlalchemy import func, select

    from lms.models import User

    with host.app_context():
        session = host.extensions["lms"].session()
        assert session.scalar(select(func.count()).select_from(User)) == 1
    host.extensions["lms"].engine.dispose()


def test_host_with_its_own_flask_login_must_pass_a_user_loader(tmp_path):
    host = Flask("host_with_login")
    host.config.update(SECRET_KEY="x", LMS_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    LoginManager(host)
    with pytest.raises(RuntimeError, match="user_loader"):
        LMS(host)


def test_lms_touches_only_its_own_prefixed_tables(tmp_path):
    host, _ = make_host(tmp_path)
    engine = host.extensions["lms"].engine
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE host_orders (id INTEGER PRIMARY KEY)")
    migrate.upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert "host_orders" in tables
    assert all(t.startswith("lms_") for t in tables - {"host_orders"})
    assert "lms_alembic_version" in tables and "alembic_version" not in tables
    engine.dispose()


def test_init_app_twice_on_one_app_is_refused_and_two_apps_coexist(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, lms = make_host(tmp_path / "a")
    with pytest.raises(RuntimeError, match="already"):
        lms.init_app(first)
    second, _ = make_host(tmp_path / "b")
    assert first.extensions["lms"] is not second.extensions["lms"]
    assert first.extensions["lms"].question_types is not second.extensions["lms"].question_types
    for app in (first, second):
        assert app.test_client().get("/training/login").status_code == 200
        app.extensions["lms"].engine.dispose()


def test_standalone_app_keeps_its_database_and_key_in_the_instance_folder(tmp_path, monkeypatch):
    from lms import create_app

    monkeypatch.delenv("LMS_DATABASE_URL", raising=False)
    monkeypatch.delenv("LMS_SECRET_KEY", raising=False)
    app = create_app({"TESTING": True}, instance_path=str(tmp_path))
    assert app.config["LMS_DATABASE_URL"] == f"sqlite:///{tmp_path / 'lms.sqlite3'}"
    key = (tmp_path / "secret_key").read_text().strip()
    assert app.secret_key == key and len(key) == 64
    again = create_app({"TESTING": True}, instance_path=str(tmp_path))
    assert again.secret_key == key  # kept, not regenerated


def test_standalone_app_keeps_compiled_templates_for_the_next_start(tmp_path, monkeypatch):
    """A restarted worker loads the templates an earlier start compiled; no cache folder
    (it cannot be made, or goes away while the app runs) only costs the compiling, never a
    page."""
    from lms import create_app

    monkeypatch.setenv("LMS_DATABASE_URL", f"sqlite:///{tmp_path / 'lms.sqlite3'}")

    def login_page(app) -> str:  # without the per-session CSRF token
        page = app.test_client().get("/login").get_data(as_text=True)
        return re.sub(r'(content|value)="[\w.-]{40,}"', "", page)

    first = create_app({"TESTING": True}, instance_path=str(tmp_path / "instance"))
    page = login_page(first)
    assert "登录" in page
    cache = tmp_path / "instance" / "template-cache"
    assert list(cache.rglob("*.cache")), "the first start kept no compiled template"
    restarted = create_app({"TESTING": True}, instance_path=str(tmp_path / "instance"))
    compiled = restarted.jinja_env.compile
    monkeypatch.setattr(restarted.jinja_env, "compile", lambda *a, **k: pytest.fail(
        "a kept template was compiled again") or compiled(*a, **k))
    assert login_page(restarted) == page

    shutil.rmtree(cache)  # deleted under the running app: its next new template still renders
    missing = first.test_client().get("/no-such-page")
    assert missing.status_code == 404 and "404" in missing.get_data(as_text=True)

    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "template-cache").write_text("a file where the folder would go")
    unkept = create_app({"TESTING": True}, instance_path=str(blocked))
    assert login_page(unkept) == page


def test_settings_come_from_lms_environment_variables(tmp_path, monkeypatch):
    from lms import create_app

    monkeypatch.setenv("LMS_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("LMS_DEFAULT_LOCALE", "en")
    monkeypatch.setenv("LMS_SECRET_KEY", "from-the-environment")
    app = create_app({"TESTING": True}, instance_path=str(tmp_path))
    assert app.config["LMS_DATABASE_URL"].endswith("env.db")
    assert app.secret_key == "from-the-environment"
    page = app.test_client().get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    monkeypatch.setenv("LMS_DEFAULT_LOCALE", "fr")
    with pytest.raises(ValueError, match="LMS_DEFAULT_LOCALE"):
        create_app({"TESTING": True}, instance_path=str(tmp_path))
