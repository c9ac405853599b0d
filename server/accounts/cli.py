"""Creating a user from the command line, with the same checks as the admin's form."""

from __future__ import annotations

from server.accounts import writes
from server.accounts.schemas import email_taken, read_password, read_user_form
from server.kernel.forms import Form


async def create_user(email: str, name: str, role: str, password: str, client: int | None) -> None:
    form = Form(
        {"email": email, "name": name, "role": role, "client": str(client or ""), "locale": "en", "password": password}
    )
    data = await read_user_form(form)
    read_password(form)
    if form.ok and not await writes.create_user(data, password):
        email_taken(form)
    if not form.ok:
        raise ValueError("; ".join(f"{field}: {message}" for field, message in form.errors.items()))
