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
