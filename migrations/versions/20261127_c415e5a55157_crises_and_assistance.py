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

import accord.models.base

revision: str = "c415e5a55157"
down_revision: str | None = "8b430ae71223"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("member_states") as batch_op:
        batch_op.add_column(sa.Column("population", sa.BigInteger(), nullable=True))
    op.create_table(
        "capability_types",
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capability_types")),
        sa.UniqueConstraint("code", name=op.f("uq_capability_types_code")),
    )
    op.create_table(
        "crises",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=24), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("affected_states", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("coordinator", sa.String(length=64), nullable=True),
        sa.Column("liaison", sa.String(length=64), nullable=True),
        sa.Column("scribe", sa.String(length=64), nullable=True),
        sa.Column("decision_id", sa.Uuid(), nullable=True),
        sa.Column("decision_reference", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("opened_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "level_changed_at", accord.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crises")),
    )
    with op.batch_alter_table("crises", schema=None) as batch_op:
        batch_op.create_index("ix_crises_level_opened", ["level", "opened_at"], unique=False)
    op.create_table(
        "sitrep_cadences",
        sa.Column("level", sa.String(length=24), nullable=False),
        sa.Column("interval_hours", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sitrep_cadences")),
        sa.UniqueConstraint("level", name=op.f("uq_sitrep_cadences_level")),
    )
    op.create_table(
        "assistance_requests",
        sa.Column("crisis_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("expires_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("posted_by", sa.String(length=64), nullable=False),
        sa.Column("posted_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_assistance_requests_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistance_requests")),
    )
    with op.batch_alter_table("assistance_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assistance_requests_crisis", ["crisis_id", "posted_at"], unique=False
        )
        batch_op.create_index(
            "ix_assistance_requests_status_posted", ["status", "posted_at"], unique=False
        )
    op.create_table(
        "capability_holdings",
        sa.Column("capability_code", sa.String(length=48), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("readiness_hours", sa.Integer(), nullable=False),
        sa.Column("home_base", sa.String(length=200), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capability_code"],
            ["capability_types.code"],
            name=op.f("fk_capability_holdings_capability_code_capability_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capability_holdings")),
    )
    with op.batch_alter_table("capability_holdings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_capability_holdings_code_owner", ["capability_code", "owner"], unique=False
        )
    op.create_table(
        "crisis_entries",
        sa.Column("crisis_id", sa.Uuid(), nullable=False),
        sa.Column("at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("from_level", sa.String(length=24), nullable=True),
        sa.Column("to_level", sa.String(length=24), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_crisis_entries_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_entries")),
    )
    with op.batch_alter_table("crisis_entries", schema=None) as batch_op:
        batch_op.create_index("ix_crisis_entries_crisis_at", ["crisis_id", "at"], unique=False)
    op.create_table(
        "crisis_incidents",
        sa.Column("crisis_id", sa.Uuid(), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("linked_by", sa.String(length=64), nullable=False),
        sa.Column("linked_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_crisis_incidents_crisis_id_crises")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_crisis_incidents_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_incidents")),
        sa.UniqueConstraint("crisis_id", "incident_id", name=op.f("uq_crisis_incidents_crisis_id")),
    )
    with op.batch_alter_table("crisis_incidents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_crisis_incidents_crisis_id"), ["crisis_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_crisis_incidents_incident_id"), ["incident_id"], unique=False
        )
    op.create_table(
        "crisis_tasks",
        sa.Column("crisis_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("assignee", sa.String(length=64), nullable=False),
        sa.Column("assignee_state", sa.String(length=3), nullable=False),
        sa.Column("due_at", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_crisis_tasks_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_tasks")),
    )
    with op.batch_alter_table("crisis_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crisis_tasks_crisis_id"), ["crisis_id"], unique=False)
    op.create_table(
        "sitreps",
        sa.Column("crisis_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=True),
        sa.Column("issued_at", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_sitreps_crisis_id_crises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sitreps")),
        sa.UniqueConstraint("crisis_id", "number", name=op.f("uq_sitreps_crisis_id")),
    )
    with op.batch_alter_table("sitreps", schema=None) as batch_op:
        batch_op.create_index("ix_sitreps_crisis_issued", ["crisis_id", "issued_at"], unique=False)
    op.create_table(
        "need_lines",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("capability_code", sa.String(length=48), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("needed_by", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capability_code"],
            ["capability_types.code"],
            name=op.f("fk_need_lines_capability_code_capability_types"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["assistance_requests.id"],
            name=op.f("fk_need_lines_request_id_assistance_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_lines")),
    )
    with op.batch_alter_table("need_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_need_lines_capability_code"), ["capability_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_need_lines_request_id"), ["request_id"], unique=False)
    op.create_table(
        "request_revisions",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["assistance_requests.id"],
            name=op.f("fk_request_revisions_request_id_assistance_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_revisions")),
        sa.UniqueConstraint("request_id", "revision", name=op.f("uq_request_revisions_request_id")),
    )
    op.create_table(
        "offers",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("need_line_id", sa.Uuid(), nullable=False),
        sa.Column("capability_code", sa.String(length=48), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("arrival_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("request_revision", sa.Integer(), nullable=False),
        sa.Column("response_note", sa.Text(), nullable=False),
        sa.Column("responded_by", sa.String(length=64), nullable=True),
        sa.Column("responded_at", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("offered_by", sa.String(length=64), nullable=False),
        sa.Column("offered_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capability_code"],
            ["capability_types.code"],
            name=op.f("fk_offers_capability_code_capability_types"),
        ),
        sa.ForeignKeyConstraint(
            ["need_line_id"], ["need_lines.id"], name=op.f("fk_offers_need_line_id_need_lines")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["assistance_requests.id"],
            name=op.f("fk_offers_request_id_assistance_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
    )
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.create_index("ix_offers_need_line", ["need_line_id"], unique=False)
        batch_op.create_index("ix_offers_request", ["request_id", "offered_at"], unique=False)
    op.create_table(
        "deployments",
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("need_line_id", sa.Uuid(), nullable=False),
        sa.Column("crisis_id", sa.Uuid(), nullable=False),
        sa.Column("capability_code", sa.String(length=48), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column(
            "estimated_arrival", accord.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capability_code"],
            ["capability_types.code"],
            name=op.f("fk_deployments_capability_code_capability_types"),
        ),
        sa.ForeignKeyConstraint(
            ["crisis_id"], ["crises.id"], name=op.f("fk_deployments_crisis_id_crises")
        ),
        sa.ForeignKeyConstraint(
            ["need_line_id"], ["need_lines.id"], name=op.f("fk_deployments_need_line_id_need_lines")
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_deployments_offer_id_offers")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["assistance_requests.id"],
            name=op.f("fk_deployments_request_id_assistance_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployments")),
        sa.UniqueConstraint("offer_id", name=op.f("uq_deployments_offer_id")),
    )
    with op.batch_alter_table("deployments", schema=None) as batch_op:
        batch_op.create_index("ix_deployments_crisis_status", ["crisis_id", "status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_deployments_need_line_id"), ["need_line_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_deployments_request_id"), ["request_id"], unique=False)
    op.create_table(
        "deployment_updates",
        sa.Column("deployment_id", sa.Uuid(), nullable=False),
        sa.Column("at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deployment_id"],
            ["deployments.id"],
            name=op.f("fk_deployment_updates_deployment_id_deployments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployment_updates")),
    )
    with op.batch_alter_table("deployment_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deployment_updates_deployment_id"), ["deployment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("deployment_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deployment_updates_deployment_id"))
    op.drop_table("deployment_updates")
    with op.batch_alter_table("deployments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deployments_request_id"))
        batch_op.drop_index(batch_op.f("ix_deployments_need_line_id"))
        batch_op.drop_index("ix_deployments_crisis_status")
    op.drop_table("deployments")
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_index("ix_offers_request")
        batch_op.drop_index("ix_offers_need_line")
    op.drop_table("offers")
    op.drop_table("request_revisions")
    with op.batch_alter_table("need_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_lines_request_id"))
        batch_op.drop_index(batch_op.f("ix_need_lines_capability_code"))
    op.drop_table("need_lines")
    with op.batch_alter_table("sitreps", schema=None) as batch_op:
        batch_op.drop_index("ix_sitreps_crisis_issued")
    op.drop_table("sitreps")
    with op.batch_alter_table("crisis_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crisis_tasks_crisis_id"))
    op.drop_table("crisis_tasks")
    with op.batch_alter_table("crisis_incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crisis_incidents_incident_id"))
        batch_op.drop_index(batch_op.f("ix_crisis_incidents_crisis_id"))
    op.drop_table("crisis_incidents")
    with op.batch_alter_table("crisis_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_crisis_entries_crisis_at")
    op.drop_table("crisis_entries")
    with op.batch_alter_table("capability_holdings", schema=None) as batch_op:
        batch_op.drop_index("ix_capability_holdings_code_owner")
    op.drop_table("capability_holdings")
    with op.batch_alter_table("assistance_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_assistance_requests_status_posted")
        batch_op.drop_index("ix_assistance_requests_crisis")
    op.drop_table("assistance_requests")
    op.drop_table("sitrep_cadences")
    with op.batch_alter_table("crises", schema=None) as batch_op:
        batch_op.drop_index("ix_crises_level_opened")
    op.drop_table("crises")
    op.drop_table("capability_types")
    with op.batch_alter_table("member_states") as batch_op:
        batch_op.drop_column("population")
