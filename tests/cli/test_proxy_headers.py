"""Who may say where a request comes from: `boardroom run` (no proxy in front) trusts no proxy
headers; the Procfile trusts them only from FORWARDED_ALLOW_IPS and says to set it to the proxy."""

from __future__ import annotations

import shlex

import uvicorn
from honcho.environ import parse_procfile

from server.cli import UVICORN
from server.kernel.config import ROOT


def uvicorn_options(command: str) -> dict[str, object]:
    """What uvicorn makes of a command line (its own option parser, nothing started)."""
    words = shlex.split(command)
    args = words[words.index("uvicorn") + 1 :] if "uvicorn" in words else words[2:]
    return dict(uvicorn.main.make_context("uvicorn", args).params)


def test_boardroom_run_does_not_trust_x_forwarded_for() -> None:
    options = uvicorn_options(f"{UVICORN} --host 127.0.0.1 --port 8000 --workers 1")
    assert options["proxy_headers"] is False


def test_the_procfile_trusts_proxy_headers_only_from_the_proxy_it_names() -> None:
    text = (ROOT / "Procfile").read_text()
    web = parse_procfile(text).processes["web"]
    options = uvicorn_options(web.replace("${PORT:-8000}", "8000").replace("${WEB_CONCURRENCY:-4}", "4"))
    assert options["proxy_headers"] is True
    assert options["forwarded_allow_ips"] in (None, "127.0.0.1"), "never `*`: FORWARDED_ALLOW_IPS names the proxy"
    assert "FORWARDED_ALLOW_IPS" in text and "never `*`" in text
