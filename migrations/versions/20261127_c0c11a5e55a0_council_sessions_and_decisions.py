"""council sessions and decisions

Revision ID: c0c11a5e55a0
Revises: 8b430ae71223
Create Date: 2026-11-27 08:44:35.533999

Sessions of the bodies with attendance and agendas; draft decisions with their versions,
positions, outcome, reason and the states bound.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import accord.models.base

revision: str = "c0c11a5e55a0"
down_revision: str | None = "8b430ae71223"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "council_sessions",
        sa.Column("body_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("chair", sa.String(length=3), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_council_sessions_body_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_sessions")),
    )
    with op.batch_alter_table("council_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_council_sessions_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_council_sessions_year"), ["year"], unique=False)

    op.create_table(
        "council_agenda_items",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("procedural", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["council_sessions.id"],
            name=op.f("fk_council_agenda_items_session_id_council_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_agenda_items")),
    )
    with op.batch_alter_table("council_agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_council_agenda_items_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "council_attendance",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("plenipotentiary", sa.String(length=200), nullable=False),
        sa.Column("credentials", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["council_sessions.id"],
            name=op.f("fk_council_attendance_session_id_council_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_attendance")),
        sa.UniqueConstraint("session_id", "state", name="session_state"),
    )
    with op.batch_alter_table("council_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_council_attendance_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "council_decisions",
        sa.Column("body_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=True),
        sa.Column("agenda_item_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("procedure", sa.String(length=16), nullable=False),
        sa.Column("procedural", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("rule_params", sa.JSON(), nullable=False),
        sa.Column("concerned", sa.JSON(), nullable=False),
        sa.Column("deadline", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("launched_at", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("adopted", sa.Boolean(), nullable=True),
        sa.Column("reason", sa.JSON(), nullable=True),
        sa.Column("states_bound", sa.JSON(), nullable=True),
        sa.Column("accessions", sa.JSON(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["council_agenda_items.id"],
            name=op.f("fk_council_decisions_agenda_item_id_council_agenda_items"),
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_council_decisions_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["council_sessions.id"],
            name=op.f("fk_council_decisions_session_id_council_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_decisions")),
        sa.UniqueConstraint("body_id", "year", "sequence", name="body_year_sequence"),
    )
    with op.batch_alter_table("council_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_council_decisions_body_id"), ["body_id"], unique=False)
        batch_op.create_index("ix_council_decisions_deadline", ["status", "deadline"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_council_decisions_session_id"), ["session_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_council_decisions_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_council_decisions_title"), ["title"], unique=False)

    op.create_table(
        "council_decision_versions",
        sa.Column("decision_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["council_decisions.id"],
            name=op.f("fk_council_decision_versions_decision_id_council_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_decision_versions")),
        sa.UniqueConstraint("decision_id", "number", name="decision_number"),
    )
    with op.batch_alter_table("council_decision_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_council_decision_versions_decision_id"), ["decision_id"], unique=False
        )

    op.create_table(
        "council_positions",
        sa.Column("decision_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=3), nullable=False),
        sa.Column("position", sa.String(length=24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written", sa.Boolean(), nullable=False),
        sa.Column("signed_by", sa.String(length=200), nullable=False),
        sa.Column("received_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["council_decisions.id"],
            name=op.f("fk_council_positions_decision_id_council_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_positions")),
        sa.UniqueConstraint("decision_id", "state", name="decision_state"),
    )
    with op.batch_alter_table("council_positions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_council_positions_decision_id"), ["decision_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("council_positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_positions_decision_id"))

    op.drop_table("council_positions")
    with op.batch_alter_table("council_decision_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_decision_versions_decision_id"))

    op.drop_table("council_decision_versions")
    with op.batch_alter_table("council_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_decisions_title"))
        batch_op.drop_index(batch_op.f("ix_council_decisions_status"))
        batch_op.drop_index(batch_op.f("ix_council_decisions_session_id"))
        batch_op.drop_index("ix_council_decisions_deadline")
        batch_op.drop_index(batch_op.f("ix_council_decisions_body_id"))

    op.drop_table("council_decisions")
    with op.batch_alter_table("council_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_attendance_session_id"))

    op.drop_table("council_attendance")
    with op.batch_alter_table("council_agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_agenda_items_session_id"))

    op.drop_table("council_agenda_items")
    with op.batch_alter_table("council_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_sessions_year"))
        batch_op.drop_index(batch_op.f("ix_council_sessions_body_id"))

    op.drop_table("council_sessions")
