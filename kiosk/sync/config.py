"""The kiosk's enrollment: server address and token, in an owner-only file in the data directory."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from kiosk.domain.errors import DomainError
from kiosk.settings import data_dir

CONFIG_NAME = "sync.json"


class NotEnrolled(DomainError):
    pass


@dataclass(frozen=True)
class KioskConfig:
    server: str
    token: str
    kiosk_id: uuid.UUID
    campus_id: uuid.UUID
    name: str

    @property
    def node(self) -> str:
        return self.kiosk_id.hex


def config_path(directory: Path | None = None) -> Path:
    return (directory or data_dir()) / CONFIG_NAME


def save(config: KioskConfig, path: Path | None = None) -> Path:
    """Write the file so that only its owner can read it (0600), replacing any previous enrollment atomically."""
    target = path or config_path()
    tmp = target.with_name(target.name + ".tmp")
    data = {k: str(v) for k, v in asdict(config).items()}
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, json.dumps(data, indent=2).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    return target


def load(path: Path | None = None) -> KioskConfig:
    target = path or config_path()
    try:
        data = json.loads(target.read_text())
    except FileNotFoundError:
        raise NotEnrolled("this kiosk is not enrolled: run `kiosk enroll --server URL CODE` first") from None
    except (OSError, ValueError) as exc:
        raise NotEnrolled(f"cannot read the kiosk enrollment file {target}: {exc}") from None
    return KioskConfig(server=data["server"], token=data["token"], kiosk_id=uuid.UUID(data["kiosk_id"]),
                       campus_id=uuid.UUID(data["campus_id"]), name=data.get("name", ""))
