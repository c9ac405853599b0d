"""Reading what a rendered form says beside each field."""

from __future__ import annotations

import html
import re

import httpx


def field_error(response: httpx.Response, name: str) -> str:
    """The message shown under one field, or '' when it has none."""
    match = re.search(rf'<p class="error" id="e-{re.escape(name)}">(.*?)</p>', response.text, re.S)
    return html.unescape(match.group(1)) if match else ""


def field_errors(response: httpx.Response) -> dict[str, str]:
    found = re.findall(r'<p class="error" id="e-([\w-]+)">(.*?)</p>', response.text, re.S)
    return {name: html.unescape(message) for name, message in found}
