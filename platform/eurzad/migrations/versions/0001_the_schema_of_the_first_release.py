"""The schema of the first release: every table as `create_all` made it before there were migrations.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from eurzad.auth.models import _can_use_trigrams

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES_CHILDREN_FIRST = (
    "outbox_messages", "receipts", "attachments", "chain_seal_heads", "case_numbers", "case_events", "cases",
    "user_roles", "submissions", "previews", "identity_checks", "drafts", "audit_events", "activation_codes",
    "users", "office_certificates", "definition_snapshots", "chain_seals", "case_counters",
)


def upgrade():
    op.create_table(
        "case_counters",
        sa.Column("department", sa.String(length=16), nullable=False),
        sa.Column("jrwa", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("department", "jrwa", "year", name=op.f("pk_case_counters")),
    )
    op.create_table(
        "chain_seals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("previous", sa.String(length=64), nullable=False),
        sa.Column("heads_sha256", sa.String(length=64), nullable=False),
        sa.Column("heads", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_seals")),
        sa.UniqueConstraint("digest", name=op.f("uq_chain_seals_digest")),
        sa.UniqueConstraint("previous", name=op.f("uq_chain_seals_previous")),
    )
    op.create_table(
        "definition_snapshots",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_definition_snapshots")),
    )
    op.create_table(
        "office_certificates",
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("pem", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=400), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=False),
        sa.Column("not_after", sa.DateTime(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_office_certificates")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_office_certificates_fingerprint")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("department", sa.String(length=16), nullable=True),
        sa.Column("pesel", sa.String(length=11), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("address", sa.JSON(), nullable=True),
        sa.Column("registration_code", sa.String(length=12), nullable=True),
        sa.Column("registration_expires_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("pesel", name=op.f("uq_users_pesel")),
        sa.UniqueConstraint("registration_code", name=op.f("uq_users_registration_code")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_department"), ["department"], unique=False)

    op.create_table(
        "activation_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_activation_codes_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activation_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_activation_codes_code_hash")),
    )
    with op.batch_alter_table("activation_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activation_codes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users")),
        sa.ForeignKeyConstraint(["subject_id"], ["users.id"], name=op.f("fk_audit_events_subject_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "drafts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("visited", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_drafts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
    )
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drafts_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_drafts_user_id"), ["user_id"], unique=False)

    op.create_table(
        "identity_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("document_type", sa.String(length=30), nullable=True),
        sa.Column("document_suffix", sa.String(length=4), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("checked_by", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["checked_by"], ["users.id"], name=op.f("fk_identity_checks_checked_by_users")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_identity_checks_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_checks")),
    )
    with op.batch_alter_table("identity_checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_checks_user_id"), ["user_id"], unique=False)

    op.create_table(
        "previews",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("visited", sa.JSON(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_previews_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_previews")),
    )
    with op.batch_alter_table("previews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_previews_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_previews_user_id"), ["user_id"], unique=False)

    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("definition_sha256", sa.String(length=64), nullable=False),
        sa.Column("data_json", sa.Text(), nullable=False),
        sa.Column("data_sha256", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("submitter_id", sa.Integer(), nullable=True),
        sa.Column("identified_by", sa.String(length=20), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("supplements_id", sa.Integer(), nullable=True),
        sa.Column("draft_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["definition_sha256"],
            ["definition_snapshots.sha256"],
            name=op.f("fk_submissions_definition_sha256_definition_snapshots"),
        ),
        sa.ForeignKeyConstraint(["submitter_id"], ["users.id"], name=op.f("fk_submissions_submitter_id_users")),
        sa.ForeignKeyConstraint(
            ["supplements_id"], ["submissions.id"], name=op.f("fk_submissions_supplements_id_submissions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint("draft_id", name=op.f("uq_submissions_draft_id")),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submissions_form_id"), ["form_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_submissions_submitter_id"), ["submitter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_submissions_supplements_id"), ["supplements_id"], unique=False)

    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_roles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_roles")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("department", sa.String(length=16), nullable=False),
        sa.Column("jrwa", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("workflow", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("routing", sa.JSON(), nullable=False),
        sa.Column("tracking_digest", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("applicant_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["users.id"], name=op.f("fk_cases_applicant_id_users")),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"], name=op.f("fk_cases_assignee_id_users")),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name=op.f("fk_cases_submission_id_submissions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("department", "jrwa", "year", "seq", name=op.f("uq_cases_department_jrwa_year_seq")),
        sa.UniqueConstraint("number", name=op.f("uq_cases_number")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_cases_submission_id")),
        sa.UniqueConstraint("tracking_digest", name=op.f("uq_cases_tracking_digest")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_cases_department_applicant_id", ["department", "applicant_id"], unique=False)
        batch_op.create_index(
            "ix_cases_department_assignee_id_due_on", ["department", "assignee_id", "due_on", "id"], unique=False
        )
        batch_op.create_index(
            "ix_cases_department_assignee_id_state", ["department", "assignee_id", "state"], unique=False
        )
        batch_op.create_index("ix_cases_department_created_at", ["department", "created_at", "id"], unique=False)
        batch_op.create_index("ix_cases_department_due_on", ["department", "due_on", "id"], unique=False)
        batch_op.create_index("ix_cases_department_state", ["department", "state"], unique=False)

    op.create_table(
        "case_events",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("prev_sha256", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_case_events_actor_id_users")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
        sa.UniqueConstraint("prev_sha256", name=op.f("uq_case_events_prev_sha256")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_events_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_events_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("department", sa.String(length=16), nullable=False),
        sa.Column("jrwa", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_numbers_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_numbers")),
        sa.UniqueConstraint("department", "jrwa", "year", "seq", name=op.f("uq_case_numbers_department_jrwa_year_seq")),
        sa.UniqueConstraint("number", name=op.f("uq_case_numbers_number")),
    )
    with op.batch_alter_table("case_numbers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_numbers_case_id"), ["case_id"], unique=False)

    op.create_table(
        "chain_seal_heads",
        sa.Column("seal_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_chain_seal_heads_case_id_cases")),
        sa.ForeignKeyConstraint(["seal_id"], ["chain_seals.id"], name=op.f("fk_chain_seal_heads_seal_id_chain_seals")),
        sa.PrimaryKeyConstraint("seal_id", "case_id", name=op.f("pk_chain_seal_heads")),
    )
    with op.batch_alter_table("chain_seal_heads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chain_seal_heads_case_id"), ["case_id"], unique=False)

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("draft_id", sa.String(length=32), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["drafts.id"], name=op.f("fk_attachments_draft_id_drafts"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["event_id"], ["case_events.id"], name=op.f("fk_attachments_event_id_case_events")),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name=op.f("fk_attachments_submission_id_submissions")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_attachments_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_draft_id"), ["draft_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachments_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachments_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachments_submission_id"), ["submission_id"], unique=False)

    op.create_table(
        "receipts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=3), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("content_json", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_receipts_case_id_cases")),
        sa.ForeignKeyConstraint(["event_id"], ["case_events.id"], name=op.f("fk_receipts_event_id_case_events")),
        sa.ForeignKeyConstraint(
            ["key_id"], ["office_certificates.key_id"], name=op.f("fk_receipts_key_id_office_certificates")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name=op.f("fk_receipts_submission_id_submissions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
        sa.UniqueConstraint("event_id", name=op.f("uq_receipts_event_id")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_receipts_submission_id")),
    )
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipts_case_id"), ["case_id"], unique=False)

    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("failed_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("receipt_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["receipt_id"], ["receipts.id"], name=op.f("fk_outbox_messages_receipt_id_receipts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_messages_next_attempt_at"), ["next_attempt_at"], unique=False)
    # The inbox's search by a word of a name (decision 0033): a trigram index where PostgreSQL has pg_trgm.
    if _can_use_trigrams(op.get_bind()):
        op.execute("CREATE INDEX ix_users_full_name_trigrams ON users USING gin (lower(full_name) gin_trgm_ops)")


def downgrade():
    # Dropping a table drops its indexes; children before their parents.
    op.execute("DROP INDEX IF EXISTS ix_users_full_name_trigrams")
    for table in TABLES_CHILDREN_FIRST:
        op.drop_table(table)
