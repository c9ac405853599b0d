"""server/rules/shared_summaries.py: the client's copy of a shared billing summary keeps only the
lines of projects shared with the client, no internal card's line, no rates; its totals are the sums
of what it keeps."""

from __future__ import annotations

from typing import Any

from server.rules.shared_summaries import client_copy, left_out

WEBSITE, BRAND = 1, 3


def minutes(total: int) -> dict[str, int]:
    return {"total_minutes": total, "billable_minutes": total, "rounded_minutes": total, "non_billable_minutes": 0}


def result() -> dict[str, Any]:
    return {
        "version": 1,
        "entry_count": 3,
        "totals": {**minutes(210), "amounts": {"EUR": "332.50"}},
        "clients": [{"id": 1, "name": "Acme", "currency": "EUR", **minutes(210), "amount": "332.50"}],
        "projects": [
            {
                "id": WEBSITE,
                "client_id": 1,
                "key": "ACME",
                "name": "Website",
                "currency": "EUR",
                **minutes(90),
                "amount": "142.50",
            },
            {
                "id": BRAND,
                "client_id": 1,
                "key": "BRAND",
                "name": "Brand",
                "currency": "EUR",
                **minutes(120),
                "amount": "190.00",
            },
        ],
        "people": [{"id": 2, "name": "Max", **minutes(210), "amounts": {"EUR": "332.50"}}],
        "tasks": [
            {"id": 10, "project_id": WEBSITE, "title": "Hero", **minutes(60), "amount": "95.00", "currency": "EUR"},
            {"id": 11, "project_id": WEBSITE, "title": "Secret", **minutes(30), "amount": "47.50", "currency": "EUR"},
            {"id": 12, "project_id": BRAND, "title": "Logo", **minutes(120), "amount": "190.00", "currency": "EUR"},
        ],
        "days": [
            {"day": "2025-01-06", "project_id": WEBSITE, **minutes(90), "amount": "142.50", "currency": "EUR"},
            {"day": "2025-01-06", "project_id": BRAND, **minutes(120), "amount": "190.00", "currency": "EUR"},
        ],
        "rates": [
            {
                "project_id": WEBSITE,
                "person_id": 2,
                "person_name": "Max",
                "rate": "95.00",
                "currency": "EUR",
                "entry_count": 2,
                **minutes(90),
                "amount": "142.50",
            },
            {
                "project_id": BRAND,
                "person_id": 2,
                "person_name": "Max",
                "rate": "95.00",
                "currency": "EUR",
                "entry_count": 1,
                **minutes(120),
                "amount": "190.00",
            },
        ],
    }


def test_the_clients_copy_keeps_only_shared_projects_and_sums_what_it_keeps() -> None:
    copy = client_copy(result(), {WEBSITE}, internal_tasks={11})
    assert [p["id"] for p in copy["projects"]] == [WEBSITE]
    assert copy["totals"] == {**minutes(90), "amounts": {"EUR": "142.50"}}
    assert copy["clients"][0]["total_minutes"] == 90 and copy["clients"][0]["amount"] == "142.50"
    assert copy["people"] == [{"id": 2, "name": "Max", **minutes(90), "amounts": {"EUR": "142.50"}}]
    assert [t["id"] for t in copy["tasks"]] == [10]
    assert [d["project_id"] for d in copy["days"]] == [WEBSITE]
    assert copy["rates"] == [] and copy["entry_count"] == 2


def test_the_agencys_copy_is_not_changed() -> None:
    original = result()
    client_copy(original, {WEBSITE})
    assert original == result()


def test_left_out_names_the_projects_not_shared() -> None:
    assert [p["key"] for p in left_out(result(), {WEBSITE})] == ["BRAND"]
    assert left_out(result(), {WEBSITE, BRAND}) == []


def test_an_empty_result_stays_empty() -> None:
    assert client_copy({}, {WEBSITE}) == {}


def test_the_clients_copy_never_holds_the_agencys_costs() -> None:
    costs = {"version": 1, "lines": [{"project_id": WEBSITE, "person_id": 2, "cost": "45.00", "cost_rate": "45.00"}]}
    copy = client_copy({**result(), "costs": costs}, {WEBSITE, BRAND})
    assert "costs" not in copy
    assert "45.00" not in repr(copy)
