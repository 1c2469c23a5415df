"""partial indexes for the reports' SQL SLA clock (holds and priority overrides per ticket)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ON_HOLD = "kind = 'status' AND new_value = 'on_hold'"
PRIORITY = "kind = 'priority'"


def upgrade() -> None:
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_events_on_hold", ["ticket_id"], unique=False,
                              postgresql_where=sa.text(ON_HOLD), sqlite_where=sa.text(ON_HOLD))
        batch_op.create_index("ix_ticket_events_priority", ["ticket_id"], unique=False,
                              postgresql_where=sa.text(PRIORITY), sqlite_where=sa.text(PRIORITY))


def downgrade() -> None:
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_events_priority")
        batch_op.drop_index("ix_ticket_events_on_hold")
