"""A walk-up email reporter: at one of the district's school domains, stored as the kind the domain or the person
says (the domain use-case the walk-up screen calls; its screens are in tests/ui/test_walkup_reporters.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.domain import desk_settings, walkup_report
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import Reporter, ReporterKind
from kiosk.domain.walkup_report import NotSchoolEmail, ReporterKindNeeded, WalkupReport, file_report
from kiosk.settings import KioskSettings, configure
from tests.repairdesk.conftest import Desk


def _file(desk: Desk, reporter: str, kind: str | None = None) -> str:
    with desk.db.unit() as ctx:
        return file_report(ctx, WalkupReport(category="screen", description="Cracked screen", reporter=reporter,
                                             tag="CB0001", reporter_kind=kind)).number


def _kind(desk: Desk, email: str) -> ReporterKind | None:
    with desk.db.read() as ctx:
        return ctx.session.scalars(select(Reporter.kind).where(Reporter.email == email)).one_or_none()


def test_the_district_rule_derives_the_kind_and_refuses_other_domains(desk: Desk) -> None:
    with desk.db.unit() as ctx:
        desk_settings.set_value(ctx, "reporter.email_domains", [
            {"domain": "rusd.example", "kind": "staff"}, {"domain": "students.rusd.example", "kind": "student"}])
    _file(desk, "kim@students.rusd.example")  # the longest matching domain wins
    _file(desk, "Lee@Rusd.Example")
    _file(desk, "pat@hs.rusd.example")  # a subdomain of a school domain is the school's
    assert _kind(desk, "kim@students.rusd.example") is ReporterKind.STUDENT
    assert _kind(desk, "lee@rusd.example") is ReporterKind.STAFF
    assert _kind(desk, "pat@hs.rusd.example") is ReporterKind.STAFF
    for outside in ("kid@gmail.com", "x@notrusd.example", "y@rusd.example.evil.com"):
        with pytest.raises(NotSchoolEmail, match="is not a school email"):
            _file(desk, outside)
        assert _kind(desk, outside) is None
    _file(desk, "204511")  # a school ID is a student, whatever the domains
    with desk.db.read() as ctx:
        assert ctx.session.scalars(select(Reporter.kind).where(Reporter.id_number == "204511")).one() \
            is ReporterKind.STUDENT


def test_without_a_kind_in_the_rule_the_person_is_asked_and_known_people_are_not(desk: Desk) -> None:
    with pytest.raises(ReporterKindNeeded):
        _file(desk, "new.person@anywhere.example")  # no domains at all: any domain, but who are they?
    assert _kind(desk, "new.person@anywhere.example") is None
    _file(desk, "new.person@anywhere.example", "teacher")
    assert _kind(desk, "new.person@anywhere.example") is ReporterKind.TEACHER
    _file(desk, "new.person@anywhere.example")  # known now: not asked again
    with pytest.raises(InvalidInput, match="student, teacher or staff"):
        _file(desk, "other@anywhere.example", "principal")


def test_kiosk_mail_domains_are_the_school_domains_when_the_district_sets_none(desk: Desk) -> None:
    configure(KioskSettings(mail_domains="rusd.example, students.rusd.example"))
    try:
        with pytest.raises(NotSchoolEmail, match="rusd.example"):
            _file(desk, "kid@gmail.com")
        with pytest.raises(ReporterKindNeeded):
            _file(desk, "kid@students.rusd.example")
        _file(desk, "kid@students.rusd.example", "student")
    finally:
        configure(None)
    assert walkup_report.KIND_QUESTION.startswith("are you a student or staff")


def test_a_bad_domain_rule_is_refused(desk: Desk) -> None:
    with desk.db.unit() as ctx:
        for bad in ([{"domain": "not a domain"}], [{"domain": "rusd.example", "kind": "parent"}], ["rusd.example"]):
            with pytest.raises(InvalidInput, match="reporter.email_domains"):
                desk_settings.set_value(ctx, "reporter.email_domains", bad)


def test_the_command_line_files_with_the_same_rule(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from kiosk.cli import main

    url = str(desk.db.url)

    def new(*extra: str) -> int:
        return main(["ticket", "new", "--url", url, "--tag", "CB0002", "--category", "screen", "--description",
                     "Cracked screen", *extra], out=io.StringIO())

    assert new("--reporter", "sam@anywhere.example") == 2
    assert "give --reporter-kind student, teacher or staff" in capsys.readouterr().err
    assert _kind(desk, "sam@anywhere.example") is None
    assert new("--reporter", "sam@anywhere.example", "--reporter-kind", "staff") == 0
    assert _kind(desk, "sam@anywhere.example") is ReporterKind.STAFF
    with desk.db.unit() as ctx:
        desk_settings.set_value(ctx, "reporter.email_domains", [{"domain": "students.rusd.example",
                                                                 "kind": "student"}])
    assert new("--reporter", "kim@students.rusd.example") == 0
    assert _kind(desk, "kim@students.rusd.example") is ReporterKind.STUDENT
    assert new("--reporter", "kid@gmail.com", "--reporter-kind", "student") == 2
    assert "is not a school email" in capsys.readouterr().err
