"""district administration: objectives as data, retired campuses and rooms, district settings, temporary secrets

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kiosk.domain.models

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DISTRICT_SETTINGS = ("walkup_idle_seconds", "technician_idle_seconds", "troublesome_repairs", "troublesome_days")


def upgrade() -> None:
    op.create_table(
        "objectives",
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("comparator", sa.String(length=2), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", kiosk.domain.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kiosk.domain.models.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("comparator IN ('>=', '<=')", name=op.f("ck_objectives_comparator_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objectives")),
        sa.UniqueConstraint("metric", "valid_from", name="uq_objectives_metric_valid_from"),
    )
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tag_pattern", sa.String(length=200), nullable=True))
        for name in DISTRICT_SETTINGS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
    for table in ("campuses", "rooms"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False))
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_temporary", sa.Boolean(), server_default=sa.text("false"),
                                      nullable=False))
        batch_op.add_column(sa.Column("pin_temporary", sa.Boolean(), server_default=sa.text("false"),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("pin_temporary")
        batch_op.drop_column("password_temporary")
    for table in ("rooms", "campuses"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("active")
    with op.batch_alter_table("districts", schema=None) as batch_op:
        for name in reversed(DISTRICT_SETTINGS):
            batch_op.drop_column(name)
        batch_op.drop_column("tag_pattern")
    op.drop_table("objectives")
