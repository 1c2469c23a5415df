"""The repair desk in the district file: [desk] and [[damage_plans]] applied from the shipped example, idempotent,
export then apply is no change, a key or plan left out goes back to its default or is retired, bad values are
named with their line, and the triage uses the plan the file made."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.domain import desk_settings, district_file
from kiosk.domain.db import Actor, Database
from kiosk.domain.district_file import DistrictFileError
from kiosk.domain.models import DamagePlan, DeskSetting
from kiosk.resources import resource_path

EXAMPLE = resource_path("district.example.toml").read_text(encoding="utf-8")


def _apply(db: Database, text: str) -> list[str]:
    spec = district_file.read(text, "test.toml")
    with db.unit(Actor(label="test")) as ctx:
        return [str(c) for c in district_file.apply(ctx, spec)]


def _desk_part(changes: list[str]) -> list[str]:
    return [c for c in changes if "desk_setting" in c or "damage_plan" in c]


def test_the_examples_desk_and_plans_apply_once_and_export_back_unchanged(any_db: Database) -> None:
    first = _desk_part(_apply(any_db, EXAMPLE))
    assert "created desk_setting loaner.terms" in first and "created damage_plan Dell ADP 2024" in first
    assert _apply(any_db, EXAMPLE) == []  # idempotent
    with any_db.read() as ctx:
        s = ctx.session
        assert desk_settings.get(s, "school_year.start") == "07-01"
        policy = desk_settings.get(s, "damage.policy")
        assert [p["fee_cents"] for p in policy] == [0, 2500, None]  # TOML has no null: the key left out
        assert desk_settings.get(s, "reporter.email_domains")[1] == {"domain": "riverside.example"}
        plan = s.scalars(select(DamagePlan)).one()
        assert (plan.claims_per_year, plan.model, plan.purchase_order, plan.active) == (
            40, "Chromebook 3110", "PO-2024-118", True)
    with any_db.read() as ctx:
        exported = district_file.export(ctx)
    assert "[desk]" in exported and "[[damage_plans]]" in exported
    assert _apply(any_db, exported) == []  # export -> apply is a no-op
    with any_db.read() as ctx:
        assert district_file.export(ctx) == exported


def test_a_key_left_out_is_its_default_again_and_a_plan_left_out_is_retired(db: Database) -> None:
    _apply(db, EXAMPLE)
    fewer = EXAMPLE.replace('school_year_start = "07-01"\n', "").split("[[damage_plans]]")[0] + """
[[damage_plans]]
name = "HP care pack"
claims = 10
model = "HP 11 G9"
"""
    changes = _desk_part(_apply(db, fewer))
    assert sorted(changes) == ["created damage_plan HP care pack", "removed desk_setting school_year.start",
                               "retired damage_plan Dell ADP 2024"]
    with db.read() as ctx:
        s = ctx.session
        assert desk_settings.get(s, "school_year.start") == "08-01"
        assert s.scalars(select(DeskSetting).where(DeskSetting.key == "school_year.start")).first() is None
        assert {p.name: p.active for p in s.scalars(select(DamagePlan))} == {"Dell ADP 2024": False,
                                                                          "HP care pack": True}
    assert "enabled damage_plan Dell ADP 2024" in _desk_part(_apply(db, EXAMPLE))  # back, with its claims
    without_desk = EXAMPLE.split("[desk]")[0]
    assert _desk_part(_apply(db, without_desk)) == []  # sections left out: left alone


def test_bad_desk_values_and_plans_are_named_with_their_line_and_nothing_changes(db: Database) -> None:
    bad = EXAMPLE.replace("loaner_max_out = 1", "loaner_max_out = \"one\"").replace(
        "claims = 40", "claims = -1") + """
[[damage_plans]]
name = "No target"
claims = 3
"""
    bad = bad.replace("[desk]", "[desk]\nloaner_colour = \"red\"", 1)
    with pytest.raises(DistrictFileError) as err:
        district_file.read(bad, "bad.toml")
    text = str(err.value)
    assert "desk.loaner_max_out: loaner_max_out must be a int" in text
    assert "unknown key 'loaner_colour'" in text
    assert "damage_plans[1].claims: -1 is not a number of claims" in text
    assert "damage_plans[2]: a plan covers a model or a purchase_order" in text
    assert all(line.split(":")[1].strip().isdigit() for line in err.value.problems)  # each with its line
    with db.read() as ctx:
        assert ctx.session.scalars(select(DeskSetting)).first() is None
