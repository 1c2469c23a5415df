"""The repair desk's sections of the district file: ``[desk]`` (the repair-desk settings) and ``[[damage_plans]]``.

``kiosk/domain/district_file.py`` reads, applies and exports the rest of the file and calls these three
functions, so the repair desk's rules stay beside its settings (``desk_settings.SETTINGS``):

* ``[desk]``: one key per setting, its dots written as underscores (``loaner.self_service`` is
  ``loaner_self_service``). A key left out goes back to its default; ``[desk]`` left out leaves the settings
  alone. TOML has no null, so a damage-policy step without a fixed fee leaves ``fee_cents`` out.
* ``[[damage_plans]]``: the whole list of accidental-damage plans (``name``, ``claims`` per school year, and a
  ``model`` and/or ``purchase_order``). A plan missing from the list is retired (inactive), never deleted: the
  claims already counted against it stay. Left out: plans are left alone.

Applying twice changes nothing the second time, and ``export`` then ``apply`` is no change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from kiosk.domain import audit_log, desk_settings, triage
from kiosk.domain.db import Ctx
from kiosk.domain.district_admin import Change, fold
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import DamagePlan, DeskSetting

DESK_KEYS: dict[str, str] = {key.replace(".", "_"): key for key in desk_settings.SETTINGS}
PLAN_KEYS = ("name", "claims", "model", "purchase_order")


@dataclass(frozen=True)
class PlanSpec:
    name: str
    claims: int
    model: str | None
    purchase_order: str | None


def _from_toml(key: str, value: Any) -> Any:
    """A value as TOML gives it, in the setting's stored form (a policy step without ``fee_cents``: no fee)."""
    if key == "damage.policy" and isinstance(value, list):
        return [{**p, "fee_cents": p.get("fee_cents")} if isinstance(p, dict) else p for p in value]
    return value


def _to_toml(key: str, value: Any) -> Any:
    if key == "damage.policy":
        return [{k: v for k, v in p.items() if v is not None} for p in value]
    if key == "reporter.email_domains":
        return [{k: v for k, v in d.items() if v is not None} for d in value]
    return value


def read_sections(data: dict[str, Any], r: Any, spec: Any) -> None:
    """Check ``[desk]`` and ``[[damage_plans]]`` into ``spec.desk`` / ``spec.damage_plans`` (problems on ``r``)."""
    if "desk" in data:
        d = data["desk"]
        spec.desk = {}
        if not isinstance(d, dict):
            r.problem(r.where("desk"), "expected a [desk] table")
        else:
            r.known_keys("desk", None, d, tuple(DESK_KEYS))
            for toml_key, key in DESK_KEYS.items():
                if toml_key not in d:
                    continue
                setting = desk_settings.SETTINGS[key]
                try:
                    spec.desk[key] = desk_settings.check_value(setting, _from_toml(key, d[toml_key]))
                except InvalidInput as exc:
                    r.problem(r.where("desk", None, toml_key), str(exc).replace(key, toml_key, 1))
    if "damage_plans" in data:
        items = data["damage_plans"]
        spec.damage_plans = []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            r.problem(r.where("damage_plans"), "expected [[damage_plans]] tables")
            return
        seen: set[str] = set()
        for i, obj in enumerate(items):
            r.known_keys("damage_plans", i, obj, PLAN_KEYS)
            name = r.value("damage_plans", i, obj, "name", _plan_text(100))
            claims = r.value("damage_plans", i, obj, "claims", _claims)
            model = r.value("damage_plans", i, obj, "model", _plan_text(96), required=False)
            po = r.value("damage_plans", i, obj, "purchase_order", _plan_text(64), required=False)
            if name is None or claims is None:
                continue
            if not model and not po:
                r.problem(r.where("damage_plans", i), "a plan covers a model or a purchase_order: give one")
                continue
            if fold(name) in seen:
                r.problem(r.where("damage_plans", i, "name"), f"{name!r} is listed twice")
                continue
            seen.add(fold(name))
            spec.damage_plans.append(PlanSpec(name, claims, model, po))


def _plan_text(max_len: int) -> Callable[[Any], str]:
    def convert(v: Any) -> str:
        if not isinstance(v, str) or not v.strip():
            raise InvalidInput(f"{v!r} is not a text value")
        s = " ".join(v.split())
        if len(s) > max_len:
            raise InvalidInput(f"too long ({len(s)} of at most {max_len} characters)")
        return s
    return convert


def _claims(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 100_000:
        raise InvalidInput(f"{v!r} is not a number of claims from 0 to 100000")
    return v


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def apply_sections(ctx: Ctx, spec: Any, add_change: Callable[[Change | None], None]) -> None:
    """Bring the repair-desk settings and damage plans to what the file says (only what differs is written);
    each change is in the audit log as the district file's changes are (``district.<entity>_<verb>``)."""
    s = ctx.session

    def add(change: Change) -> None:
        audit_log.record(ctx, f"district.{change.entity}_{change.verb}", change.entity, None, name=change.name)
        add_change(change)

    wanted: dict[str, Any] | None = getattr(spec, "desk", None)
    if wanted is not None:
        rows = {row.key: row for row in s.scalars(select(DeskSetting))}
        for key in desk_settings.SETTINGS:
            row = rows.get(key)
            if key in wanted:
                if row is None or not _same(row.value, wanted[key]):
                    desk_settings.set_value(ctx, key, wanted[key])
                    add(Change("changed" if row is not None else "created", "desk_setting", key))
            elif row is not None:  # left out of [desk]: back to the default
                desk_settings.reset(ctx, key)
                add(Change("removed", "desk_setting", key))
    plans: list[PlanSpec] | None = getattr(spec, "damage_plans", None)
    if plans is not None:
        existing = {fold(p.name): p for p in s.scalars(select(DamagePlan))}
        for ps in plans:
            plan_row = existing.get(fold(ps.name))
            if plan_row is not None and plan_row.active and (plan_row.name, plan_row.claims_per_year, plan_row.model, plan_row.purchase_order) \
                    == (ps.name, ps.claims, ps.model, ps.purchase_order):
                continue
            plan = triage.add_plan(ctx, name=ps.name, claims_per_year=ps.claims, model=ps.model,
                                   purchase_order=ps.purchase_order)
            if plan_row is not None and not plan_row.active:
                plan.active = True
                add(Change("enabled", "damage_plan", ps.name))
            else:
                add(Change("created" if plan_row is None else "changed", "damage_plan", ps.name))
        listed = {fold(p.name) for p in plans}
        for key, plan_row in sorted(existing.items()):
            if key not in listed and plan_row.active:
                triage.retire_plan(ctx, plan_row)
                add(Change("retired", "damage_plan", plan_row.name))


def export_sections(ctx: Ctx, out: list[str], table: Callable[[list[str], str, dict[str, Any]], None],
                    toml: Callable[[Any], str]) -> None:
    """Append ``[desk]`` (the settings the district has set) and ``[[damage_plans]]`` (the active plans)."""
    s = ctx.session
    rows = {row.key: row for row in s.scalars(select(DeskSetting))}
    values = {toml_key: desk_settings.get(s, key) for toml_key, key in DESK_KEYS.items() if key in rows}
    if values:
        out.append("")
        out.append("[desk]")
        for toml_key, value in values.items():
            out.append(f"{toml_key} = {_inline(_to_toml(DESK_KEYS[toml_key], value), toml)}")
    for p in s.scalars(select(DamagePlan).where(DamagePlan.active).order_by(DamagePlan.name)):
        table(out, "[[damage_plans]]", {"name": p.name, "claims": p.claims_per_year, "model": p.model,
                                        "purchase_order": p.purchase_order})


def _inline(value: Any, toml: Callable[[Any], str]) -> str:
    """A TOML value, with inline tables for the list-of-tables settings."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_inline(v, toml)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v, toml) for v in value) + "]"
    return toml(value)
