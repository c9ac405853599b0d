"""Creating a user from the command line, with the same checks as the admin's form."""

from __future__ import annotations

from server.accounts.user_pages import read_password, read_user_form
from server.kernel.forms import Form
from server.kernel.passwords import hash_password
from server.tables import User


async def create_user(email: str, name: str, role: str, password: str, client: int | None) -> None:
    form = Form(
        {"email": email, "name": name, "role": role, "client": str(client or ""), "locale": "en", "password": password}
    )
    data = await read_user_form(form)
    read_password(form)
    if not form.ok:
        raise ValueError("; ".join(f"{field}: {message}" for field, message in form.errors.items()))
    await User.insert(
        User(
            email=data.email,
            name=data.name,
            role=data.role,
            client=data.client,
            hourly_rate=data.hourly_rate,
            locale=data.locale,
            password_hash=hash_password(password),
        )
    )
