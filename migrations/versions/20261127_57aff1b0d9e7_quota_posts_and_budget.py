"""quota posts and budget

Revision ID: 57aff1b0d9e7
Revises: 8b430ae71223
Create Date: 2026-11-27 08:50:00

Terms of quota posts, their posts and computed distributions; the budget's scales of shares,
adopted budgets and payments. Amounts are stored as decimal strings: SQLite has no exact decimal
type and every sum is made in Python on exact decimals.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import accord.models.base

revision: str = "57aff1b0d9e7"
down_revision: str | None = "8b430ae71223"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staffing_terms",
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("shares", sa.JSON(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("scale_year", sa.Integer(), nullable=True),
        sa.Column("minimum", sa.Integer(), nullable=False),
        sa.Column("cap", sa.Integer(), nullable=True),
        sa.Column("tie_break", sa.String(length=24), nullable=False),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staffing_terms")),
        sa.UniqueConstraint("start_year", name=op.f("uq_staffing_terms_start_year")),
    )

    op.create_table(
        "staffing_posts",
        sa.Column("term_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("grade", sa.String(length=20), nullable=False),
        sa.Column("body", sa.String(length=32), nullable=False),
        sa.Column("reserved", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=3), nullable=True),
        sa.Column("nominee", sa.String(length=200), nullable=False),
        sa.Column("nominee_state", sa.String(length=3), nullable=True),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["staffing_terms.id"],
            name=op.f("fk_staffing_posts_term_id_staffing_terms"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staffing_posts")),
    )
    with op.batch_alter_table("staffing_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staffing_posts_term_id"), ["term_id"], unique=False)

    op.create_table(
        "staffing_distributions",
        sa.Column("term_id", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("tie_broken", sa.Boolean(), nullable=False),
        sa.Column("computed_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("computed_by", sa.String(length=64), nullable=False),
        sa.Column("decision_id", sa.Uuid(), nullable=True),
        sa.Column("states_bound", accord.models.base.StateList(length=2000), nullable=True),
        sa.Column("unbound_posts", sa.String(length=16), nullable=True),
        sa.Column("adopted_at", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("adopted_by", sa.String(length=64), nullable=True),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["staffing_terms.id"],
            name=op.f("fk_staffing_distributions_term_id_staffing_terms"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staffing_distributions")),
    )
    with op.batch_alter_table("staffing_distributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staffing_distributions_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_staffing_distributions_term_id"), ["term_id"], unique=False
        )

    op.create_table(
        "budget_scales",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("shares", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_scales")),
        sa.UniqueConstraint("year", "version", name="uq_budget_scales_year_version"),
    )

    op.create_table(
        "budget_years",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("scale_id", sa.Uuid(), nullable=False),
        sa.Column("decision_id", sa.Uuid(), nullable=True),
        sa.Column("states_bound", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("unbound_share", sa.String(length=16), nullable=False),
        sa.Column("adopted_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("adopted_by", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scale_id"], ["budget_scales.id"], name=op.f("fk_budget_years_scale_id_budget_scales")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_years")),
        sa.UniqueConstraint("year", name=op.f("uq_budget_years_year")),
    )
    with op.batch_alter_table("budget_years", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_years_decision_id"), ["decision_id"], unique=False
        )

    op.create_table(
        "budget_payments",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        sa.Column("credited", sa.String(length=40), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_payments")),
    )
    with op.batch_alter_table("budget_payments", schema=None) as batch_op:
        batch_op.create_index("ix_budget_payments_year_state", ["year", "state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("budget_payments", schema=None) as batch_op:
        batch_op.drop_index("ix_budget_payments_year_state")
    op.drop_table("budget_payments")
    with op.batch_alter_table("budget_years", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_years_decision_id"))
    op.drop_table("budget_years")
    op.drop_table("budget_scales")
    with op.batch_alter_table("staffing_distributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staffing_distributions_decision_id"))
        batch_op.drop_index(batch_op.f("ix_staffing_distributions_term_id"))
    op.drop_table("staffing_distributions")
    with op.batch_alter_table("staffing_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staffing_posts_term_id"))
    op.drop_table("staffing_posts")
    op.drop_table("staffing_terms")
