"""Every table of the app, imported in one place (for create_all and migrations)."""
from .audit.models import AuditEvent  # noqa: F401
from .auth.models import ActivationCode, IdentityCheck, User, UserRole  # noqa: F401
from .cases.models import Attachment, AttachmentContent, Case, CaseCounter, CaseEvent, DefinitionSnapshot, Submission  # noqa: F401
from .drafts.models import Draft  # noqa: F401
from .outbox.models import OutboxMessage  # noqa: F401
from .previews.models import Preview  # noqa: F401
from .receipts.models import OfficeCertificate, Receipt  # noqa: F401
