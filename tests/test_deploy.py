"""docker-compose.yml parses and every Signpost command in it is a real CLI command.

No Docker engine runs on the test machines, so this checks what can be checked without one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from signpost.cli import app

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SIGNPOST_SERVICES = ["migrate", "api", "worker"]


def _signpost_commands() -> list[tuple[str, list[str]]]:
    commands = []
    for name, service in COMPOSE["services"].items():
        command = service.get("command")
        if command and command[0] == "signpost":
            commands.append((f"{name}.command", command[1:]))
        test = service.get("healthcheck", {}).get("test", [])
        if test[:2] == ["CMD", "signpost"]:
            commands.append((f"{name}.healthcheck", test[2:]))
    return commands


def test_compose_has_the_production_services() -> None:
    services = COMPOSE["services"]
    assert {"postgres", "elasticsearch", "api", "worker", "migrate"} <= set(services)
    for name in ("postgres", "elasticsearch", "api", "worker"):
        assert "healthcheck" in services[name], name
    assert {"postgres-data", "elasticsearch-data"} <= set(COMPOSE["volumes"])
    for name in SIGNPOST_SERVICES:
        env = services[name]["environment"]
        assert env["SEARCH_BACKEND"] == "elasticsearch"
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://")


def test_dockerfiles_exist() -> None:
    assert (ROOT / "Dockerfile").is_file()
    es_build = COMPOSE["services"]["elasticsearch"]["build"]
    dockerfile = (ROOT / es_build["dockerfile"]).read_text()
    assert "hunspell" in dockerfile


def _resolve(argv: list[str]) -> tuple[Any, list[str]]:
    """The CLI command ``argv`` names (a group if it names none), and the arguments left."""
    command = typer.main.get_command(app)
    rest = list(argv)
    while hasattr(command, "commands") and rest and rest[0] in command.commands:
        command = command.commands[rest.pop(0)]
    return command, rest


@pytest.mark.parametrize(("where", "argv"), _signpost_commands(), ids=lambda v: str(v))
def test_compose_commands_exist(where: str, argv: list[str]) -> None:
    command, rest = _resolve(argv)
    assert not hasattr(command, "commands"), f"{where}: no such command: {argv}"
    context = command.make_context(command.name, rest, resilient_parsing=False)
    assert context.params is not None
