"""Elasticsearch from Maven Central's test distribution, run as a single node on loopback.

The zip (``org.elasticsearch.distribution.integ-test-zip``) is fetched with ``mvn`` into
Maven's local repository and unpacked once into the cache folder, so later runs and fresh
clones on the same machine start it without downloading or unpacking again.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.harness.process import (
    ServiceError,
    as_user,
    cache_dir,
    ensure_service_user,
    free_port,
    give_to,
    running_as_root,
    stop_process_group,
    wait_until,
)

ES_VERSION = os.environ.get("SIGNPOST_TEST_ES_VERSION", "9.2.4")
ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch"
MIN_JAVA = 21
HUNSPELL_SYSTEM_DIR = Path("/usr/share/hunspell")
REPO_HUNSPELL_DIR = Path(__file__).resolve().parents[2] / "search" / "hunspell"


def maven_zip_path() -> Path:
    repo = Path(os.environ.get("MAVEN_REPO_LOCAL", Path.home() / ".m2" / "repository"))
    group = ARTIFACT.split(":")[0].replace(".", "/")
    return repo / group / "elasticsearch" / ES_VERSION / f"elasticsearch-{ES_VERSION}.zip"


def fetch_zip() -> Path:
    """The distribution zip, downloaded by Maven on first use."""
    zip_path = maven_zip_path()
    if zip_path.exists():
        return zip_path
    if shutil.which("mvn") is None:
        raise ServiceError("mvn is not installed: run scripts/install-system-deps.sh")
    result = subprocess.run(
        ["mvn", "-q", "-B", "dependency:get", f"-Dartifact={ARTIFACT}:{ES_VERSION}:zip",
         "-Dtransitive=false"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not zip_path.exists():
        raise ServiceError(
            f"mvn could not fetch {ARTIFACT}:{ES_VERSION}:zip:\n{result.stdout}\n{result.stderr}"
        )
    return zip_path


def ensure_distribution() -> Path:
    """The unpacked server in the cache folder (unpacked atomically, once)."""
    home = cache_dir() / f"elasticsearch-{ES_VERSION}"
    if (home / "bin" / "elasticsearch").exists():
        return home
    zip_path = fetch_zip()
    staging = Path(tempfile.mkdtemp(prefix="es-unpack-", dir=cache_dir()))
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(staging)
    (top,) = staging.iterdir()
    for script in (top / "bin").iterdir():
        script.chmod(0o755)
    os.chmod(staging, 0o755)
    top.rename(home)
    shutil.rmtree(staging, ignore_errors=True)
    return home


def _java_major(java_home: Path) -> int:
    release = java_home / "release"
    if not release.exists():
        return 0
    match = re.search(r'JAVA_VERSION="(\d+)', release.read_text())
    return int(match.group(1)) if match else 0


def find_java_home() -> Path:
    """ES_JAVA_HOME if set, else the newest JDK under /usr/lib/jvm that is 21 or newer."""
    configured = os.environ.get("ES_JAVA_HOME")
    if configured:
        return Path(configured)
    candidates = [p for p in Path("/usr/lib/jvm").glob("*") if p.is_dir() and not p.is_symlink()]
    suitable = sorted((p for p in candidates if _java_major(p) >= MIN_JAVA), key=_java_major)
    if not suitable:
        raise ServiceError(
            f"Elasticsearch {ES_VERSION} needs Java {MIN_JAVA}+; none found under /usr/lib/jvm "
            "(set ES_JAVA_HOME)."
        )
    return suitable[-1]


def _install_hunspell(config_dir: Path) -> None:
    """British English hunspell dictionary plus the project's domain corrections, if present."""
    target = config_dir / "hunspell" / "en_GB"
    sources = [HUNSPELL_SYSTEM_DIR / "en_GB.aff", HUNSPELL_SYSTEM_DIR / "en_GB.dic"]
    if not all(path.exists() for path in sources):
        return
    target.mkdir(parents=True, exist_ok=True)
    for path in sources:
        shutil.copy(path, target / path.name)
    extra = REPO_HUNSPELL_DIR / "en_GB"
    if extra.is_dir():
        for path in extra.glob("*.dic"):
            shutil.copy(path, target / path.name)


@dataclass
class ElasticsearchNode:
    url: str
    workdir: Path
    process: subprocess.Popen[bytes]
    java_home: Path
    log: Path
    startup_s: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        stop_process_group(self.process)
        shutil.rmtree(self.workdir, ignore_errors=True)


def _healthy(url: str) -> bool:
    try:
        response = httpx.get(
            f"{url}/_cluster/health", params={"wait_for_status": "yellow", "timeout": "1s"},
            timeout=3,
        )
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def start_node(startup_timeout_s: float = 120) -> ElasticsearchNode:
    started = time.monotonic()
    home = ensure_distribution()
    java_home = find_java_home()
    user = ensure_service_user("signpost-es") if running_as_root() else None
    workdir = Path(tempfile.mkdtemp(prefix="signpost-es-"))
    config_dir = workdir / "config"
    shutil.copytree(home / "config", config_dir)
    _install_hunspell(config_dir)
    (workdir / "data").mkdir()
    (workdir / "logs").mkdir()
    os.chmod(workdir, 0o755)
    give_to(user, workdir)
    http_port, transport_port = free_port(), free_port()
    log = workdir / "stdout.log"
    argv = [
        str(home / "bin" / "elasticsearch"),
        "-E", "discovery.type=single-node",
        "-E", "xpack.security.enabled=false",
        "-E", "http.host=127.0.0.1",
        "-E", "transport.host=127.0.0.1",
        "-E", f"http.port={http_port}",
        "-E", f"transport.port={transport_port}",
        "-E", f"path.data={workdir / 'data'}",
        "-E", f"path.logs={workdir / 'logs'}",
        "-E", "cluster.routing.allocation.disk.threshold_enabled=false",
        "-E", "action.destructive_requires_name=false",
    ]
    env = {
        "ES_JAVA_HOME": str(java_home),
        "ES_PATH_CONF": str(config_dir),
        "ES_JAVA_OPTS": os.environ.get("SIGNPOST_TEST_ES_JAVA_OPTS", "-Xms1g -Xmx1g"),
        "PATH": "/usr/bin:/bin",
        "HOME": str(workdir),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            as_user(user, argv, env), stdout=out, stderr=subprocess.STDOUT, cwd=workdir,
            start_new_session=True,
        )
    node = ElasticsearchNode(f"http://127.0.0.1:{http_port}", workdir, process, java_home, log)

    def ready() -> bool:
        if process.poll() is not None:
            raise ServiceError(
                f"Elasticsearch exited with {process.returncode}:\n"
                + log.read_text(errors="replace")[-3000:]
            )
        return _healthy(node.url)

    try:
        wait_until(ready, startup_timeout_s, f"Elasticsearch {ES_VERSION}", log)
    except BaseException:
        node.stop()
        raise
    node.startup_s = time.monotonic() - started
    return node
