"""``flask lms set-password``: a chosen password from stdin, or a printed one-time password."""

from __future__ import annotations

from lms.models import User
from lms.services.accounts import authenticate


def test_a_password_from_stdin_is_set_and_need_not_be_changed(runner, make_user, db):
    user, old = make_user()
    result = runner.invoke(args=["lms", "set-password", user.username, "--password-stdin"],
                           input="chosen-by-the-operator\nignored second line\n")
    assert result.exit_code == 0, result.output
    assert "chosen-by-the-operator" not in result.output
    assert authenticate(db, user.username, old) is None
    changed = authenticate(db, user.username, "chosen-by-the-operator")
    assert changed is not None and changed.must_change_password is False


def test_without_stdin_a_one_time_password_is_printed_once(runner, make_user, db):
    user, old = make_user()
    result = runner.invoke(args=["lms", "set-password", user.username])
    assert result.exit_code == 0, result.output
    password = result.output.strip().rsplit("：", 1)[-1]
    assert "只显示这一次" in result.output and len(password) >= 8
    assert authenticate(db, user.username, old) is None
    assert authenticate(db, user.username, password).must_change_password is True


def test_unknown_users_and_short_passwords_are_usage_errors(runner, make_user, db):
    user, old = make_user()
    unknown = runner.invoke(args=["lms", "set-password", "nobody-at-all", "--password-stdin"],
                            input="long-enough-pass\n")
    assert unknown.exit_code == 2 and "nobody-at-all" in unknown.output
    short = runner.invoke(args=["lms", "set-password", user.username, "--password-stdin"],
                          input="1234567\n")
    assert short.exit_code == 2 and "密码至少需要 8 个字符" in short.output
    assert authenticate(db, user.username, old) is not None
    assert db.get(User, user.id).must_change_password is False
