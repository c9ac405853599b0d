"""docker-compose.yml beside the Procfile: no container runtime runs here, so this reads the file and
fails when the two drift apart: the commands (the Procfile's lines, word for word), the environment
(what Boardroom reads, the same for every process, every Procfile variable given a value), the
health checks (routes and commands that exist, on the port the command listens on) and the stop
timeouts (longer than what the processes take to stop)."""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import yaml

from server.kernel.config import ROOT
from tests.scale import procfile

COMPOSE = ROOT / "docker-compose.yml"
NGINX = ROOT / "deploy" / "nginx.conf"
BOARDROOM = ("migrate", "web", "worker")
SHARED = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "BOARDROOM_TZ", "BOARDROOM_SECURE_COOKIES", "BOARDROOM_DATA_DIR")
READ_BY_UVICORN = {"PORT", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"}  # the Procfile's web line, uvicorn itself


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())["services"]
    return services


def command_of(service: dict[str, Any]) -> str:
    """The command as the container's shell runs it: `sh -c` and `exec` dropped, `$$` (compose's
    escape) back to `$`, whitespace as one space."""
    words = service["command"]
    assert words[:2] == ["sh", "-c"], "a shell, so that ${PORT:-8000} is filled in the container"
    line = " ".join(words[2].split()).replace("$$", "$")
    assert line.startswith("exec "), "exec: SIGTERM must reach the process itself, not the shell"
    return line.removeprefix("exec ")


def seconds(text: str) -> float:
    match = re.fullmatch(r"(\d+)(s|m)", str(text))
    assert match, text
    return int(match.group(1)) * (60 if match.group(2) == "m" else 1)


def variables_read_by_boardroom() -> set[str]:
    config = (ROOT / "server" / "kernel" / "config.py").read_text()
    return set(re.findall(r"""["']((?:BOARDROOM_|DATABASE_|REDIS_|SECRET_)[A-Z0-9_]*)["']""", config))


def test_the_commands_are_the_procfiles_lines(services: dict[str, Any]) -> None:
    lines = procfile.lines()
    assert command_of(services["web"]) == lines["web"]
    assert command_of(services["worker"]) == lines["worker"]
    assert command_of(services["migrate"]) == lines["release"]


def test_every_boardroom_process_gets_the_same_shared_environment(services: dict[str, Any]) -> None:
    envs = {name: services[name]["environment"] for name in BOARDROOM}
    for variable in SHARED:
        values = {name: env.get(variable) for name, env in envs.items()}
        assert None not in values.values(), f"{variable} missing: {values}"
        assert len(set(values.values())) == 1, f"{variable} differs: {values}"
    assert "SECRET_KEY:?" in envs["web"]["SECRET_KEY"], "no default secret: each process would make its own"
    assert envs["web"]["DATABASE_URL"].startswith("postgresql://"), "SQLite is for one process only"


def test_every_variable_set_is_one_something_reads(services: dict[str, Any]) -> None:
    known = variables_read_by_boardroom() | READ_BY_UVICORN
    for name in BOARDROOM:
        unknown = set(services[name]["environment"]) - known
        assert unknown == set(), f"{name} sets variables nothing reads (a typo?): {unknown}"


def test_the_procfiles_variables_have_values_in_compose(services: dict[str, Any]) -> None:
    for line, name in (("web", "web"), ("worker", "worker")):
        wanted = {m.group(1) or m.group(3) for m in procfile.VARIABLE.finditer(procfile.lines()[line])}
        assert wanted <= set(services[name]["environment"]), f"{name}: {wanted}"


def test_the_web_health_check_asks_a_route_the_app_serves_on_the_port_it_listens_on(services: dict[str, Any]) -> None:
    from server.app import health, health_live

    web = services["web"]
    check = " ".join(web["healthcheck"]["test"])
    match = re.search(r"http://127\.0\.0\.1:(\d+)(/[\w/]*)", check)
    assert match, check
    port, path = match.groups()
    assert path in {*health.paths, *health_live.paths}
    listens = procfile.argv(command_of(web), web["environment"])
    assert listens[listens.index("--port") + 1] == port == web["environment"]["PORT"]
    assert web["expose"] == [port]


def test_the_worker_health_check_is_python_m_tasks_check(services: dict[str, Any]) -> None:
    assert services["worker"]["healthcheck"]["test"] == ["CMD", "python", "-m", "tasks", "--check"]
    assert 'sys.argv[1:] == ["--check"]' in (ROOT / "tasks" / "__main__.py").read_text()


def test_nothing_starts_before_what_it_needs_is_healthy(services: dict[str, Any]) -> None:
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker"):
        needs = services[name]["depends_on"]
        assert needs["db"]["condition"] == needs["redis"]["condition"] == "service_healthy"
        assert needs["migrate"]["condition"] == "service_completed_successfully"
    assert services["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_two_web_and_two_worker_containers_behind_nginx(services: dict[str, Any]) -> None:
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in services["nginx"]["volumes"]
    conf = NGINX.read_text()
    assert f"server web:{services['web']['environment']['PORT']}" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "proxy_set_header Connection $connection_upgrade;" in conf
    assert "proxy_set_header Host $host;" in conf  # the websocket's Origin check compares it with Host
    assert "proxy_read_timeout 1h;" in conf


def test_the_stop_timeout_outlasts_what_each_process_takes_to_stop(services: dict[str, Any]) -> None:
    web_words = shlex.split(procfile.lines()["web"])
    graceful = float(web_words[web_words.index("--timeout-graceful-shutdown") + 1])
    worker_wait = float(services["worker"]["environment"]["BOARDROOM_WORKER_STOP_SECONDS"])
    assert seconds(services["web"]["stop_grace_period"]) > graceful + 3  # + the sockets' drain
    assert seconds(services["worker"]["stop_grace_period"]) > worker_wait
