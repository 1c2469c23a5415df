"""The district's asset-tag rule decides what counts as a tag: at the walk-up (USB scanner, camera, typed) and in
the technician screens. A district with its own tags (RUSD, seven digits, the last a Luhn check digit) has no
use for the product's permissive default, which takes a demo tag or a student's ID number for an asset tag."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.domain import devices, district, district_file, schema
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor, Database
from kiosk.domain.district_file import DistrictFileError
from kiosk.domain.models import Campus, Device, StaffUser
from kiosk.resources import resource_path
from kiosk.scan.tag_rule import district_rule, luhn_digit

RULE = ('tag_pattern = "^RUSD[0-9]{7}$"\ntag_prefix = "RUSD"\ntag_check_digit = "luhn"\n')
GOOD = "RUSD104233" + luhn_digit("104233")  # RUSD1042332
BAD_CHECK = GOOD[:-1] + str((int(GOOD[-1]) + 1) % 10)
DEMO_TAG = "DS104233"  # the demo district's tags
STUDENT_ID = "2047771"  # the barcode on a student's ID card


def _district_text() -> str:
    text = resource_path("district.example.toml").read_text(encoding="utf-8")
    return text.replace('tag_pattern = "^RUSD[0-9]{6}$"         # optional: the asset-tag rule, a regular expression\n',
                        RULE)


def _apply(db: Database, text: str) -> None:
    with db.unit(Actor(label="test")) as ctx:
        district_file.apply(ctx, district_file.read(text, "district.toml"))


def test_the_district_file_sets_the_rule_and_export_gives_it_back(db: Database) -> None:
    text = _district_text()
    assert RULE in text
    _apply(db, text)
    with db.unit() as ctx:
        facts = district.tag_rule_facts(ctx.session)
        exported = district_file.export(ctx)
    assert facts == district.TagRuleFacts("^RUSD[0-9]{7}$", ("RUSD",), "luhn")
    rule = district_rule(facts.pattern, facts.prefixes, facts.check_digit)
    assert rule.check(GOOD).accepted and rule.check(GOOD).tag == GOOD
    assert not rule.check(BAD_CHECK).accepted and "check digit" in rule.check(BAD_CHECK).reason
    assert not rule.check(DEMO_TAG).accepted
    assert not rule.check(STUDENT_ID).accepted
    assert rule.check("ROOM:4f1c").accepted and rule.check("ROOM:4f1c").tag is None  # room labels pass through
    assert 'tag_check_digit = "luhn"' in exported and 'tag_prefix = "RUSD"' in exported
    with db.unit(Actor(label="test")) as ctx:  # export -> apply: no change
        assert district_file.apply(ctx, district_file.read(exported, "exported.toml")) == []


def test_without_a_rule_the_products_default_holds(db: Database) -> None:
    with db.unit() as ctx:
        facts = district.tag_rule_facts(ctx.session)
    assert facts.default
    rule = district_rule(facts.pattern, facts.prefixes, facts.check_digit)
    assert rule.check(DEMO_TAG).accepted and rule.check(STUDENT_ID).accepted  # why a district sets its own


def test_a_bad_rule_in_the_file_is_refused_with_its_key(db: Database) -> None:
    text = _district_text().replace('tag_check_digit = "luhn"', 'tag_check_digit = "mod11"').replace(
        'tag_prefix = "RUSD"', 'tag_prefix = ["RUSD", "rusd two"]')
    with pytest.raises(DistrictFileError) as err:
        district_file.read(text, "d.toml")
    problems = "\n".join(err.value.problems)
    assert "tag_check_digit" in problems and "mod11" in problems
    assert "tag_prefix" in problems and "rusd two" in problems


# --- on the kiosk ---------------------------------------------------------------------------------------------

@dataclass
class DistrictKiosk:
    window: object
    flow: object
    qtbot: QtBot

    def idle(self) -> None:
        self.qtbot.waitUntil(lambda: self.flow.runner.pending == 0, timeout=5000)  # type: ignore[attr-defined]


@pytest.fixture
def district_kiosk(qtbot: QtBot, sqlite_url: str, clock: FakeClock) -> Iterator[DistrictKiosk]:
    from PySide6.QtWidgets import QApplication

    from kiosk.settings import KioskPrefs
    from kiosk.ui.app import KioskOptions, build

    db = Database(sqlite_url, clock=clock)
    schema.upgrade(db.engine)
    _apply(db, _district_text())  # no seed: a real district's file
    with db.unit(Actor(label="test")) as ctx:
        devices.register(ctx, GOOD, category="laptop", campus="RHS")
        campus_id = ctx.session.scalars(select(Campus.id).where(Campus.code == "RHS")).one()
    KioskPrefs(campus_id=str(campus_id)).save("kiosk-tags.json")
    window, flow = build(KioskOptions(url=sqlite_url, windowed=True, camera=None, config_name="kiosk-tags.json"),
                         clock=clock)
    qtbot.addWidget(window)
    window.present()
    with qtbot.waitSignal(flow.ready, timeout=10_000):
        flow.start()
    k = DistrictKiosk(window, flow, qtbot)
    k.idle()
    yield k
    flow.runner.wait()
    window.unlock()
    app = QApplication.instance()
    for f in (flow.wedge, flow.idle, flow.lockdown):
        app.removeEventFilter(f)  # type: ignore[union-attr]
    flow.db.dispose()
    db.dispose()


def test_the_walk_up_takes_the_districts_tags_and_nothing_else(district_kiosk: DistrictKiosk) -> None:
    k = district_kiosk
    flow, window = k.flow, k.window
    k.qtbot.waitUntil(lambda: flow.tag_rule.check_digit == "luhn", timeout=5000)  # type: ignore[attr-defined]
    for not_a_tag in (DEMO_TAG, STUDENT_ID, BAD_CHECK):  # the USB scanner
        flow.on_wedge(not_a_tag)  # type: ignore[attr-defined]
        k.idle()
        assert window.current is flow.home  # type: ignore[attr-defined]
        assert not_a_tag in flow.home.scan_message.text()  # type: ignore[attr-defined]
    flow.show(flow.type_tag)  # type: ignore[attr-defined]
    flow.on_tag(DEMO_TAG, source="typed")  # type: ignore[attr-defined]
    k.idle()
    assert window.current is flow.type_tag  # type: ignore[attr-defined]
    assert "not one of this district's asset tags" in flow.type_tag.error_label.text()  # type: ignore[attr-defined]
    flow.go_home()  # type: ignore[attr-defined]
    k.idle()
    flow.on_wedge(GOOD)  # type: ignore[attr-defined]
    k.qtbot.waitUntil(lambda: window.current is flow.card, timeout=5000)  # type: ignore[attr-defined]


def test_the_camera_reads_with_the_districts_rule(district_kiosk: DistrictKiosk) -> None:
    from kiosk.ui.app import make_scan_adapter
    from tests.ui.conftest import FakeCamera

    k = district_kiosk
    k.qtbot.waitUntil(lambda: k.flow.tag_rule.check_digit == "luhn", timeout=5000)  # type: ignore[attr-defined]
    adapter = make_scan_adapter(FakeCamera, k.flow)  # type: ignore[arg-type]
    scanner = adapter._scanner_factory()  # what the decode thread builds when the camera starts
    rule = scanner.pipeline.rule
    assert rule.check(GOOD).accepted and not rule.check(DEMO_TAG).accepted and not rule.check(STUDENT_ID).accepted


def test_a_technician_cannot_register_a_tag_outside_the_rule(district_kiosk: DistrictKiosk) -> None:
    k = district_kiosk
    tech = k.flow.tech  # type: ignore[attr-defined]
    k.qtbot.waitUntil(lambda: tech.tag_rule is not None and tech.tag_rule.check_digit == "luhn", timeout=5000)
    with k.flow.db.unit() as ctx:  # type: ignore[attr-defined]
        campus_id = ctx.session.scalars(select(Campus.id).where(Campus.code == "RHS")).one()
        tech_id = ctx.session.scalars(select(StaffUser.id).where(StaffUser.username == "mlopez")).one()
    tech.staff_id, tech.campus_id = tech_id, campus_id  # mlopez signed in at RHS
    tech._start_register(DEMO_TAG)
    tech.register_device({"tag": DEMO_TAG, "category": "laptop"})
    k.idle()
    assert k.window.current is tech.register  # type: ignore[attr-defined]
    assert DEMO_TAG in tech.register.error_label.text()
    with k.flow.db.unit() as ctx:  # type: ignore[attr-defined]
        assert ctx.session.scalars(select(Device.asset_tag)).all() == [GOOD]
    tech.register_device({"tag": "RUSD5550009", "category": "laptop"})  # 555000 + its Luhn digit 9
    k.idle()
    k.qtbot.waitUntil(lambda: k.window.current is tech.device, timeout=5000)  # type: ignore[attr-defined]
