"""Optional login for shared deployments: a file of users with scrypt-hashed passwords.

The file (`LMCS_AUTH_FILE`) is TOML:

    [users.alice]
    password = "scrypt$16384$8$1$<salt hex>$<hash hex>"
    admin = true          # may add documents in the UI

`lmcs user add alice --admin` writes an entry; passwords are never stored in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

N, R, P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


@dataclass(frozen=True)
class User:
    name: str
    password: str  # the hash
    admin: bool = False


class AuthFile:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        data = tomllib.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
        self.users = {
            name: User(name, str(entry.get("password", "")), bool(entry.get("admin", False)))
            for name, entry in data.get("users", {}).items()
        }

    def check(self, username: str, password: str) -> bool:
        user = self.users.get(username)
        return user is not None and check_password(password, user.password)

    def is_admin(self, username: str | None) -> bool:
        user = self.users.get(username or "")
        return bool(user and user.admin)

    def add(self, name: str, password: str, admin: bool = False) -> None:
        if not name or any(c in name for c in "[]\"'.= \n"):
            raise ValueError("a user name is letters, digits, - and _ only")
        self.users[name] = User(name, hash_password(password), admin)
        lines = []
        for user in self.users.values():
            lines += [f"[users.{user.name}]", f'password = "{user.password}"', f"admin = {str(user.admin).lower()}", ""]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("\n".join(lines), encoding="utf-8")
        self.path.chmod(0o600)
