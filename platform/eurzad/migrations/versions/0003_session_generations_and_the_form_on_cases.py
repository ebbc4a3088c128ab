"""Session generations on users (logout ends every session, decision 0042); the filing's form kept on cases for
the inbox's form filter, filled in from each case's filing, with its index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("cases") as batch_op:
        batch_op.add_column(sa.Column("form_id", sa.String(length=64), nullable=True))
    op.execute("UPDATE cases SET form_id = (SELECT s.form_id FROM submissions s WHERE s.id = cases.submission_id)")
    with op.batch_alter_table("cases") as batch_op:
        batch_op.alter_column("form_id", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index("ix_cases_department_form_id_created_at", ["department", "form_id", "created_at", "id"])


def downgrade():
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_index("ix_cases_department_form_id_created_at")
        batch_op.drop_column("form_id")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("session_generation")
