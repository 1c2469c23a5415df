"""Staff accounts from the command line: add, reset a PIN, sign in with it, disable a leaver, unlock, import a roster."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.cli import main
from kiosk.domain import auth, staff_accounts
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import AuditLogEntry, StaffUser
from kiosk.resources import resource_path


@pytest.fixture
def district(db: Database) -> Database:
    assert main(["district", "apply", str(resource_path("district.example.toml")), "--url", db.url]) == 0
    return db


def _secret_from(out: str, what: str) -> str:
    line = next(x for x in out.splitlines() if f"temporary {what}:" in x)
    return line.rsplit(": ", 1)[1].strip()


def test_a_new_technician_gets_a_temporary_pin_signs_in_and_must_change_it(
        district: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url = district.url
    capsys.readouterr()
    assert main(["staff", "add", "jdoe", "--first-name", "Jo", "--last-name", "Doe", "--badge", "B2001",
                 "--url", url]) == 0
    assert main(["staff", "reset-pin", "jdoe", "--url", url]) == 0
    out = capsys.readouterr().out
    pin = _secret_from(out, "PIN")
    assert pin.isdigit() and len(pin) >= 6
    with district.unit() as ctx:
        user = ctx.session.scalars(select(StaffUser).where(StaffUser.username == "jdoe")).one()
        assert user.pin_hash and user.pin_hash.startswith("$argon2id$") and pin not in user.pin_hash
        assert user.pin_temporary
        result = auth.sign_in_badge(ctx, "B2001", pin)
        assert result.ok
        assert staff_accounts.must_change(ctx.session, user.id) == (False, True)
        staff_id = user.id
    with district.unit(Actor(staff_id=staff_id)) as ctx:
        with pytest.raises(InvalidInput, match="at least 6|6 to 12"):
            staff_accounts.change_own_pin(ctx, staff_id, pin, "1234")
        with pytest.raises(InvalidInput, match="too easy"):
            staff_accounts.change_own_pin(ctx, staff_id, pin, "123456")
    with district.unit(Actor(staff_id=staff_id)) as ctx:
        staff_accounts.change_own_pin(ctx, staff_id, pin, "480716")
    with district.unit() as ctx:
        assert staff_accounts.must_change(ctx.session, staff_id) == (False, False)
        assert auth.sign_in_badge(ctx, "B2001", "480716").ok
        # the secret is in no audit entry
        details = [str(e.detail) for e in ctx.session.scalars(select(AuditLogEntry))]
    assert not any(pin in d or "480716" in d for d in details)


def test_a_reset_from_standard_input_is_never_printed(district: Database, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(["staff", "reset-password", "mlopez", "--stdin", "--url", district.url]) == 0
    out = capsys.readouterr().out
    assert "correct horse" not in out and "must be changed" in out
    with district.unit() as ctx:
        assert auth.sign_in(ctx, "mlopez", "correct horse battery").ok
    monkeypatch.setattr("sys.stdin", io.StringIO("12345\n"))
    assert main(["staff", "reset-pin", "mlopez", "--stdin", "--url", district.url]) == 2
    assert "6 to 12 digits" in capsys.readouterr().err


def test_a_leaver_is_disabled_cannot_sign_in_and_keeps_their_history(
        district: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url = district.url
    assert main(["staff", "reset-pin", "dchen", "--url", url]) == 0
    pin = _secret_from(capsys.readouterr().out, "PIN")
    assert main(["staff", "disable", "dchen", "--url", url]) == 0
    with district.unit() as ctx:
        assert not auth.sign_in_badge(ctx, "B1002", pin).ok
    capsys.readouterr()
    assert main(["staff", "list", "--url", url]) == 0
    assert "dchen" not in capsys.readouterr().out
    assert main(["staff", "list", "--all", "--url", url]) == 0
    assert "disabled" in next(x for x in capsys.readouterr().out.splitlines() if x.startswith("dchen"))
    assert main(["staff", "enable", "dchen", "--url", url]) == 0
    with district.unit() as ctx:
        assert auth.sign_in_badge(ctx, "B1002", pin).ok


def test_the_last_admin_cannot_be_disabled_or_demoted(district: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["staff", "disable", "itadmin", "--url", district.url]) == 2
    assert "last active admin" in capsys.readouterr().err
    assert main(["staff", "set-role", "itadmin", "technician", "--url", district.url]) == 2
    assert main(["staff", "set-role", "mlopez", "admin", "--url", district.url]) == 0
    assert main(["staff", "set-role", "itadmin", "technician", "--url", district.url]) == 0


def test_an_admin_unlocks_a_locked_out_account(tmp_path: object, sqlite_url: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    clock = FakeClock()
    db = Database(sqlite_url, clock=clock)
    from kiosk.domain import schema

    schema.upgrade(db.engine)
    assert main(["district", "apply", str(resource_path("district.example.toml")), "--url", sqlite_url]) == 0
    with db.unit() as ctx:
        staff_accounts.reset_pin(ctx, "mlopez", "480716")
    with db.unit() as ctx:
        for _ in range(auth.MAX_FAILURES):
            auth.sign_in_badge(ctx, "B1001", "000000")
    with db.unit() as ctx:
        refused = auth.sign_in_badge(ctx, "B1001", "480716")
        assert not refused.ok and refused.locked_until is not None
    clock.advance(timedelta(seconds=1))
    with db.unit() as ctx:
        assert staff_accounts.unlock(ctx, "mlopez") is True
    clock.advance(timedelta(seconds=1))
    with db.unit() as ctx:
        assert auth.sign_in_badge(ctx, "B1001", "480716").ok
    db.dispose()


def test_a_roster_import_adds_and_updates_and_refuses_a_bad_file_whole(
        district: Database, tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    roster = Path(str(tmp_path)) / "roster.csv"
    roster.write_text("username,first_name,last_name,email,role,badge\n"
                      "akim,Alex,Kim,akim@riverside.example,technician,B3001\n"
                      "mlopez,Maria,Lopez-Garcia,mlopez@riverside.example,technician,B1001\n", encoding="utf-8")
    assert main(["staff", "import", str(roster), "--url", district.url]) == 0
    out = capsys.readouterr().out
    assert "created staff akim" in out and "changed staff mlopez: last_name" in out
    assert main(["staff", "import", str(roster), "--url", district.url]) == 0
    assert "no changes" in capsys.readouterr().out
    roster.write_text("username,first_name,last_name,role,badge\n"
                      "bkim,Bo,Kim,technician,B3009\n"
                      "ckim,Cy,Kim,wizard,\n"
                      "dkim,Di,Kim,technician,B1002\n", encoding="utf-8")
    assert main(["staff", "import", str(roster), "--url", district.url]) == 2
    err = capsys.readouterr().err
    assert "roster.csv:3: 'wizard' is not a role" in err and "roster.csv:4: badge 'B1002' already belongs to dchen" \
        in err
    with district.unit() as ctx:
        assert ctx.session.scalars(select(StaffUser).where(StaffUser.username == "bkim")).first() is None
