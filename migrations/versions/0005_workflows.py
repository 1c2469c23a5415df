"""workflows: the district's auto-close delay for resolved tickets

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("auto_close_business_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.drop_column("auto_close_business_days")
