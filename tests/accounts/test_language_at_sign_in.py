"""The language chosen on the sign-in page becomes the person's own when they sign in without one."""

from __future__ import annotations

import pytest

from server.kernel.i18n import adopted_language
from server.tables import User
from tests.conftest import EMAILS, Agency, Browser


async def locale_of(user_id: int) -> str:
    row = await User.select(User.locale).where(User.id == user_id).first()
    assert row is not None
    return str(row["locale"])


async def sign_in_after_choosing(browser: Browser, language: str) -> None:
    await browser.get("/login")
    await browser.post("/language", {"language": language, "next": "/login"})
    response = await browser.login(EMAILS["max"])
    assert response.status_code == 303, response.text


async def test_the_language_chosen_on_the_sign_in_page_is_saved_at_sign_in(browser: Browser, agency: Agency) -> None:
    await sign_in_after_choosing(browser, "vi")
    assert await locale_of(agency.max) == "vi"
    page = await browser.get("/projects", headers={"accept-language": "en"})
    assert '<html lang="vi">' in page.text and "Dự án" in page.text


async def test_it_follows_the_person_to_a_browser_that_never_chose(
    browser: Browser, app: object, agency: Agency
) -> None:
    await sign_in_after_choosing(browser, "zh")
    elsewhere = Browser(app)
    try:
        await elsewhere.login(EMAILS["max"])
        assert '<html lang="zh-Hans">' in (await elsewhere.get("/projects")).text
    finally:
        await elsewhere.aclose()


async def test_a_language_saved_before_is_kept(browser: Browser, agency: Agency) -> None:
    await User.update({User.locale: "ru"}).where(User.id == agency.max)
    await sign_in_after_choosing(browser, "vi")
    assert await locale_of(agency.max) == "ru"


async def test_a_forged_cookie_changes_nothing(browser: Browser, agency: Agency) -> None:
    browser.http.cookies.set("boardroom_lang", "xx")
    await browser.login(EMAILS["max"])
    assert await locale_of(agency.max) == "en"


async def test_a_failed_sign_in_saves_nothing(browser: Browser, agency: Agency) -> None:
    await browser.get("/login")
    await browser.post("/language", {"language": "ru", "next": "/login"})
    response = await browser.post("/login", {"email": EMAILS["max"], "password": "wrong password"})
    assert response.status_code == 422
    assert await locale_of(agency.max) == "en"


@pytest.mark.parametrize(
    ("saved", "chosen", "adopted"),
    [
        ("en", "vi", "vi"),  # accounts start in English: no choice of their own yet
        ("", "ru", "ru"),
        (None, "zh", "zh"),
        ("ru", "vi", None),  # their own choice stays
        ("vi", "en", None),
        ("en", "en", None),
        ("en", None, None),  # no menu used on this browser
        ("en", "xx", None),
        ("en", "", None),
    ],
)
def test_who_adopts_the_sign_in_pages_language(saved: str | None, chosen: str | None, adopted: str | None) -> None:
    assert adopted_language(saved, chosen) == adopted
