"""the district's asset-tag rule: a check-digit algorithm, and room for several tag prefixes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tag_check_digit", sa.String(length=24), nullable=True))
        batch_op.alter_column("tag_prefix", existing_type=sa.String(length=16), type_=sa.String(length=64),
                              existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.alter_column("tag_prefix", existing_type=sa.String(length=64), type_=sa.String(length=16),
                              existing_nullable=True)
        batch_op.drop_column("tag_check_digit")
