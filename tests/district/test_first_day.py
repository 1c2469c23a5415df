"""The README's first-day guide, end to end, with no seeder: an empty database becomes a working district with one
enrolled kiosk, a ticket filed at it, worked by a technician added that day, surveyed, and in the weekly report."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.domain import staff_accounts, surveys, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import Campus, Device, Room, StaffUser
from kiosk.domain.reports.base import district_tz
from kiosk.resources import resource_path
from kiosk.sync import signin, staff_secrets
from kiosk.sync.signin import SignedIn
from tests.sync.harness import ServerProcess

DATA = Path(__file__).parent / "data"


def kiosk(*args: str) -> str:
    out = io.StringIO()
    code = main(list(args), out)
    assert code == 0, (args, out.getvalue())
    return out.getvalue()


def test_first_day_from_an_empty_database_to_a_surveyed_ticket_in_the_weekly_report(
        any_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    central = any_url
    # 1. the district file, then Snipe-IT's locations and assets
    assert "50 changes" in kiosk("district", "apply", str(resource_path("district.example.toml")), "--url", central)
    assert kiosk("import", "locations", str(DATA / "snipeit-locations.csv"), "--url", central).startswith(
        "created 2 campuses, 5 rooms")
    out = kiosk("import", "devices", str(DATA / "snipeit-assets.csv"), "--create-locations", "--url", central)
    assert "created 2 campuses, 3 rooms" in out and "10 created" in out  # Hillcrest and Mesa Ridge: not in locations
    # 2. a technician who started today
    kiosk("staff", "add", "jdoe", "--first-name", "Jo", "--last-name", "Doe", "--badge", "B2001",
          "--email", "jdoe@riverside.example", "--url", central)
    pin = kiosk("staff", "reset-pin", "jdoe", "--url", central).splitlines()[0].rsplit(": ", 1)[1]
    db = Database(central)
    with db.unit() as ctx:
        s = ctx.session
        assert s.scalar(select(func.count()).select_from(Device)) == 10
        assert s.scalar(select(func.count()).select_from(Campus)) == 7
        assert s.scalar(select(func.count()).select_from(Room)) > 10
    # 3. the service, and one kiosk enrolled at Lincoln Elementary
    server = ServerProcess(central, log=tmp_path / "server.log").start(timeout=60)
    try:
        text = kiosk("server", "enroll", "--campus", "LE", "--db", central)
        code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", text)
        assert code is not None, text
        home = tmp_path / "kiosk-le"
        home.mkdir()
        monkeypatch.setenv("KIOSK_DATA_DIR", str(home))
        assert "enrolled as kiosk" in kiosk("enroll", "--server", server.url, "--name", "LE tech room",
                                            code.group(0))
        assert "pulled" in kiosk("sync")
        local = Database(f"sqlite:///{home / 'kiosk.sqlite3'}")
        # 4. a student files a ticket at the kiosk
        kiosk("ticket", "new", "--tag", "RUSD000101", "--category", "wont_turn_on",
              "--description", "Will not power on after charging", "--reporter", "S424242")
        kiosk("sync")
        with db.unit() as ctx:
            number = tickets.list_tickets(ctx.session, campus="LE", status="open")[0].number
        # 5. the new technician signs in at the kiosk with the reset PIN (the service checks it)
        who = signin.sign_in(local, pin, badge="B2001")
        assert isinstance(who, SignedIn) and who.via == "server", who
        with local.unit() as ctx:
            assert staff_accounts.must_change(ctx.session, who.staff_id) == (False, True)
        assert who.must_change == frozenset({"pin"})  # the service says so at sign-in: the kiosk forces it
        # ... and the technician chooses their own PIN there; the service holds it (POST /v1/staff/secret)
        assert staff_secrets.change_own_secret(local, who.staff_id, "pin", pin, "730519") == frozenset()
        again = signin.sign_in(local, "730519", badge="B2001")
        assert isinstance(again, SignedIn) and again.must_change == frozenset(), again
        tech = Actor(staff_id=who.staff_id, label="kiosk")
        with local.unit(tech) as ctx:
            tickets.assign(ctx, number, who.staff_id)
        with local.unit(tech) as ctx:
            tickets.change_status(ctx, number, "in_progress", note="Looking at it")
        with local.unit(tech) as ctx:
            tickets.change_status(ctx, number, "resolved", resolution="Replaced the charger; powers on")
        with local.unit(tech) as ctx:
            tickets.change_status(ctx, number, "closed")
        kiosk("sync")
        # 6. the student answers the survey at the kiosk
        with local.unit() as ctx:
            survey = surveys.pending_for(ctx.session, ctx.clock.now(), reporter="S424242")
            assert survey is not None
            survey_id = survey.id
        with local.unit() as ctx:
            surveys.submit_pending(ctx, survey_id, surveys.Answers(True, 5, 5, 4, 5, 5, "Quick, thanks"))
        kiosk("sync")
        local.dispose()
    finally:
        server.stop()
    # 7. the weekly report on the central database counts it
    with db.unit() as ctx:
        today = datetime.now(UTC).astimezone(district_tz(ctx.session)).date()
        user = ctx.session.scalars(select(StaffUser).where(StaffUser.username == "jdoe")).one()
        view = tickets.view(ctx.session, number)
        assert view.ticket.status.value == "closed" and view.ticket.assignee_id == user.id
    db.dispose()
    report = json.loads(kiosk("report", "weekly", "--from", today.isoformat(), "--to", today.isoformat(),
                              "--json", "--url", central))
    summary = report["pages"][0]
    assert summary["facts"]["closed"] == 1
    row = next(r for r in summary["tables"]["technicians"] if r["technician"] == "jdoe")
    assert (row["closed"], row["surveys"], row["average_rating"], row["solved_pct"]) == (1, 1, 5.0, 100.0)
