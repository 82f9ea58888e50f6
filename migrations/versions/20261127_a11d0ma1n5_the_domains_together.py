"""the domains together

Revision ID: a11d0ma1n5
Revises: 57aff1b0d9e7, 5c4ed01e0b5a, 9e55a11e0f2c, c0c11a5e55a0, c415e5a55157, d0c5e1a9e0b1
Create Date: 2026-11-27 09:10:00

The crisis response, council, documents, press, programme, quota posts, budget, jobs and
notifications tables were added side by side, each from the incidents' schema; this revision
joins them so the schema has one head again. It changes nothing itself.
"""

from collections.abc import Sequence

revision: str = "a11d0ma1n5"
down_revision: str | Sequence[str] | None = (
    "57aff1b0d9e7",
    "5c4ed01e0b5a",
    "9e55a11e0f2c",
    "c0c11a5e55a0",
    "c415e5a55157",
    "d0c5e1a9e0b1",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
