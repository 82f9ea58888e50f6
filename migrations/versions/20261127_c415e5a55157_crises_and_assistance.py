"""crises and assistance; population of member states

Revision ID: c415e5a55157
Revises: 8b430ae71223
Create Date: 2026-11-27 09:10:00

Member states gain a population, which rules weighing by population need (constructive
abstention, quota entitlements); an existing organisation gets it from its TOML file when
loaded again, or from an administrator.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c415e5a55157"
down_revision: str | None = "8b430ae71223"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("member_states") as batch_op:
        batch_op.add_column(sa.Column("population", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member_states") as batch_op:
        batch_op.drop_column("population")
