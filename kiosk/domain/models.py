"""The district data model: campuses, devices, people, tickets, repairs, audits, schedules, surveys."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    event,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from kiosk.domain.ids import uuid7

# Every relationship below is lazy="raise": touching one that was not loaded raises instead of running a query,
# so a lazy load in the wrong place (on the GUI thread, after the unit ended, in a loop) fails in the tests.
# Load what you need in the query (selectinload/joinedload) or read the related row by its id.

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware instant is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _enum(cls: type[enum.Enum], length: int = 24) -> Enum:
    """Enums are stored as their string values in a VARCHAR, the same on SQLite and PostgreSQL."""
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), uuid.UUID: Uuid()}


class Synced:
    """Rows that sync between kiosks and the central database: a server-free key and two timestamps."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    created_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(UTC))
    updated_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(UTC))


# ---------------------------------------------------------------------------------------------
# Enumerations
# ---------------------------------------------------------------------------------------------


class DeviceCategory(enum.StrEnum):
    CHROMEBOOK = "chromebook"
    LAPTOP = "laptop"
    DESKTOP = "desktop"
    TABLET = "tablet"
    PROJECTOR = "projector"
    INTERACTIVE_PANEL = "interactive_panel"
    PRINTER = "printer"
    DOCUMENT_CAMERA = "document_camera"
    ACCESS_POINT = "access_point"
    HOTSPOT = "hotspot"
    MONITOR = "monitor"
    OTHER = "other"


class DeviceStatus(enum.StrEnum):
    IN_SERVICE = "in_service"
    IN_REPAIR = "in_repair"
    LOANER = "loaner"
    SPARE = "spare"
    RETIRED = "retired"
    MISSING = "missing"


class ReporterKind(enum.StrEnum):
    STUDENT = "student"
    TEACHER = "teacher"
    STAFF = "staff"


class StaffRole(enum.StrEnum):
    TECHNICIAN = "technician"
    ADMIN = "admin"


class Priority(enum.StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"

    @property
    def label(self) -> str:
        return {"P1": "Critical", "P2": "High", "P3": "Normal", "P4": "Low"}[self.value]


class TicketStatus(enum.StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"

    @property
    def is_open(self) -> bool:
        return self not in (TicketStatus.RESOLVED, TicketStatus.CLOSED)


OPEN_STATUSES: tuple[TicketStatus, ...] = tuple(s for s in TicketStatus if s.is_open)


class Channel(enum.StrEnum):
    KIOSK = "kiosk"
    TECHNICIAN = "technician"
    IMPORT = "import"
    WALK_IN = "walk-in"  # a walk-in fixed on the spot at the tech room (kiosk/domain/walkins.py)


class TicketEventKind(enum.StrEnum):
    CREATED = "created"
    NOTE = "note"
    STATUS = "status"
    PRIORITY = "priority"
    ASSIGNMENT = "assignment"
    REPORT_ADDED = "report_added"
    REPAIR = "repair"
    SURVEY = "survey"
    ESCALATION = "escalation"


class Cause(enum.StrEnum):
    """What broke a device, recorded on its ticket."""

    ACCIDENTAL = "accidental"
    INTENTIONAL = "intentional"
    WEAR = "wear"
    DEFECT = "defect"
    UNKNOWN = "unknown"


class Coverage(enum.StrEnum):
    """A device's coverage when the problem was reported."""

    WARRANTY = "warranty"
    DAMAGE_PLAN = "damage_plan"
    NOT_COVERED = "not_covered"


class AuditState(enum.StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    FINISHED = "finished"
    APPLIED = "applied"
    CANCELLED = "cancelled"


class AuditOutcome(enum.StrEnum):
    FOUND = "found"
    MISSING = "missing"
    MISPLACED = "misplaced"
    UNKNOWN = "unknown"


class VisitExceptionKind(enum.StrEnum):
    CANCELLED = "cancelled"
    EXTRA = "extra"
    HOLIDAY = "holiday"


class CategoryScope(enum.StrEnum):
    DEVICE = "device"
    ROOM = "room"
    ANY = "any"


# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------


class District(Synced, Base):
    __tablename__ = "districts"

    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="America/Chicago")
    tag_prefix: Mapped[str | None] = mapped_column(String(64))  # the prefixes every tag starts with: "RUSD,RHS"
    # resolved tickets close by themselves after this many business days (None: the default, 5)
    auto_close_business_days: Mapped[int | None] = mapped_column(Integer)
    tag_pattern: Mapped[str | None] = mapped_column(String(200))  # the asset-tag rule from the district file
    tag_check_digit: Mapped[str | None] = mapped_column(String(24))  # none | luhn | iso7064-mod37-36
    walkup_idle_seconds: Mapped[int | None] = mapped_column(Integer)  # read through kiosk.domain.district
    technician_idle_seconds: Mapped[int | None] = mapped_column(Integer)
    troublesome_repairs: Mapped[int | None] = mapped_column(Integer)
    troublesome_days: Mapped[int | None] = mapped_column(Integer)
    # the kiosk's language after an idle reset and for reporters who never chose one ("en" or "es"; None: en)
    language: Mapped[str | None] = mapped_column(String(8), default="en", server_default="en")

    campuses: Mapped[list[Campus]] = relationship(back_populates="district", lazy="raise")


class Campus(Synced, Base):
    __tablename__ = "campuses"

    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("districts.id"))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(32))  # elementary, middle, high, admin
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))  # retired: False

    district: Mapped[District] = relationship(back_populates="campuses", lazy="raise")
    rooms: Mapped[list[Room]] = relationship(back_populates="campus", order_by="Room.name", lazy="raise")


class Room(Synced, Base):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("campus_id", "name", name="uq_rooms_campus_id_name"),)

    campus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campuses.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str | None] = mapped_column(String(32))  # classroom, lab, library, office, tech room
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))  # retired: False

    campus: Mapped[Campus] = relationship(back_populates="rooms", lazy="raise")


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


class Reporter(Synced, Base):
    """Someone who files tickets. Only an ID number or an email: no names, no other personal data."""

    __tablename__ = "reporters"
    __table_args__ = (
        CheckConstraint("id_number IS NOT NULL OR email IS NOT NULL", name="identified"),
    )

    kind: Mapped[ReporterKind] = mapped_column(_enum(ReporterKind))
    id_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)


class StaffUser(Synced, Base):
    """A technician or admin. Passwords and PINs are stored only as argon2id hashes."""

    __tablename__ = "staff_users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    first_name: Mapped[str] = mapped_column(String(64))  # shown publicly on the rotation panel
    last_name: Mapped[str] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[StaffRole] = mapped_column(_enum(StaffRole))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    badge_code: Mapped[str | None] = mapped_column(String(64), unique=True)
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # a temporary secret (set by an admin's reset) must be replaced at the next sign-in
    password_temporary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    pin_temporary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    lead_of_campus_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campuses.id"))


# ---------------------------------------------------------------------------------------------
# Devices
# ---------------------------------------------------------------------------------------------


class Device(Synced, Base):
    __tablename__ = "devices"
    __table_args__ = (
        Index("ix_devices_campus_id_room_id", "campus_id", "room_id"),
        Index("ix_devices_manufacturer_model", "manufacturer", "model"),
    )

    asset_tag: Mapped[str] = mapped_column(String(32), unique=True)
    serial: Mapped[str | None] = mapped_column(String(64), index=True)
    manufacturer: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(96))
    category: Mapped[DeviceCategory] = mapped_column(_enum(DeviceCategory))
    campus_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campuses.id"))
    room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rooms.id"))
    status: Mapped[DeviceStatus] = mapped_column(_enum(DeviceStatus), default=DeviceStatus.IN_SERVICE)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reporters.id"))
    purchase_date: Mapped[date | None] = mapped_column(Date)
    purchase_cost_cents: Mapped[int | None] = mapped_column(Integer)
    funding_source: Mapped[str | None] = mapped_column(String(64))
    warranty_end: Mapped[date | None] = mapped_column(Date)
    purchase_order: Mapped[str | None] = mapped_column(String(64))  # matches accidental-damage plans
    notes: Mapped[str | None] = mapped_column(Text)
    last_audited_at: Mapped[datetime | None]
    last_audited_room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rooms.id"))
    last_audited_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))

    campus: Mapped[Campus | None] = relationship(foreign_keys=[campus_id], lazy="raise")
    room: Mapped[Room | None] = relationship(foreign_keys=[room_id], lazy="raise")


class DeviceMove(Synced, Base):
    """Append-only record of a device changing campus, room or status."""

    __tablename__ = "device_moves"
    __table_args__ = (Index("ix_device_moves_device_id_at", "device_id", "at"),)

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    at: Mapped[datetime]
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(String(200))
    new_value: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(200))


class UnknownTagScan(Synced, Base):
    """A tag scanned at a kiosk that matched no device, kept so technicians can register it."""

    __tablename__ = "unknown_tag_scans"

    tag: Mapped[str] = mapped_column(String(64), index=True)
    campus_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campuses.id"))
    kiosk_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("kiosks.id"))
    scanned_at: Mapped[datetime]
    resolved_device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"))


# ---------------------------------------------------------------------------------------------
# Service catalog, SLA targets, district calendar
# ---------------------------------------------------------------------------------------------


class ServiceCategory(Synced, Base):
    __tablename__ = "service_categories"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_es: Mapped[str | None] = mapped_column(String(100), nullable=True)  # the district's Spanish name
    icon: Mapped[str] = mapped_column(String(64))
    default_priority: Mapped[Priority] = mapped_column(_enum(Priority, 4))
    covered: Mapped[bool] = mapped_column(Boolean, default=True)
    scope: Mapped[CategoryScope] = mapped_column(_enum(CategoryScope), default=CategoryScope.ANY)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SlaTarget(Synced, Base):
    """First-response and resolution targets for one priority, in business minutes."""

    __tablename__ = "sla_targets"

    priority: Mapped[Priority] = mapped_column(_enum(Priority, 4), unique=True)
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)


class WorkingHours(Synced, Base):
    """District business hours for one weekday (0 = Monday), local wall-clock time."""

    __tablename__ = "working_hours"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),)

    weekday: Mapped[int] = mapped_column(SmallInteger, unique=True)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)


class Holiday(Synced, Base):
    """A closed day or range of days (inclusive): holidays, breaks, summer."""

    __tablename__ = "holidays"

    name: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date] = mapped_column(Date)


class Objective(Synced, Base):
    """A service objective in force from ``valid_from`` (school years change them); read via kiosk.domain.district."""

    __tablename__ = "objectives"
    __table_args__ = (
        UniqueConstraint("metric", "valid_from", name="uq_objectives_metric_valid_from"),
        CheckConstraint("comparator IN ('>=', '<=')", name="comparator_known"),
    )

    metric: Mapped[str] = mapped_column(String(64))
    comparator: Mapped[str] = mapped_column(String(2))
    target: Mapped[float] = mapped_column(Float)
    valid_from: Mapped[date] = mapped_column(Date)


# ---------------------------------------------------------------------------------------------
# Tickets
# ---------------------------------------------------------------------------------------------


class Ticket(Synced, Base):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_campus_id_status_resolution_due_at", "campus_id", "status", "resolution_due_at"),
        Index("ix_tickets_device_id_status", "device_id", "status"),
        Index("ix_tickets_assignee_id_status", "assignee_id", "status"),
        Index("ix_tickets_closed_at", "closed_at"),
    )

    number: Mapped[str] = mapped_column(String(24), unique=True)
    campus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campuses.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"))
    room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rooms.id"))
    reporter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reporters.id"), index=True)
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_categories.id"))
    description: Mapped[str] = mapped_column(Text)
    reporter_priority: Mapped[Priority] = mapped_column(_enum(Priority, 4))
    override_priority: Mapped[Priority | None] = mapped_column(_enum(Priority, 4))
    override_reason: Mapped[str | None] = mapped_column(String(500))
    priority: Mapped[Priority] = mapped_column(_enum(Priority, 4))  # override if set, else reporter's
    status: Mapped[TicketStatus] = mapped_column(_enum(TicketStatus), default=TicketStatus.NEW)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    kiosk_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("kiosks.id"))
    opened_at: Mapped[datetime]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    response_due_at: Mapped[datetime | None]
    resolution_due_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)
    photo: Mapped[str | None] = mapped_column(String(255))  # file name of an optional webcam photo
    # the language the reporter used at the kiosk: later emails and the survey page speak it (None: en)
    language: Mapped[str | None] = mapped_column(String(8), default="en", server_default="en")
    cause: Mapped[Cause | None] = mapped_column(_enum(Cause, 16))  # kiosk/domain/triage.py
    resolution_code: Mapped[str | None] = mapped_column(String(32))  # from the district's list, on resolve

    device: Mapped[Device | None] = relationship(lazy="raise")
    room: Mapped[Room | None] = relationship(lazy="raise")
    campus: Mapped[Campus] = relationship(lazy="raise")
    category: Mapped[ServiceCategory] = relationship(lazy="raise")
    reporter: Mapped[Reporter | None] = relationship(lazy="raise")
    assignee: Mapped[StaffUser | None] = relationship(lazy="raise")
    events: Mapped[list[TicketEvent]] = relationship(order_by="TicketEvent.at", viewonly=True, lazy="raise")


class TicketEvent(Synced, Base):
    """Append-only: notes (public or internal) and every status, priority and assignment change."""

    __tablename__ = "ticket_events"
    __table_args__ = (
        Index("ix_ticket_events_ticket_id_at", "ticket_id", "at"),
        # the reports' SQL SLA clock looks up holds and overrides per ticket: small partial indexes
        Index("ix_ticket_events_on_hold", "ticket_id",
              postgresql_where=text("kind = 'status' AND new_value = 'on_hold'"),
              sqlite_where=text("kind = 'status' AND new_value = 'on_hold'")),
        Index("ix_ticket_events_priority", "ticket_id", postgresql_where=text("kind = 'priority'"),
              sqlite_where=text("kind = 'priority'")),
    )

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tickets.id"))
    at: Mapped[datetime]
    kind: Mapped[TicketEventKind] = mapped_column(_enum(TicketEventKind))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    reporter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reporters.id"))
    body: Mapped[str | None] = mapped_column(Text)
    old_value: Mapped[str | None] = mapped_column(String(64))
    new_value: Mapped[str | None] = mapped_column(String(64))

    ticket: Mapped[Ticket] = relationship(lazy="raise")


class RepairLog(Synced, Base):
    __tablename__ = "repair_logs"
    __table_args__ = (
        Index("ix_repair_logs_device_id_performed_at", "device_id", "performed_at"),
        Index("ix_repair_logs_technician_id_performed_at", "technician_id", "performed_at"),
        CheckConstraint("minutes >= 0", name="minutes_nonnegative"),
    )

    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"))
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    technician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_users.id"))
    action: Mapped[str] = mapped_column(Text)
    parts: Mapped[str | None] = mapped_column(Text)
    parts_cost_cents: Mapped[int | None] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    performed_at: Mapped[datetime]


# ---------------------------------------------------------------------------------------------
# Inventory audits
# ---------------------------------------------------------------------------------------------


class AuditSession(Synced, Base):
    __tablename__ = "audit_sessions"

    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooms.id"), index=True)
    technician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_users.id"))
    state: Mapped[AuditState] = mapped_column(_enum(AuditState), default=AuditState.OPEN)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    applied_at: Mapped[datetime | None]


class AuditScan(Synced, Base):
    __tablename__ = "audit_scans"
    __table_args__ = (Index("ix_audit_scans_session_id_scanned_at", "session_id", "scanned_at"),)

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("audit_sessions.id"))
    tag: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"), index=True)
    scanned_at: Mapped[datetime]


class AuditResult(Synced, Base):
    """The reconciliation of one audit: one row per device or unknown tag."""

    __tablename__ = "audit_results"

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("audit_sessions.id"), index=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"), index=True)
    tag: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[AuditOutcome] = mapped_column(_enum(AuditOutcome))
    expected_room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rooms.id"))
    moved_here: Mapped[bool] = mapped_column(Boolean, default=False)


# ---------------------------------------------------------------------------------------------
# Rotation schedule
# ---------------------------------------------------------------------------------------------


class RotationVisit(Synced, Base):
    """A technician's recurring visit to a campus: weekdays, a time window, every N weeks."""

    __tablename__ = "rotation_visits"
    __table_args__ = (
        CheckConstraint("cycle_weeks >= 1", name="cycle_positive"),
        CheckConstraint("start_time < end_time", name="window_order"),
    )

    technician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_users.id"))
    campus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campuses.id"), index=True)
    weekdays: Mapped[str] = mapped_column(String(13))  # comma-separated 0..6, 0 = Monday
    cycle_weeks: Mapped[int] = mapped_column(SmallInteger, default=1)
    anchor_date: Mapped[date] = mapped_column(Date)  # a Monday of a week in which the visit happens
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    technician: Mapped[StaffUser] = relationship(lazy="raise")


class RotationException(Synced, Base):
    """A one-off change to the rotation: a cancelled visit, an extra visit or a campus holiday."""

    __tablename__ = "rotation_exceptions"
    __table_args__ = (Index("ix_rotation_exceptions_campus_id_on_date", "campus_id", "on_date"),)

    campus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campuses.id"))
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rotation_visits.id"))
    technician_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    on_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[VisitExceptionKind] = mapped_column(_enum(VisitExceptionKind))
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str | None] = mapped_column(String(200))


# ---------------------------------------------------------------------------------------------
# Satisfaction surveys
# ---------------------------------------------------------------------------------------------


class Survey(Synced, Base):
    """One per closing of a ticket (a reopened ticket closed again is surveyed again): solved yes/no, five
    ratings from 1 to 5, and a comment. ``technician_id`` is the ticket's assignee at that closing."""

    __tablename__ = "surveys"
    __table_args__ = tuple(
        CheckConstraint(f"{c} IS NULL OR {c} BETWEEN 1 AND 5", name=f"{c}_range")
        for c in ("timeliness", "courtesy", "communication", "quality", "overall")
    )

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tickets.id"), index=True)
    reporter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reporters.id"))
    technician_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    token_hash: Mapped[str | None] = mapped_column(String(128), unique=True)
    invited_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    solved: Mapped[bool | None] = mapped_column(Boolean)
    timeliness: Mapped[int | None] = mapped_column(SmallInteger)
    courtesy: Mapped[int | None] = mapped_column(SmallInteger)
    communication: Mapped[int | None] = mapped_column(SmallInteger)
    quality: Mapped[int | None] = mapped_column(SmallInteger)
    overall: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)


# ---------------------------------------------------------------------------------------------
# Kiosks and the privileged-action audit log
# ---------------------------------------------------------------------------------------------


class Kiosk(Synced, Base):
    __tablename__ = "kiosks"

    campus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campuses.id"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str | None] = mapped_column(String(128), unique=True)
    enrolled_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_sync_at: Mapped[datetime | None]


class AuditLogEntry(Synced, Base):
    """Append-only log of privileged actions: who, what, when, from which kiosk."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    at: Mapped[datetime]
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    kiosk_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("kiosks.id"))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str | None] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class EmailMessage(Synced, Base):
    """The outgoing mail queue: survives restarts; a sender retries with backoff until it is sent."""

    __tablename__ = "email_messages"
    __table_args__ = (Index("ix_email_messages_sent_at_next_attempt_at", "sent_at", "next_attempt_at"),)

    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))  # ticket_received, ticket_resolved, escalation, ...
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))


# ---------------------------------------------------------------------------------------------
# Repair desk: loaners, parts, damage triage, depot repairs, fees (kiosk/domain/loaners.py, parts.py, triage.py)
# ---------------------------------------------------------------------------------------------


class DeskSetting(Synced, Base):
    """A district repair-desk setting (loan limits, damage policy, resolution codes...): a key and a JSON value."""

    __tablename__ = "desk_settings"

    key: Mapped[str] = mapped_column(String(64), unique=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)


class Loan(Synced, Base):
    """A loaner device checked out to a reporter until a due date; returned_at closes it.

    Two kiosks may check out the same loaner offline: the rule in ``kiosk.domain.loaners.standing`` keeps the
    first check-out and voids the later one, computed the same way from the same rows everywhere.
    """

    __tablename__ = "loans"
    __table_args__ = (
        Index("ix_loans_loaner_id_out_at", "loaner_id", "out_at"),
        Index("ix_loans_reporter_id_out_at", "reporter_id", "out_at"),
    )

    campus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campuses.id"), index=True)
    loaner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    reporter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reporters.id"))
    for_device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"))
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"))
    out_at: Mapped[datetime]
    due_on: Mapped[date] = mapped_column(Date)
    out_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    kiosk_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("kiosks.id"))
    returned_at: Mapped[datetime | None]
    returned_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))


class Part(Synced, Base):
    """The district parts catalogue: a part's code (printed on its label), unit cost and reorder level."""

    __tablename__ = "parts"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_cost_cents: Mapped[int] = mapped_column(Integer, default=0)
    reorder_level: Mapped[int] = mapped_column(Integer, default=0)
    fits: Mapped[str | None] = mapped_column(String(500))  # models it fits, free text
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PartMovement(Synced, Base):
    """Append-only stock ledger of one campus: parts received, used in a repair, or counted (stock = sum)."""

    __tablename__ = "part_movements"
    __table_args__ = (Index("ix_part_movements_campus_id_part_id", "campus_id", "part_id"),)

    part_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parts.id"))
    campus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campuses.id"))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))  # received, used, count
    repair_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("repair_logs.id"))
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"))
    at: Mapped[datetime]
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    note: Mapped[str | None] = mapped_column(String(200))


class DamagePlan(Synced, Base):
    """An accidental-damage plan: devices of a model or a purchase order, a pool of claims per school year."""

    __tablename__ = "damage_plans"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    model: Mapped[str | None] = mapped_column(String(96))
    purchase_order: Mapped[str | None] = mapped_column(String(64))
    claims_per_year: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TicketTriage(Synced, Base):
    """Damage and warranty triage of one ticket at intake: coverage then, and which incident of the year it is."""

    __tablename__ = "ticket_triage"

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tickets.id"), unique=True)
    campus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campuses.id"), index=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"))
    reporter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reporters.id"))
    cause: Mapped[Cause] = mapped_column(_enum(Cause, 16))
    coverage: Mapped[Coverage] = mapped_column(_enum(Coverage, 16))
    plan_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("damage_plans.id"))
    school_year: Mapped[str] = mapped_column(String(9))  # "2026-2027"
    incident_number: Mapped[int | None] = mapped_column(Integer)  # damage incidents of the reporter this year
    policy_action: Mapped[str | None] = mapped_column(String(500))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))


class DepotRepair(Synced, Base):
    """A device sent to a depot or vendor: case number, shipped and returned dates, cost, the district checklist."""

    __tablename__ = "depot_repairs"

    campus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campuses.id"), index=True)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    vendor: Mapped[str] = mapped_column(String(100))
    case_number: Mapped[str | None] = mapped_column(String(64))
    shipped_on: Mapped[date | None] = mapped_column(Date)
    returned_on: Mapped[date | None] = mapped_column(Date)
    cost_cents: Mapped[int | None] = mapped_column(Integer)
    checklist: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # item -> done (true/false)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))


class Fee(Synced, Base):
    """A fee recorded for the business office (no payment is taken here)."""

    __tablename__ = "fees"

    campus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campuses.id"), index=True)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"))
    reporter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reporters.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"))
    amount_cents: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))


APPEND_ONLY: tuple[type[Base], ...] = (TicketEvent, AuditLogEntry, DeviceMove, AuditScan, PartMovement)


class AppendOnlyViolation(RuntimeError):
    """Raised when code tries to update or delete an append-only record."""


@event.listens_for(Session, "before_flush")
def _refuse_append_only_changes(session: Session, _ctx: object, _instances: object) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, APPEND_ONLY) and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnlyViolation(f"{type(obj).__name__} rows are append-only")


# ---------------------------------------------------------------------------------------------
# Sync
# ---------------------------------------------------------------------------------------------
# Bookkeeping for the kiosk <-> central sync (kiosk/sync, kiosk/server). These rows never sync themselves.


class SyncOutbox(Base):
    """Kiosk side: one local edit waiting to be pushed, written in the same transaction as the edit."""

    __tablename__ = "sync_outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[uuid.UUID] = mapped_column(index=True)
    op: Mapped[str] = mapped_column(String(8))  # insert, update, delete
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    hlc: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    rejected_reason: Mapped[str | None] = mapped_column(String(500))  # set when the server refused it


class SyncState(Base):
    """Kiosk side: small key/value facts (node id, hybrid logical clock, pull cursor, last success)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncChange(Base):
    """Server side: the serialized change log that pull cursors follow (one row per changed row and campus)."""

    __tablename__ = "sync_changes"
    __table_args__ = (Index("ix_sync_changes_campus_id_seq", "campus_id", "seq"),
                      Index("ix_sync_changes_txid_seq", "txid", "seq"))

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # PostgreSQL: the writing transaction's id (pg_current_xact_id); pull cursors order by (txid, seq) and stop
    # below the oldest transaction still running, so a later commit of an earlier position is never skipped.
    txid: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[uuid.UUID]
    campus_id: Mapped[uuid.UUID | None]  # None: district reference data, every kiosk pulls it
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class SyncAppliedOp(Base):
    """Server side: every operation id ever applied, so a replayed push takes effect once."""

    __tablename__ = "sync_applied_ops"

    op_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kiosk_id: Mapped[uuid.UUID | None]
    applied_at: Mapped[datetime]


class SyncFieldClock(Base):
    """Server side: the hybrid-logical-clock stamp of the last write that won each mutable field."""

    __tablename__ = "sync_field_clocks"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    hlc: Mapped[str] = mapped_column(String(64))


class SyncConflict(Base):
    """Server side: a value that lost a last-writer-wins race, kept for admins to see."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (Index("ix_sync_conflicts_table_name_row_id", "table_name", "row_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    at: Mapped[datetime]
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[uuid.UUID]
    field: Mapped[str] = mapped_column(String(64))
    kept_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    kept_hlc: Mapped[str] = mapped_column(String(64))
    lost_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    lost_hlc: Mapped[str] = mapped_column(String(64))
    kiosk_id: Mapped[uuid.UUID | None]


class SyncTombstone(Base):
    """Server side: a deleted row; later writes to it are ignored and kiosks delete their copy."""

    __tablename__ = "sync_tombstones"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    hlc: Mapped[str] = mapped_column(String(64))
    deleted_at: Mapped[datetime]


class SyncIdAlias(Base):
    """Server side: a row a kiosk created offline that turned out to exist already (same natural key)."""

    __tablename__ = "sync_id_aliases"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    from_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    to_id: Mapped[uuid.UUID]


class EnrollmentCode(Base):
    """Server side: a one-time code an admin gives a new kiosk; only its hash is stored."""

    __tablename__ = "sync_enrollment_codes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code_hash: Mapped[str] = mapped_column(String(128), unique=True)
    campus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campuses.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    kiosk_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("kiosks.id"))
