"""Several app hosts (decision 0041): the content of attached files by digest, and the outbox workers' claims.

`attachment_contents` gets a row (no content: the files stay in ATTACHMENTS_DIR) for every digest the
`attachments` table names, so that `eurzad attachments purge` knows them once their drafts are gone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attachment_contents",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment_contents")),
    )
    with op.batch_alter_table("attachment_contents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_contents_stored_at"), ["stored_at"], unique=False)
    now = datetime.now(UTC).replace(tzinfo=None)  # stored times are naive UTC (timeutil.utcnow)
    op.get_bind().execute(sa.text(
        "INSERT INTO attachment_contents (sha256, size, content, stored_at) "
        "SELECT sha256, MAX(size), NULL, :now FROM attachments GROUP BY sha256"), {"now": now})

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("claimed_until", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("claimed_by")
    with op.batch_alter_table("attachment_contents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_contents_stored_at"))
    op.drop_table("attachment_contents")
