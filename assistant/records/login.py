"""Sign-in with rate limiting and lockout kept in the shared database, so every app server sees it.

>>> from assistant.records import Records
>>> records = Records.open("sqlite://")
>>> _ = records.users.add("alice", "a long password")
>>> records.login.check("alice", "a long password", client="10.0.0.7")
True
>>> [records.login.check("alice", "guess", client="10.0.0.7") for _ in range(5)][-1]
False
>>> records.login.check("alice", "a long password", client="10.0.0.7")  # locked for 15 minutes now
False

Every refusal costs the same scrypt work whether or not the name exists, so timing does not tell
which names are accounts; every failure and lockout goes to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from assistant.records.audit import AuditLog
from assistant.records.db import Database
from assistant.records.passwords import DUMMY_HASH, check_password
from assistant.records.tables import lockouts, login_failures, users, utcnow

MAX_KEPT_CHARS = 255  # of a typed user name or a client address, as recorded


@dataclass(frozen=True)
class LoginPolicy:
    user_failures: int = 5  # failed logins for one user name within `window` lock that name...
    client_failures: int = 20  # ...and this many from one client (address) lock the client, whatever names it tries
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class LoginOutcome:
    ok: bool
    locked_until: datetime | None = None  # set when refused because of a lockout


class LoginGuard:
    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        policy: LoginPolicy | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.audit = audit
        self.policy = policy or LoginPolicy()
        self.clock = clock

    def check(self, username: str, password: str, client: str = "") -> bool:
        """True if the password is right and neither the user name nor the client is locked out."""
        return self.attempt(username, password, client).ok

    def attempt(self, username: str, password: str, client: str = "") -> LoginOutcome:
        name, client = username[:MAX_KEPT_CHARS], client[:MAX_KEPT_CHARS]
        now = self.clock()
        with self.db.read() as conn:
            locked_until = self._locked_until(conn, name, client, now)
            stored = conn.execute(sa.select(users.c.password_hash).where(users.c.name == username)).scalar()
        if locked_until is not None:
            self.audit.record("login.failed", name, f"from {client or 'unknown client'}: locked out")
            return LoginOutcome(False, locked_until)
        if check_password(password, stored or DUMMY_HASH) and stored is not None:
            with self.db.write() as conn:  # a success starts the user's count afresh
                conn.execute(login_failures.delete().where(login_failures.c.user_name == name))
            return LoginOutcome(True)
        self._failed(name, client, now, known=stored is not None)
        return LoginOutcome(False)

    def unlock(self, username: str, actor: str = "") -> None:
        """An admin lifts a user's lockout early."""
        with self.db.write() as conn:
            conn.execute(lockouts.delete().where(lockouts.c.kind == "user", lockouts.c.subject == username))
            conn.execute(login_failures.delete().where(login_failures.c.user_name == username))
            self.audit.record("login.unlocked", actor, f"user {username}", conn)

    def _locked_until(self, conn: sa.Connection, name: str, client: str, now: datetime) -> datetime | None:
        subjects = [sa.and_(lockouts.c.kind == "user", lockouts.c.subject == name)]
        if client:
            subjects.append(sa.and_(lockouts.c.kind == "client", lockouts.c.subject == client))
        query = sa.select(sa.func.max(lockouts.c.until)).where(sa.or_(*subjects), lockouts.c.until > now)
        until: datetime | None = conn.execute(query).scalar()
        return until

    def _failed(self, name: str, client: str, now: datetime, known: bool) -> None:
        policy = self.policy
        with self.db.write() as conn:
            conn.execute(login_failures.insert().values(created_at=now, user_name=name, client=client))
            who = "" if known else " (no such user)"
            self.audit.record("login.failed", name, f"from {client or 'unknown client'}{who}", conn)
            checks = [("user", name, login_failures.c.user_name, policy.user_failures)]
            if client:
                checks.append(("client", client, login_failures.c.client, policy.client_failures))
            for kind, subject, column, limit in checks:
                # Count since the window began, or since this subject's last lockout ended if later.
                last_end = conn.execute(
                    sa.select(sa.func.max(lockouts.c.until)).where(
                        lockouts.c.kind == kind, lockouts.c.subject == subject, lockouts.c.until <= now
                    )
                ).scalar()
                since = max(now - policy.window, last_end or now - policy.window)
                count = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(login_failures)
                    .where(column == subject, login_failures.c.created_at > since)
                ).scalar_one()
                if count >= limit:
                    until = now + policy.lockout
                    conn.execute(lockouts.insert().values(kind=kind, subject=subject, until=until, created_at=now))
                    minutes = int(policy.lockout.total_seconds() // 60)
                    detail = f"{kind} {subject} locked for {minutes} minutes after {count} failed logins"
                    self.audit.record("login.locked", subject if kind == "user" else "", detail, conn)
