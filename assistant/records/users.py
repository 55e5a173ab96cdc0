"""Who may sign in: names and scrypt password hashes, shared by every app server.

Names are 3–64 characters of letters, digits, `-`, `_` and `.`; "Alice" and "alice" cannot both
exist. Checking a password here has no rate limit: sign-ins go through `login.LoginGuard`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from assistant.records.audit import AuditLog
from assistant.records.db import Database
from assistant.records.passwords import DUMMY_HASH, check_password, hash_password
from assistant.records.tables import users, utcnow

NAME = re.compile(r"[A-Za-z0-9._-]{3,64}")
NAME_RULE = "a user name is 3 to 64 characters: letters a-z or A-Z, digits, '-', '_' and '.'"


class UserError(ValueError):
    """A clear refusal to show the admin: bad name, name taken, no such user."""


@dataclass(frozen=True)
class User:
    name: str
    admin: bool
    created_at: datetime


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise UserError(f"{name!r} is not allowed: {NAME_RULE}")
    return name


class Users:
    def __init__(self, db: Database, audit: AuditLog) -> None:
        self.db = db
        self.audit = audit

    def add(self, name: str, password: str, admin: bool = False, actor: str = "") -> User:
        return self.add_hashed(check_name(name), hash_password(password), admin, actor)

    def add_hashed(self, name: str, password_hash: str, admin: bool = False, actor: str = "") -> User:
        """Add with a hash already made (an import of users.toml)."""
        check_name(name)
        user = User(name, admin, utcnow())
        try:
            with self.db.write() as conn:
                taken = conn.execute(sa.select(users.c.name).where(sa.func.lower(users.c.name) == name.lower()))
                if (existing := taken.scalar()) is not None:
                    raise UserError(f"there is already a user {existing!r}")
                conn.execute(
                    users.insert().values(
                        name=name, password_hash=password_hash, admin=admin, created_at=user.created_at
                    )
                )
                self.audit.record("user.added", actor, f"{name}{' (admin)' if admin else ''}", conn)
        except sa.exc.IntegrityError as err:  # another app server added the same name a moment ago
            raise UserError(f"there is already a user {name!r}") from err
        return user

    def set_password(self, name: str, password: str, actor: str = "") -> None:
        new_hash = hash_password(password)
        with self.db.write() as conn:
            done = conn.execute(users.update().where(users.c.name == name).values(password_hash=new_hash))
            if done.rowcount != 1:
                raise UserError(f"there is no user {name!r}")
            self.audit.record("user.password_changed", actor, name, conn)

    def remove(self, name: str, actor: str = "") -> None:
        with self.db.write() as conn:
            if conn.execute(users.delete().where(users.c.name == name)).rowcount != 1:
                raise UserError(f"there is no user {name!r}")
            self.audit.record("user.removed", actor, name, conn)

    def get(self, name: str) -> User | None:
        with self.db.read() as conn:
            row = conn.execute(sa.select(users.c.name, users.c.admin, users.c.created_at).where(users.c.name == name))
            found = row.first()
        return User(*found) if found else None

    def all_users(self) -> list[User]:
        with self.db.read() as conn:
            rows = conn.execute(sa.select(users.c.name, users.c.admin, users.c.created_at).order_by(users.c.name))
            return [User(*row) for row in rows]

    def count(self) -> int:
        with self.db.read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one())

    def is_admin(self, name: str | None) -> bool:
        user = self.get(name or "")
        return bool(user and user.admin)

    def verify(self, name: str, password: str) -> bool:
        """The password check alone, same scrypt work for an unknown name (no rate limit: see LoginGuard)."""
        with self.db.read() as conn:
            stored = conn.execute(sa.select(users.c.password_hash).where(users.c.name == name)).scalar()
        ok = check_password(password, stored or DUMMY_HASH)
        return ok and stored is not None
