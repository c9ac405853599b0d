"""The login and share-password throttles count per account as well as per address: spreading
guesses over many addresses (or forging X-Forwarded-For behind a proxy that trusts it) does not get
past them. Each test client here stands for one address, as a proxy would report it."""

from __future__ import annotations

from typing import Any

import httpx

from server.accounts.auth import ACCOUNT_MAX_FAILURES, MAX_FAILURES, account_pause
from tests.conftest import PASSWORD, Agency, Browser


def from_address(app: Any, address: str) -> Browser:
    browser = Browser(app)
    browser.http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(address, 40000)), base_url="http://testserver"
    )
    return browser


async def guess_from_many_addresses(app: Any, email: str, guesses: int) -> list[int]:
    answers = []
    for n in range(guesses):
        guesser = from_address(app, f"203.0.113.{n % 250 + 1}")
        answers.append((await guesser.login(email, f"guess {n}")).status_code)
        await guesser.aclose()
    return answers


async def test_guesses_spread_over_many_addresses_lock_the_account(app: Any, agency: Agency) -> None:
    answers = await guess_from_many_addresses(app, "max@agency.test", ACCOUNT_MAX_FAILURES)
    assert answers == [422] * ACCOUNT_MAX_FAILURES
    newcomer = from_address(app, "198.51.100.7")
    refused = await newcomer.login("max@agency.test", PASSWORD)
    assert refused.status_code == 429 and "Too many failed attempts" in refused.text
    assert (await newcomer.get("/projects")).status_code == 303, "not signed in"
    await newcomer.aclose()


async def test_the_account_counter_is_case_blind(app: Any, agency: Agency) -> None:
    await guess_from_many_addresses(app, "MAX@agency.test", ACCOUNT_MAX_FAILURES // 2)
    await guess_from_many_addresses(app, "max@AGENCY.test", ACCOUNT_MAX_FAILURES - ACCOUNT_MAX_FAILURES // 2)
    newcomer = from_address(app, "198.51.100.7")
    assert (await newcomer.login("max@agency.test", PASSWORD)).status_code == 429
    await newcomer.aclose()


async def test_a_few_failures_elsewhere_do_not_lock_the_real_user_out(app: Any, agency: Agency) -> None:
    attacker = from_address(app, "203.0.113.9")
    for _ in range(MAX_FAILURES):
        await attacker.login("max@agency.test", "nope")
    assert (await attacker.login("max@agency.test", PASSWORD)).status_code == 429  # that address waits
    max_ = from_address(app, "198.51.100.7")
    assert (await max_.login("max@agency.test", PASSWORD)).status_code == 303  # max, elsewhere, does not
    await attacker.aclose()
    await max_.aclose()


async def test_signing_in_forgets_the_accounts_failures(app: Any, agency: Agency) -> None:
    await guess_from_many_addresses(app, "max@agency.test", ACCOUNT_MAX_FAILURES - 1)
    max_ = from_address(app, "198.51.100.7")
    assert (await max_.login("max@agency.test", PASSWORD)).status_code == 303
    answers = await guess_from_many_addresses(app, "max@agency.test", ACCOUNT_MAX_FAILURES - 1)
    assert answers == [422] * (ACCOUNT_MAX_FAILURES - 1)
    await max_.aclose()


def test_the_accounts_pause_grows_with_each_failure_up_to_an_hour() -> None:
    assert account_pause(ACCOUNT_MAX_FAILURES - 1) == 0
    pauses = [account_pause(ACCOUNT_MAX_FAILURES + n) for n in range(10)]
    assert pauses[:4] == [60, 120, 240, 480]
    assert pauses == sorted(pauses) and max(pauses) == 3600
