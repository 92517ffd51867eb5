"""`mskg users` and `mskg tokens`, run as real processes over a real accounts file; what the file holds on disk."""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT
from modernstats_kg.editing.accounts import AccountStore
from test_cli import assert_clean_failure, mskg

PASSWORD = "correct horse battery"


def add(store: Path, name: str, role: str, password: str = PASSWORD) -> None:
    result = mskg(
        "users", "add", name, "--role", role, "--password-stdin", "--store", str(store), stdin=password + "\n"
    )
    assert result.returncode == 0, result.stderr
    assert password not in result.stdout + result.stderr


def listed(store: Path) -> dict[str, tuple[str, int]]:
    """name -> (role, tokens), parsed from `mskg users list`."""
    result = mskg("users", "list", "--store", str(store))
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split()[:3] == ["name", "role", "tokens"]
    return {cells[0]: (cells[1], int(cells[2])) for cells in (row.split() for row in rows)}


@pytest.mark.slow
def test_users_add_list_remove_and_tokens_create_revoke(tmp_path: Path) -> None:
    add(tmp_path, "alice", "editor")
    add(tmp_path, "rob", "reviewer")
    add(tmp_path, "ada", "admin")
    assert listed(tmp_path) == {"ada": ("admin", 0), "alice": ("editor", 0), "rob": ("reviewer", 0)}

    created = mskg("tokens", "create", "alice", "--store", str(tmp_path))
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert len(created.stdout.splitlines()) == 1 and token.startswith("mskg_")
    assert "shown once" in created.stderr and token not in created.stderr
    second = mskg("tokens", "create", "alice", "--store", str(tmp_path)).stdout.strip()
    assert second != token
    assert listed(tmp_path)["alice"] == ("editor", 2)
    accounts = AccountStore.in_folder(tmp_path)
    assert accounts.user_for_token(token) == accounts.user("alice")
    assert accounts.check_password("alice", PASSWORD) is not None
    assert accounts.check_password("alice", PASSWORD + "x") is None

    revoked = mskg("tokens", "revoke", "alice", "--store", str(tmp_path))
    assert revoked.returncode == 0 and "Revoked 2 tokens of alice" in revoked.stderr
    assert accounts.user_for_token(token) is None and accounts.user_for_token(second) is None  # seen by a live reader
    assert listed(tmp_path)["alice"] == ("editor", 0)

    removed = mskg("users", "remove", "rob", "--store", str(tmp_path))
    assert removed.returncode == 0, removed.stderr
    assert set(listed(tmp_path)) == {"ada", "alice"}
    assert accounts.check_password("rob", PASSWORD) is None


def test_store_from_the_environment(tmp_path: Path) -> None:
    env = {**os.environ, "MSKG_STORE": str(tmp_path)}
    command = [sys.executable, "-m", "modernstats_kg", "users", "add", "eve", "--role", "editor", "--password-stdin"]
    result = subprocess.run(command, input=PASSWORD + "\n", capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "eve" in listed(tmp_path)


def test_a_wrong_role_name_is_one_clear_line(tmp_path: Path) -> None:
    result = mskg("users", "add", "bob", "--role", "boss", "--password-stdin", "--store", str(tmp_path), stdin="x" * 9)
    assert_clean_failure(result, 1)
    assert "'boss'" in result.stderr and "editor, reviewer, admin" in result.stderr
    assert not (tmp_path / "accounts.sqlite").exists()


def test_without_a_store_folder_the_commands_say_how_to_give_one() -> None:
    for args in (["users", "list"], ["tokens", "create", "alice"], ["users", "remove", "alice"]):
        result = mskg(*args, "--store", "memory")
        assert_clean_failure(result, 1)
        assert "--store DIR" in result.stderr
    remote = mskg("users", "list", "--store", "http://127.0.0.1:9/sparql")
    assert_clean_failure(remote, 1)
    assert "remote SPARQL server" in remote.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "says"),
    [
        (["users", "add", "alice", "--role", "editor", "--password-stdin"], PASSWORD, "already exists"),
        (["users", "add", "bob", "--role", "editor", "--password-stdin"], "short", "8 to 1024 characters"),
        (["users", "add", "bad name", "--role", "editor", "--password-stdin"], PASSWORD, "invalid user name"),
        (["users", "remove", "nobody"], None, "no user 'nobody'"),
        (["tokens", "create", "nobody"], None, "no user 'nobody'"),
        (["tokens", "revoke", "nobody"], None, "no user 'nobody'"),
    ],
)
def test_user_errors_are_one_line(tmp_path: Path, args: list[str], stdin: str | None, says: str) -> None:
    add(tmp_path, "alice", "editor")
    result = mskg(*args, "--store", str(tmp_path), stdin=stdin)
    assert_clean_failure(result, 1)
    assert says in result.stderr
    assert PASSWORD not in result.stderr


@pytest.mark.slow
def test_the_password_prompt_hides_what_is_typed(tmp_path: Path) -> None:
    """Without --password-stdin the password is asked twice on the terminal, without echo."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: `mskg users add` on a real terminal
        os.chdir(PROJECT_ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "modernstats_kg", "users", "add", "tia", "--role", "admin",
                                  "--store", str(tmp_path)])  # fmt: skip
    screen = b""

    def read_until(marker: bytes) -> None:
        nonlocal screen
        deadline = time.monotonic() + 60
        while marker not in screen and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.5)[0]:
                try:
                    screen += os.read(fd, 1024)
                except OSError:
                    break
        assert marker in screen, screen

    read_until(b"Password:")
    os.write(fd, PASSWORD.encode() + b"\n")
    read_until(b"Repeat for confirmation:")
    os.write(fd, PASSWORD.encode() + b"\n")
    read_until(b"Added tia (admin)")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert PASSWORD.encode() not in screen
    assert AccountStore.in_folder(tmp_path).check_password("tia", PASSWORD) is not None


def test_the_accounts_file_holds_no_plain_secret(tmp_path: Path) -> None:
    add(tmp_path, "alice", "editor")
    token = mskg("tokens", "create", "alice", "--store", str(tmp_path)).stdout.strip()
    secret = token.split("_", 2)[2]  # mskg_<id>_<secret>
    files = sorted(tmp_path.glob("accounts.sqlite*"))
    assert files, "no accounts file"
    on_disk = b"".join(path.read_bytes() for path in files)
    for plain in (PASSWORD, token, secret):
        assert plain.encode() not in on_disk
    assert (tmp_path / "accounts.sqlite").stat().st_mode & 0o077 == 0  # readable by its owner only
    with sqlite3.connect(tmp_path / "accounts.sqlite") as db:
        (password_hash,) = db.execute("SELECT password_hash FROM users WHERE name = 'alice'").fetchone()
        (token_hash,) = db.execute("SELECT secret_hash FROM tokens").fetchone()
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    for stored in (password_hash, token_hash):
        assert stored.startswith("$argon2id$")
    from argon2 import PasswordHasher

    assert PasswordHasher().verify(password_hash, PASSWORD)
    assert PasswordHasher().verify(token_hash, secret)
