"""scrypt password hashes in the format the old users.toml used, so its hashes still verify.

>>> stored = hash_password("correct horse")
>>> stored.startswith("scrypt$16384$8$1$"), check_password("correct horse", stored), check_password("wrong", stored)
(True, True, False)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1
# Checked against when the user name is unknown, so a refusal costs the same scrypt work either way
# and the time taken does not tell which names exist.
DUMMY_HASH = f"scrypt${N}${R}${P}${'00' * 16}${'00' * 32}"


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
