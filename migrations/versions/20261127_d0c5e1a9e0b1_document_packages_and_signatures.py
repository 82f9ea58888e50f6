"""document packages, authentic texts, signature slots, signatures and signatory keys

Revision ID: d0c5e1a9e0b1
Revises: 8b430ae71223
Create Date: 2026-11-27 10:00:00

Packages point at the council's session and documents at its decision by id only (indexed
UUIDs without a foreign key): the council's tables are created on another branch.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import accord.models.base

revision: str = "d0c5e1a9e0b1"
down_revision: str | None = "8b430ae71223"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_packages",
        sa.Column("session_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("signing_order", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_packages")),
    )
    with op.batch_alter_table("document_packages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_packages_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "documents",
        sa.Column("package_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("decision_id", sa.Uuid(), nullable=True),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("classification", accord.models.base.ClassificationLevel(), nullable=False),
        sa.Column("releasable_to", accord.models.base.StateList(length=2000), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("in_force_at", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["document_packages.id"],
            name=op.f("fk_documents_package_id_document_packages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_decision_id"), ["decision_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_package_id"), ["package_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_status"), ["status"], unique=False)

    op.create_table(
        "signing_keys",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=3), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("valid_from", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_signing_keys_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_keys")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_signing_keys_fingerprint")),
    )
    with op.batch_alter_table("signing_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signing_keys_user_id"), ["user_id"], unique=False)

    op.create_table(
        "document_versions",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("manifest", sa.LargeBinary(), nullable=True),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("agreed_at", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("opened_at", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("in_force_at", accord.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_versions_document_id_documents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_versions")),
        sa.UniqueConstraint("document_id", "number", name=op.f("uq_document_versions_document_id")),
    )
    with op.batch_alter_table("document_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_versions_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "document_certified_copies",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=3), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_certified_copies_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["document_versions.id"],
            name=op.f("fk_document_certified_copies_version_id_document_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_certified_copies")),
    )
    with op.batch_alter_table("document_certified_copies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_certified_copies_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "document_signature_slots",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=3), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["document_versions.id"],
            name=op.f("fk_document_signature_slots_version_id_document_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_signature_slots")),
        sa.UniqueConstraint(
            "version_id", "state", name=op.f("uq_document_signature_slots_version_id")
        ),
    )
    with op.batch_alter_table("document_signature_slots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_signature_slots_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "document_texts",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["document_versions.id"],
            name=op.f("fk_document_texts_version_id_document_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_texts")),
        sa.UniqueConstraint("version_id", "language", name=op.f("uq_document_texts_version_id")),
    )
    with op.batch_alter_table("document_texts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_texts_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "document_signatures",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("slot_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=3), nullable=False),
        sa.Column("signer", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.Uuid(), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("signed_at", accord.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"], ["signing_keys.id"], name=op.f("fk_document_signatures_key_id_signing_keys")
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["document_signature_slots.id"],
            name=op.f("fk_document_signatures_slot_id_document_signature_slots"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["document_versions.id"],
            name=op.f("fk_document_signatures_version_id_document_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_signatures")),
        sa.UniqueConstraint("version_id", "state", name=op.f("uq_document_signatures_version_id")),
    )
    with op.batch_alter_table("document_signatures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_signatures_key_id"), ["key_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_document_signatures_version_id"), ["version_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("document_signatures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_signatures_version_id"))
        batch_op.drop_index(batch_op.f("ix_document_signatures_key_id"))

    op.drop_table("document_signatures")
    with op.batch_alter_table("document_texts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_texts_version_id"))

    op.drop_table("document_texts")
    with op.batch_alter_table("document_signature_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_signature_slots_version_id"))

    op.drop_table("document_signature_slots")
    with op.batch_alter_table("document_certified_copies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_certified_copies_document_id"))

    op.drop_table("document_certified_copies")
    with op.batch_alter_table("document_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_versions_document_id"))

    op.drop_table("document_versions")
    with op.batch_alter_table("signing_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signing_keys_user_id"))

    op.drop_table("signing_keys")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_status"))
        batch_op.drop_index(batch_op.f("ix_documents_package_id"))
        batch_op.drop_index(batch_op.f("ix_documents_decision_id"))

    op.drop_table("documents")
    with op.batch_alter_table("document_packages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_packages_session_id"))

    op.drop_table("document_packages")
