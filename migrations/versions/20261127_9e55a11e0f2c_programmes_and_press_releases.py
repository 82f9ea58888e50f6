"""chairmanship programmes and press releases

Revision ID: 9e55a11e0f2c
Revises: 8b430ae71223
Create Date: 2026-11-27 09:40:00

The chair's programme (priorities, activities with typed links to what advanced them) and the
joint press centre's releases (texts per language with their own review, the history of the
review, images kept as blobs).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import accord.models.base

revision: str = "9e55a11e0f2c"
down_revision: str | None = "8b430ae71223"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _marked() -> list[sa.Column]:
    return [
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "programmes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("motto", sa.JSON(), nullable=False),
        *_marked(),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
        sa.UniqueConstraint("year", name=op.f("uq_programmes_year")),
    )
    op.create_table(
        "programme_priorities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.Column("area", sa.String(length=16), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_programme_priorities_programme_id_programmes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_priorities")),
    )
    with op.batch_alter_table("programme_priorities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_priorities_programme_id"), ["programme_id"], unique=False
        )
    op.create_table(
        "programme_activities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("priority_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.Column("owner_body", sa.String(length=32), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("carried_from", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carried_from"],
            ["programme_activities.id"],
            name=op.f("fk_programme_activities_carried_from_programme_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["programme_priorities.id"],
            name=op.f("fk_programme_activities_priority_id_programme_priorities"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_programme_activities_programme_id_programmes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_activities")),
    )
    with op.batch_alter_table("programme_activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_activities_priority_id"), ["priority_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_programme_activities_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "press_releases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        *_marked(),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_press_releases")),
    )
    with op.batch_alter_table("press_releases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_press_releases_updated_at"), ["updated_at"], unique=False
        )
    op.create_table(
        "press_release_texts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("release_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("written_by", sa.String(length=64), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("published_at", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["press_releases.id"],
            name=op.f("fk_press_release_texts_release_id_press_releases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_press_release_texts")),
        sa.UniqueConstraint("release_id", "language", name="release_language"),
    )
    with op.batch_alter_table("press_release_texts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_press_release_texts_published",
            ["language", "status", "published_at"],
            unique=False,
        )
    op.create_table(
        "press_release_steps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("release_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["press_releases.id"],
            name=op.f("fk_press_release_steps_release_id_press_releases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_press_release_steps")),
    )
    with op.batch_alter_table("press_release_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_press_release_steps_release_id"), ["release_id"], unique=False
        )
    op.create_table(
        "press_images",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("release_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("alt", sa.String(length=300), nullable=False),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["press_releases.id"],
            name=op.f("fk_press_images_release_id_press_releases"),
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blobs.sha256"], name=op.f("fk_press_images_sha256_blobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_press_images")),
    )
    with op.batch_alter_table("press_images", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_press_images_release_id"), ["release_id"], unique=False
        )


def downgrade() -> None:
    for table in (
        "press_images",
        "press_release_steps",
        "press_release_texts",
        "press_releases",
        "programme_activities",
        "programme_priorities",
        "programmes",
    ):
        op.drop_table(table)
