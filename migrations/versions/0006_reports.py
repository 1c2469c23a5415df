"""surveys: one per closing, not one per ticket (a ticket reopened by "not solved" and closed again is surveyed again)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.drop_constraint("uq_surveys_ticket_id", type_="unique")
        batch_op.create_index("ix_surveys_ticket_id", ["ticket_id"], unique=False)


def downgrade() -> None:
    # Keeps the latest survey of each ticket (the one the unique constraint allows).
    op.execute("DELETE FROM surveys WHERE id IN (SELECT s.id FROM surveys s WHERE EXISTS ("
               "SELECT 1 FROM surveys n WHERE n.ticket_id = s.ticket_id AND (n.invited_at > s.invited_at OR "
               "(n.invited_at = s.invited_at AND n.id > s.id))))")
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.drop_index("ix_surveys_ticket_id")
        batch_op.create_unique_constraint("uq_surveys_ticket_id", ["ticket_id"])
