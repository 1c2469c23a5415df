"""Report truth for costs typed by people: repairs logged with costs on the ticket's repair form and with
`kiosk repair add` (free text with a cost, catalogue parts by code) give the inventory report's repair-cost
totals and the device record's total exactly the sums entered, and the independent recomputation
(tests/reports/recompute.py, from the raw tables) agrees. The CLI goes through the screen's use-cases: a
catalogue part comes out of stock, a resolution code is checked against the district's list."""

from __future__ import annotations

import io
import json
from typing import Any

from sqlalchemy import select

from kiosk import cli
from kiosk.domain import devices, parts, tickets
from kiosk.domain.models import OPEN_STATUSES, Device, RepairLog, Ticket, TicketStatus
from kiosk.domain.reports import generate
from tests.reports import recompute as rc
from tests.reports import recompute_desk as rd
from tests.reports.test_recompute import Check, desk, report_figures

from .conftest import Kiosk
from .test_technician import sign_in


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out=out), out.getvalue()


def _model_cost(k: Kiosk, model_key: str) -> float:
    with k.db.read() as ctx:
        report = generate(ctx.session, "inventory", now=ctx.clock.now())
        data = json.loads(json.dumps(report.as_dict(), default=str))
    figures = rc.flatten(data, {"by_campus": ["campus", "category"], "by_age": ["age"],
                                "by_model": ["manufacturer", "model", "category"], "costly": ["tag"]})
    return float(figures[f"summary.by_model[{model_key}].repair_parts_cost"])


def _facts(k: Kiosk, tag: str) -> tuple[int, str, int]:
    with k.db.read() as ctx:
        d = ctx.session.scalars(select(Device).where(Device.asset_tag == tag)).one()
        key = f"{d.manufacturer}|{d.model}|{d.category.value}"
        return devices.history(ctx.session, tag).parts_cost_cents, key, parts.stock_of(
            ctx.session, parts.get_part(ctx.session, "KB-3110").id, d.campus_id)


def test_costs_typed_on_the_form_and_the_cli_are_the_report_and_device_totals(kiosk: Kiosk, sqlite_url: str,
                                                                              capsys: Any) -> None:
    k = kiosk
    tag = k.tag_with_open_ticket
    with k.db.unit() as ctx:
        parts.add_part(ctx, code="KB-3110", name="Keyboard 3110", unit_cost_cents=3200, reorder_level=1)
        parts.receive(ctx, "KB-3110", 6, campus=k.flow.campus_id)
        number = ctx.session.scalars(select(Ticket.number).join(Device, Device.id == Ticket.device_id).where(
            Device.asset_tag == tag, Ticket.status.in_(OPEN_STATUSES))).first()
    assert number is not None
    device_before, model_key, stock_before = _facts(k, tag)
    model_before = _model_cost(k, model_key)

    sign_in(k, "mlopez")  # on screen: the ticket's repair form
    tech = k.flow.tech
    tech.open_ticket(number)
    k.wait_for(tech.ticket)
    for action, parts_text, cost in (("Replaced the hinge", "Hinge screws", "12.50"),
                                     ("Replaced the keyboard", "KB-3110 x2", "")):
        tech.ticket.repair_action.setText(action)
        tech.ticket.repair_parts.setText(parts_text)
        tech.ticket.repair_cost.setText(cost)
        tech.ticket.repair_minutes.setValue(15)
        tech.ticket._repair()
        k.qtbot.waitUntil(lambda: k.flow.runner.pending == 0)

    url = ["--url", sqlite_url, "--as", "mlopez"]
    code, text = _run("repair", "add", "--ticket", number, "--action", "Cleaned the fan", "--parts",
                      "Thermal paste", "--minutes", "5", "--cost", "3.25", *url)
    assert code == 0, capsys.readouterr().err
    code, text = _run("repair", "add", "--ticket", number, "--action", "Second keyboard", "--part", "KB-3110:1",
                      "--minutes", "10", *url, "--json")
    assert code == 0, capsys.readouterr().err
    logged = json.loads(text)
    assert logged["parts_cost_cents"] == 3200 and logged["part"]["code"] == "KB-3110"
    code, _ = _run("repair", "add", "--ticket", number, "--action", "Same as the form", "--parts", "KB-3110",
                   "--minutes", "5", *url)  # a catalogue code typed as free text: from stock, as on the form
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    for bad, says in ((["--part", "NOPE-1"], "no part NOPE-1 in the catalogue"),
                      (["--part", "KB-3110:0"], "quantity from 1 to 100"),
                      (["--part", "KB-3110", "--cost", "5"], "leave the cost out")):
        code, _ = _run("repair", "add", "--ticket", number, "--action", "Refused", "--minutes", "5", *bad, *url)
        assert code == 2 and says in capsys.readouterr().err, bad

    code, _ = _run("ticket", "resolve", number, "Keyboard replaced", "--resolution", "magic", *url)
    assert code == 2 and "unknown resolution code 'magic'; one of: repaired_on_site" in capsys.readouterr().err
    with k.db.read() as ctx:
        assert tickets.get_ticket(ctx.session, number).status is not TicketStatus.RESOLVED
    code, text = _run("ticket", "resolve", number, "Keyboard replaced", "--resolution", "part_replaced", *url)
    assert code == 0 and "resolved (part_replaced)" in text

    entered = 1250 + 2 * 3200 + 325 + 3200 + 3200  # form: 12.50, 2 x 32.00; CLI: 3.25, 32.00, 32.00
    device_after, _, stock_after = _facts(k, tag)
    assert device_after - device_before == entered
    assert round((_model_cost(k, model_key) - model_before) * 100) == entered
    assert stock_before - stock_after == 4  # 2 on the form, 1 with --part, 1 typed as a code
    with k.db.read() as ctx:
        t = tickets.get_ticket(ctx.session, number)
        assert t.status is TicketStatus.RESOLVED and t.resolution_code == "part_replaced"
        logs = list(ctx.session.scalars(select(RepairLog).where(RepairLog.ticket_id == t.id,
                                                                RepairLog.parts.is_not(None))))
        assert sorted(r.parts_cost_cents or 0 for r in logs if r.parts in (
            "Hinge screws", "KB-3110 Keyboard 3110 x2", "Thermal paste", "KB-3110 Keyboard 3110")) == \
            sorted([1250, 6400, 325, 3200, 3200])
        raw = rc.Raw.load(ctx.session)
        now = ctx.clock.now()
    check = Check()  # the independent recomputation of the whole inventory report, from the raw tables
    got, _ = report_figures(k.db, "inventory", now)
    check.compare("inventory", got, {**rc.expected_inventory(raw, now.astimezone(raw.tz).date()),
                                     **desk(k.db, rd.expected_inventory, now)})
    assert check.mismatches == [] and check.compared > 20
