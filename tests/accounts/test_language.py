"""POST /language: the language menu in the header and on the sign-in page."""

from __future__ import annotations

from typing import Any

from server.tables import User
from tests.conftest import Agency, Browser

RUSSIAN_SIGN_IN = "Войти"
VIETNAMESE_PROJECTS = "Dự án"


async def locale_of(user_id: int) -> str:
    row = await User.select(User.locale).where(User.id == user_id).first()
    assert row is not None
    return str(row["locale"])


async def test_it_saves_my_choice_on_my_account(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    response = await max_.post("/language", {"language": "vi", "next": "/projects"})
    assert response.status_code == 303 and response.headers["location"] == "/projects"
    assert await locale_of(agency.max) == "vi"
    page = await max_.get("/projects")
    assert '<html lang="vi">' in page.text and VIETNAMESE_PROJECTS in page.text


async def test_my_choice_follows_me_to_another_browser(as_user: Any, agency: Agency) -> None:
    here = await as_user("max")
    await here.post("/language", {"language": "ru", "next": "/"})
    elsewhere = await as_user("max")
    page = await elsewhere.get("/projects", headers={"accept-language": "vi"})
    assert '<html lang="ru">' in page.text and "Проекты" in page.text


async def test_it_sets_a_cookie_for_a_year(as_user: Any) -> None:
    max_ = await as_user("max")
    response = await max_.post("/language", {"language": "zh", "next": "/projects"})
    cookie = response.headers["set-cookie"]
    assert "boardroom_lang=zh" in cookie
    assert "Max-Age=31536000" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie


async def test_a_visitor_chooses_russian_and_the_sign_in_page_speaks_it(browser: Browser, agency: Agency) -> None:
    await browser.get("/login")
    response = await browser.post("/language", {"language": "ru", "next": "/login"})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert browser.http.cookies.get("boardroom_lang") == "ru"
    page = await browser.get("/login", headers={"accept-language": "en"})
    assert '<html lang="ru">' in page.text and RUSSIAN_SIGN_IN in page.text
    assert await User.count().where(User.locale != "en") == 0, "a visitor's choice touches no account"


async def test_without_a_choice_the_browser_language_decides(browser: Browser, agency: Agency) -> None:
    page = await browser.get("/login", headers={"accept-language": "fr;q=0.9, ru;q=0.8, en;q=0.5"})
    assert '<html lang="ru">' in page.text and RUSSIAN_SIGN_IN in page.text
    page = await browser.get("/login", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert '<html lang="zh-Hans">' in page.text
    page = await browser.get("/login")
    assert '<html lang="en">' in page.text


async def test_the_menu_offers_each_language_in_its_own_name(browser: Browser, agency: Agency) -> None:
    page = await browser.get("/login", headers={"accept-language": "vi"})
    assert 'action="/language"' in page.text
    for name in ("English", "Tiếng Việt", "Русский", "中文"):
        assert name in page.text


async def test_the_header_has_the_menu_with_the_page_to_come_back_to(as_user: Any) -> None:
    ada = await as_user("ada")
    page = await ada.get("/timesheet?week=2026-W48")
    assert 'class="language-menu"' in page.text
    assert 'name="next" value="/timesheet?week=2026-W48"' in page.text


async def test_a_bad_language_answers_422_and_changes_nothing(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    for bad in ("fr", "", "vi_VN", "<script>"):
        response = await max_.post("/language", {"language": bad, "next": "/projects"})
        assert response.status_code == 422
        assert "Choose one of the languages" in response.text
        assert "boardroom_lang" not in response.headers.get("set-cookie", "")
    assert await locale_of(agency.max) == "en"


async def test_it_never_sends_me_off_site(as_user: Any) -> None:
    max_ = await as_user("max")
    for target in ("https://evil.test/", "//evil.test", "/\\evil.test", "/\t/evil.test", "javascript:alert(1)", ""):
        response = await max_.post("/language", {"language": "vi", "next": target})
        assert response.status_code == 303 and response.headers["location"] == "/", target


async def test_it_refuses_a_post_without_csrf_token(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    response = await max_.post("/language", {"language": "vi", "next": "/"}, csrf=False)
    assert response.status_code == 403
    assert await locale_of(agency.max) == "en"
    assert max_.http.cookies.get("boardroom_lang") is None


async def test_it_rejects_get(as_user: Any) -> None:
    max_ = await as_user("max")
    assert (await max_.get("/language")).status_code == 405


async def test_an_error_page_speaks_the_chosen_language(browser: Browser, agency: Agency) -> None:
    await browser.get("/login")
    await browser.post("/language", {"language": "ru", "next": "/"})
    page = await browser.get("/no/such/page")
    assert page.status_code == 404 and '<html lang="ru">' in page.text


async def test_an_error_page_speaks_my_language_when_signed_in(as_user: Any) -> None:
    max_ = await as_user("max")
    await max_.post("/language", {"language": "vi", "next": "/"})
    max_.http.cookies.delete("boardroom_lang")
    page = await max_.get("/projects/999999/board")
    assert page.status_code == 404 and '<html lang="vi">' in page.text and VIETNAMESE_PROJECTS in page.text
    page = await max_.get("/no/such/page", headers={"accept-language": "ru"})
    assert page.status_code == 404 and '<html lang="vi">' in page.text
