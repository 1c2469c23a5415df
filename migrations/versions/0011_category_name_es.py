"""a category's Spanish name, from the district file (name_es), shown when the kiosk speaks Spanish

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service_categories", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_es", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("service_categories", schema=None) as batch_op:
        batch_op.drop_column("name_es")
