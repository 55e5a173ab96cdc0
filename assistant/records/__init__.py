"""Shared records on one database: feedback, the question log, users, the audit log, login lockouts.

See README.md beside this file for what is kept, for how long, and how to back it up.
"""

from assistant.records.audit import ACTIONS, AuditEvent, AuditLog
from assistant.records.db import Database, default_url
from assistant.records.feedback import Feedback, FeedbackLog
from assistant.records.legacy import ImportReport
from assistant.records.login import LoginGuard, LoginOutcome, LoginPolicy
from assistant.records.questions import LoggedQuestion, QuestionLog
from assistant.records.retention import PurgeResult
from assistant.records.service import Records
from assistant.records.users import NAME_RULE, User, UserError, Users, check_name

__all__ = [
    "ACTIONS",
    "NAME_RULE",
    "AuditEvent",
    "AuditLog",
    "Database",
    "Feedback",
    "FeedbackLog",
    "ImportReport",
    "LoggedQuestion",
    "LoginGuard",
    "LoginOutcome",
    "LoginPolicy",
    "PurgeResult",
    "QuestionLog",
    "Records",
    "User",
    "UserError",
    "Users",
    "check_name",
    "default_url",
]
