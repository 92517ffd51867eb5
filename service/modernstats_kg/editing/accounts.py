"""Users, their roles, passwords and API tokens, kept in `accounts.sqlite` in the on-disk store's folder.

One SQLite file in WAL mode with `synchronous=FULL`: several server processes (uvicorn workers) and the `mskg`
command share it, and a change is on disk before the call that made it returns. Passwords and tokens are kept only
as argon2 hashes (argon2-cffi). A token reads `mskg_<id>_<secret>`: the id finds its row without trying every hash,
the secret is checked against that row's hash. Nothing here puts a password, a token or a hash into a message,
a log line or a repr.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..settings import MEMORY

ACCOUNTS_FILE = "accounts.sqlite"
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
# the short code of a statistical organisation, as used in its IRI and its tasks' IRIs (editing.organizations)
ORGANIZATION_CODE = re.compile(r"[a-z][a-z0-9-]{1,31}")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
TOKEN_PREFIX = "mskg"
_TOKEN_PATTERN = re.compile(rf"{TOKEN_PREFIX}_([0-9a-f]{{16}})_([A-Za-z0-9_-]{{43}})")

_hasher = PasswordHasher()

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('editor', 'reviewer', 'admin')),
    password_hash TEXT NOT NULL,
    created_at REAL NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    last_failed_at REAL NOT NULL DEFAULT 0,
    organization TEXT
);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_by_user ON tokens(user_name);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions(expires_at);
"""


class AccountError(Exception):
    """A request the accounts cannot satisfy (unknown user, a name taken, a bad name, role or password); the message
    is one line for a person and never holds a secret."""


class AccountsUnavailable(AccountError):
    """The service runs without a data folder (in memory, or on a remote SPARQL server): there are no accounts."""


class Role(StrEnum):
    """Each role can do what the roles before it can."""

    EDITOR = "editor"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def includes(self, other: Role) -> bool:
        return self.rank >= other.rank

    @classmethod
    def parse(cls, text: str) -> Role:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise AccountError(f"unknown role {text!r}: choose one of {', '.join(r.value for r in cls)}") from None


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    created_at: float
    tokens: int = 0  # how many API tokens the user has (counted by `users()` only)
    organization: str | None = None  # the code of the statistical organisation the account acts for, if any

    def can(self, role: Role) -> bool:
        return self.role.includes(role)


@dataclass(frozen=True)
class LoginFailures:
    """Failed logins of one account since its last success: how many, and when the last one was (epoch seconds)."""

    count: int
    last_at: float


def accounts_folder(store: str) -> Path | None:
    """The folder that holds the accounts of a service whose store is `store` (the `--store` value); None for the
    in-memory store and for a remote SPARQL endpoint."""
    if store == MEMORY or store.startswith(("http://", "https://")):
        return None
    return Path(store)


def no_accounts_message(store: str) -> str:
    where = "in memory" if store == MEMORY else "on a remote SPARQL server"
    return (
        f"accounts need a durable store, and this service runs {where}: add users with "
        "`mskg users add NAME --role editor --store DIR`, then start the service with `mskg serve --store DIR` "
        "(or MSKG_STORE=DIR)"
    )


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name):
        raise AccountError(
            f"invalid user name {name!r}: use 1 to 64 letters, digits or . _ @ -, starting with a letter or digit"
        )
    return name


def check_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError(f"a password needs {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters")
    return password


def check_organization_code(code: str) -> str:
    if not ORGANIZATION_CODE.fullmatch(code):
        raise AccountError(
            f"invalid organisation code {code!r}: 2 to 32 lower-case letters, digits or -, starting with a letter"
        )
    return code


def _hash_matches(stored_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


_dummy_hash: str | None = None


def _spend_a_verification(secret: str) -> None:
    """Verify against a throwaway hash, so an unknown user name takes as long to refuse as a wrong password."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))
    _hash_matches(_dummy_hash, secret)


def _fingerprint(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


class AccountStore:
    """The accounts of one data folder. Thread-safe: one connection, used under a lock; hashing runs outside it."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        # token id -> (stored hash, sha256 of the secret that matched it): a token already checked against the same
        # stored hash costs one SHA-256 instead of one argon2 verification; a revoked token has no row, so no hit.
        self._verified_tokens: dict[str, tuple[str, bytes]] = {}
        created = not path.exists()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
            if created:
                os.chmod(path, 0o600)
            for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
                self._db.execute(f"PRAGMA {pragma}")
            self._db.executescript(SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(users)")}
            if "organization" not in columns:  # an accounts file made before accounts acted for organisations
                self._db.execute("ALTER TABLE users ADD COLUMN organization TEXT")
        except (OSError, sqlite3.Error) as exc:
            raise AccountError(f"cannot open the accounts at {path}: {exc}") from exc

    @classmethod
    def in_folder(cls, folder: Path) -> AccountStore:
        return cls(folder / ACCOUNTS_FILE)

    def __repr__(self) -> str:
        return f"AccountStore({str(self.path)!r})"

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT), committed to disk when the block ends."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def fetch(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # --- users ------------------------------------------------------------------------------------------------------

    def add_user(self, name: str, role: Role, password: str, organization: str | None = None) -> User:
        """Add a user; `organization` is the code of the statistical organisation it acts for (tasks it submits
        are attributed to that organisation)."""
        check_name(name)
        if organization is not None:
            check_organization_code(organization)
        password_hash = _hasher.hash(check_password(password))
        now = time.time()
        try:
            with self.transaction() as db:
                db.execute(
                    "INSERT INTO users (name, role, password_hash, created_at, organization) VALUES (?, ?, ?, ?, ?)",
                    (name, role.value, password_hash, now, organization),
                )
        except sqlite3.IntegrityError:
            raise AccountError(f"user {name!r} already exists (remove it first to change its role)") from None
        return User(name, role, now, organization=organization)

    def set_organization(self, name: str, organization: str | None) -> None:
        """Make the user act for another organisation (None: for none)."""
        if organization is not None:
            check_organization_code(organization)
        with self.transaction() as db:
            if db.execute("UPDATE users SET organization = ? WHERE name = ?", (organization, name)).rowcount == 0:
                raise AccountError(f"no user {name!r}")

    def remove_user(self, name: str) -> None:
        """Remove the user with its tokens and sessions."""
        with self.transaction() as db:
            if db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 0:
                raise AccountError(f"no user {name!r}")

    def user(self, name: str) -> User | None:
        rows = self.fetch("SELECT name, role, created_at, organization FROM users WHERE name = ?", name)
        return User(rows[0][0], Role(rows[0][1]), rows[0][2], organization=rows[0][3]) if rows else None

    def users(self) -> list[User]:
        rows = self.fetch(
            "SELECT u.name, u.role, u.created_at, COUNT(t.id), u.organization FROM users u "
            "LEFT JOIN tokens t ON t.user_name = u.name GROUP BY u.name ORDER BY u.name"
        )
        return [User(name, Role(role), created, tokens, org) for name, role, created, tokens, org in rows]

    def check_password(self, name: str, password: str) -> User | None:
        """The user, when `password` is theirs; None otherwise (unknown users take as long as wrong passwords)."""
        rows = self.fetch("SELECT password_hash FROM users WHERE name = ?", name)
        if not rows:
            _spend_a_verification(password)
            return None
        stored_hash: str = rows[0][0]
        if not _hash_matches(stored_hash, password):
            return None
        if _hasher.check_needs_rehash(stored_hash):
            with self.transaction() as db:
                db.execute("UPDATE users SET password_hash = ? WHERE name = ?", (_hasher.hash(password), name))
        return self.user(name)

    # --- failed logins (the per-account part of the throttle, shared by every process) -------------------------------

    def login_failures(self, name: str) -> LoginFailures:
        rows = self.fetch("SELECT failed_logins, last_failed_at FROM users WHERE name = ?", name)
        return LoginFailures(rows[0][0], rows[0][1]) if rows else LoginFailures(0, 0.0)

    def record_login_failure(self, name: str, now: float, forget_after_s: float) -> None:
        """Count one more failure; failures older than `forget_after_s` are forgotten first."""
        with self.transaction() as db:
            db.execute(
                "UPDATE users SET failed_logins = CASE WHEN ? - last_failed_at > ? THEN 1 ELSE failed_logins + 1 END, "
                "last_failed_at = ? WHERE name = ?",
                (now, forget_after_s, now, name),
            )

    def clear_login_failures(self, name: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE users SET failed_logins = 0, last_failed_at = 0 WHERE name = ?", (name,))

    # --- API tokens --------------------------------------------------------------------------------------------------

    def create_token(self, name: str) -> str:
        """A new token for `name`, returned this once: only its hash is kept."""
        if self.user(name) is None:
            raise AccountError(f"no user {name!r}")
        token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        secret_hash = _hasher.hash(secret)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO tokens (id, user_name, secret_hash, created_at) VALUES (?, ?, ?, ?)",
                (token_id, name, secret_hash, time.time()),
            )
        return f"{TOKEN_PREFIX}_{token_id}_{secret}"

    def revoke_tokens(self, name: str) -> int:
        """Revoke every token of `name`; how many there were."""
        if self.user(name) is None:
            raise AccountError(f"no user {name!r}")
        with self.transaction() as db:
            return int(db.execute("DELETE FROM tokens WHERE user_name = ?", (name,)).rowcount)

    def user_for_token(self, token: str) -> User | None:
        """The user a valid token belongs to; None for a malformed, unknown, revoked or wrong token."""
        match = _TOKEN_PATTERN.fullmatch(token)
        if match is None:
            return None
        token_id, secret = match.groups()
        rows = self.fetch(
            "SELECT t.secret_hash, u.name, u.role, u.created_at, u.organization FROM tokens t "
            "JOIN users u ON u.name = t.user_name WHERE t.id = ?",
            token_id,
        )
        if not rows:
            return None
        stored_hash, name, role, created, organization = rows[0]
        known = self._verified_tokens.get(token_id)
        fingerprint = _fingerprint(secret)
        if known is not None and known[0] == stored_hash:
            matches = hmac.compare_digest(known[1], fingerprint)
        else:
            matches = _hash_matches(stored_hash, secret)
            if matches:
                if len(self._verified_tokens) > 10_000:
                    self._verified_tokens.clear()
                self._verified_tokens[token_id] = (stored_hash, fingerprint)
        return User(name, Role(role), created, organization=organization) if matches else None
