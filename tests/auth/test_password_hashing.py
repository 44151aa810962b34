"""Password hashes at OWASP's strength, replaced at sign-in when the method or parameters change.

The suite runs with a cheap method (``TEST_HASH_METHOD``); the first test checks the real
default, with the memory scrypt N=2**17 needs.
"""

from __future__ import annotations

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from lms import create_app
from lms.config import SETTINGS
from lms.models import User
from lms.services import accounts, passwords
from lms.unit_of_work import unit_of_work
from tests.conftest import TEST_HASH_METHOD, post_form, sign_in

OLD_METHODS = ["pbkdf2:sha256:260000", "scrypt:32768:8:1"]  # Werkzeug 2's and 3's defaults


def stored_hash(db, user: User) -> str:
    db.expire_all()
    return db.get(User, user.id).password_hash


def store_hash(app, user: User, hashed: str) -> None:
    """Give ``user`` a hash as an older release would have stored it."""
    with app.app_context():
        session = app.extensions["lms"].session()
        with unit_of_work(session):
            session.get(User, user.id).password_hash = hashed


def test_the_default_is_owasp_scrypt_and_fits_the_column():
    default = {setting.name: setting.default for setting in SETTINGS}["LMS_PASSWORD_HASH_METHOD"]
    assert default == passwords.OWASP_METHOD == "scrypt:131072:8:1"
    hashed = passwords.hash_password("correct-horse-1")  # no app: the default, 128 MiB
    assert hashed.startswith("scrypt:131072:8:1$")
    assert len(hashed) <= User.__table__.c.password_hash.type.length
    assert check_password_hash(hashed, "correct-horse-1")
    assert not check_password_hash(hashed, "correct-horse-2")


@pytest.mark.parametrize("old", OLD_METHODS)
def test_an_old_hash_signs_in_and_is_upgraded(app, client, make_user, db, old):
    user, password = make_user()
    store_hash(app, user, generate_password_hash(password, method=old))
    assert sign_in(client, user.username, password).status_code == 302
    upgraded = stored_hash(db, user)
    assert upgraded.startswith(TEST_HASH_METHOD + "$")
    post_form(client, "/logout", {}, token_from="/")
    assert sign_in(client, user.username, password).status_code == 302
    assert stored_hash(db, user) == upgraded  # already current: not hashed again
    post_form(client, "/logout", {}, token_from="/")
    assert sign_in(client, user.username, "not-the-password").status_code == 401


def test_raising_the_setting_upgrades_at_the_next_sign_in(app, client, make_user, db,
                                                          monkeypatch):
    user, password = make_user()
    monkeypatch.setitem(app.config, "LMS_PASSWORD_HASH_METHOD", "pbkdf2:sha256:5000")
    assert sign_in(client, user.username, password).status_code == 302
    assert stored_hash(db, user).startswith("pbkdf2:sha256:5000$")


def test_a_wrong_password_does_not_rehash(app, client, make_user, db):
    user, password = make_user()
    old = generate_password_hash(password, method=OLD_METHODS[0])
    store_hash(app, user, old)
    assert sign_in(client, user.username, "not-the-password").status_code == 401
    assert stored_hash(db, user) == old


def test_a_one_time_password_is_not_upgraded_until_it_is_replaced(app, client, make_user, db):
    user, _ = make_user()
    one_time = accounts.reset_password(db, None, db.get(User, user.id))
    first = stored_hash(db, user)
    assert first.startswith(passwords.ONE_TIME_HASH_METHOD + "$")
    assert sign_in(client, user.username, one_time).status_code == 302
    assert stored_hash(db, user) == first
    assert client.get("/").location == "/account"  # still must choose a password
    new = "a-brand-new-secret"
    changed = post_form(client, "/account", {"current_password": one_time, "new_password": new,
                                             "repeat_password": new})
    assert changed.status_code == 302
    assert stored_hash(db, user).startswith(TEST_HASH_METHOD + "$")


def test_a_password_changed_meanwhile_is_not_overwritten(app, make_user, db):
    """The upgrade is computed before the write; a change that lands first wins."""
    user, password = make_user()
    with app.app_context():
        accounts.set_password(db, None, db.get(User, user.id), "changed-meanwhile")
        changed = stored_hash(db, user)
        accounts._stamp_sign_in(db, db.get(User, user.id), "the hash checked before",
                                passwords.hash_password(password))
    assert stored_hash(db, user) == changed


def test_unknown_usernames_are_checked_against_a_hash_of_the_current_method(app, monkeypatch):
    with app.app_context():
        assert passwords.dummy_hash().startswith(TEST_HASH_METHOD + "$")
        monkeypatch.setitem(app.config, "LMS_PASSWORD_HASH_METHOD", "pbkdf2:sha256:5000")
        assert passwords.dummy_hash().startswith("pbkdf2:sha256:5000$")


@pytest.mark.parametrize("method", ["scrypt", "scrypt:100000:8:1", "argon2", "pbkdf2:md5:1000",
                                   "pbkdf2:sha256:0"])
def test_a_mistyped_method_stops_the_start(tmp_path, method):
    with pytest.raises(ValueError, match="scrypt|pbkdf2"):
        create_app({"TESTING": True, "SECRET_KEY": "x",
                    "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'lms.sqlite3'}",
                    "LMS_PASSWORD_HASH_METHOD": method})
