"""Every table of the app, imported in one place (for create_all and migrations)."""
from .auth.models import ActivationCode, AuditEvent, IdentityCheck, User, UserRole  # noqa: F401
from .cases.models import Case, CaseCounter, CaseEvent, DefinitionSnapshot, Draft, Submission  # noqa: F401
from .outbox.models import OutboxMessage  # noqa: F401
