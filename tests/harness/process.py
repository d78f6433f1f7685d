"""Small helpers shared by the service provisioners: ports, users, caches, waiting."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


class ServiceError(RuntimeError):
    """A test service could not be installed or started; the message says why and how."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def running_as_root() -> bool:
    return os.geteuid() == 0


def cache_dir() -> Path:
    """Where downloads and unpacked servers are kept between runs (outside the checkout).

    As root the folder must be readable by the unprivileged service users, so it is not
    under /root (mode 700).
    """
    configured = os.environ.get("SIGNPOST_CACHE_DIR")
    if configured:
        path = Path(configured)
    elif running_as_root():
        path = Path("/var/cache/signpost")
    else:
        path = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "signpost"
    path.mkdir(parents=True, exist_ok=True)
    return path


def ensure_service_user(name: str) -> str:
    """An unprivileged system user for servers that refuse to run as root."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
            check=True,
            capture_output=True,
        )
    return name


def give_to(user: str | None, *paths: Path) -> None:
    if user is None:
        return
    for path in paths:
        shutil.chown(path, user, user)
        for child in path.rglob("*"):
            shutil.chown(child, user, user)


def as_user(user: str | None, argv: list[str], env: dict[str, str]) -> list[str]:
    """``argv`` run as ``user`` (via runuser) with exactly ``env`` set, or as is."""
    assignments = [f"{key}={value}" for key, value in env.items()]
    if user is None:
        return ["env", *assignments, *argv]
    return ["runuser", "-u", user, "--", "env", *assignments, *argv]


def wait_until(check: Callable[[], bool], timeout_s: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
    raise ServiceError(f"{what} was not ready after {timeout_s:.0f} s. Log tail:\n{tail}")


def stop_process_group(process: subprocess.Popen[bytes], timeout_s: float = 30) -> None:
    """Stop a server started with ``start_new_session=True`` and everything it spawned."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass
