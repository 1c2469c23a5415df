"""One typed settings object per process: read once from KIOSK_* variables, a bad value named at once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kiosk import settings
from kiosk.domain import mail, surveys


def test_the_settings_come_from_the_environment_once_and_again_only_when_it_changes(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KIOSK_SURVEY_DAYS", "3")
    monkeypatch.setenv("KIOSK_PUBLIC_URL", "https://it.district.example/")
    first = settings.current()
    assert settings.current() is first  # one object while nothing changes
    assert surveys.survey_ttl() == timedelta(days=3)
    assert surveys.public_base_url() == "https://it.district.example"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "elsewhere"))
    assert settings.data_dir() == tmp_path / "elsewhere" and settings.current() is not first


def test_a_bad_value_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_SURVEY_DAYS", "soon")
    with pytest.raises(settings.SettingsError, match="KIOSK_SURVEY_DAYS"):
        settings.current()
    monkeypatch.setenv("KIOSK_SURVEY_DAYS", "14")
    monkeypatch.setenv("KIOSK_LOG_LEVEL", "chatty")
    with pytest.raises(settings.SettingsError, match="KIOSK_LOG_LEVEL"):
        settings.current()


def test_the_cli_says_which_setting_is_wrong(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    monkeypatch.setenv("KIOSK_SMTP_PORT", "five-eight-seven")
    assert main(["mail", "send"]) == 2
    assert "KIOSK_SMTP_PORT" in capsys.readouterr().err


def test_smtp_settings_from_the_process_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_SMTP_HOST", "smtp.district.example")
    monkeypatch.setenv("KIOSK_SMTP_SECURITY", "SSL")
    monkeypatch.setenv("KIOSK_SMTP_VERIFY", "0")
    s = mail.SmtpSettings.from_env()
    assert (s.host, s.port, s.security, s.verify_tls) == ("smtp.district.example", 465, "ssl", False)


def test_the_domain_reads_no_environment_variable() -> None:
    import kiosk.domain

    root = Path(kiosk.domain.__file__).parent
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "os.environ" in p.read_text(encoding="utf-8") or "getenv(" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_the_server_and_its_jobs_read_the_same_settings_object(monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.server import jobs

    monkeypatch.setenv("KIOSK_SERVER_THREADS", "12")
    monkeypatch.setenv("KIOSK_SERVER_WORKERS", "")  # empty: the default
    monkeypatch.setenv("KIOSK_JOBS_MAIL_SECONDS", "5")
    monkeypatch.setenv("KIOSK_JOBS_PRUNE_SECONDS", "0")
    k = settings.current()
    assert (k.server_threads, k.server_workers, k.jobs) == (12, 1, True)
    got = jobs.JobSettings.from_env()
    assert got.enabled and got.intervals == {"escalate": 300, "mail": 5, "prune": 0, "auto_close": 900}
    monkeypatch.setenv("KIOSK_JOBS", "off")
    assert not jobs.JobSettings.from_env().enabled


@pytest.mark.parametrize(("var", "value"), [("KIOSK_SERVER_THREADS", "eight"), ("KIOSK_SERVER_WORKERS", "0"),
                                            ("KIOSK_JOBS_ESCALATE_SECONDS", "soon"),
                                            ("KIOSK_JOBS_MAIL_SECONDS", "-5"), ("KIOSK_JOBS", "maybe")])
def test_a_bad_server_or_job_setting_stops_kiosk_server_naming_it(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], var: str, value: str) -> None:
    from kiosk.cli import main

    monkeypatch.setenv(var, value)
    assert main(["server", "--url", "sqlite:///:memory:"]) == 2  # before any database or port is opened
    assert var in capsys.readouterr().err


# The only environment reads outside kiosk/settings.py: the display variables Qt itself reads (is there a screen
# to open the kiosk window on?). Writes stay where `kiosk server` hands its settings to its worker processes.
ALLOWED_READS = {"kiosk/cli_ui.py": {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}}


def test_nothing_outside_the_settings_reads_the_environment() -> None:
    import re

    import kiosk

    root = Path(kiosk.__file__).parent.parent
    reads = re.compile(r"os\.environ\.get\(\s*\"?(\w+)\"?|os\.getenv\(\s*\"(\w+)\"|os\.environ\[\s*\"(\w+)\"\s*\](?!\s*=)"
                       r"|environ\.items\(\)|os\.environ(?![\[.])")
    found: dict[str, set[str]] = {}
    for p in (root / "kiosk").rglob("*.py"):
        rel = str(p.relative_to(root))
        if rel == "kiosk/settings.py":
            continue
        for m in reads.finditer(p.read_text(encoding="utf-8")):
            found.setdefault(rel, set()).add(next((g for g in m.groups() if g), m.group(0)))
    assert found == ALLOWED_READS
