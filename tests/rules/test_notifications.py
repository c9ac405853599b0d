"""Who is told what (rules.notifications): never the actor, never twice, never a client's person of
an internal thing; mentions by name; whom `@` may suggest; choices per kind; signed unsubscribe."""

from __future__ import annotations

from server.kernel.i18n import speaking
from server.rules.notifications import (
    DEFAULT_CHANNEL,
    Channel,
    Kind,
    Person,
    Thing,
    by_email,
    channel_of,
    describe,
    in_app,
    mentioned,
    newly_mentioned,
    read_unsubscribe_token,
    recipients,
    retry_delay_seconds,
    suggestible,
    unsubscribe_token,
)
from server.rules.policy import Role

ADA = Person(1, Role.ADMIN)
MAX = Person(2, Role.MEMBER)
MIA = Person(3, Role.MEMBER)
CLEO = Person(4, Role.CLIENT, client_id=10)
COLE = Person(5, Role.CLIENT, client_id=20)
ACME = Thing(client_id=10, shared_with_client=True)
PEOPLE = [(1, "Ada Admin"), (2, "Max Member"), (3, "Mia Member"), (4, "Cleo Client"), (5, "Max")]


def test_the_actor_is_never_told_of_what_they_did() -> None:
    assert recipients(MAX.id, ACME, {Kind.COMMENTED: [MAX, ADA]}) == {ADA.id: Kind.COMMENTED}


def test_a_person_with_several_reasons_is_told_once_with_the_strongest() -> None:
    told = recipients(ADA.id, ACME, {Kind.COMMENTED: [MAX, MIA], Kind.MENTIONED: [MAX], Kind.ASSIGNED: [MAX]})
    assert told == {MAX.id: Kind.MENTIONED, MIA.id: Kind.COMMENTED}


def test_a_client_s_person_hears_nothing_internal() -> None:
    internal = Thing(client_id=10, internal=True)
    assert recipients(ADA.id, internal, {Kind.MENTIONED: [CLEO, MAX]}) == {MAX.id: Kind.MENTIONED}


def test_a_client_s_person_hears_nothing_of_another_client_or_an_unshared_project() -> None:
    assert recipients(ADA.id, ACME, {Kind.MENTIONED: [COLE]}) == {}
    assert recipients(ADA.id, Thing(client_id=10, shared_with_client=False), {Kind.COMMENTED: [CLEO]}) == {}


def test_a_deactivated_person_hears_nothing() -> None:
    assert recipients(ADA.id, ACME, {Kind.ASSIGNED: [Person(2, Role.MEMBER, active=False)]}) == {}


def test_mentions_are_names_after_an_at_sign_in_any_case() -> None:
    assert mentioned("Thanks @max member, and @CLEO CLIENT!", PEOPLE) == {2, 4}


def test_a_longer_name_is_not_a_mention_of_a_shorter_one() -> None:
    assert mentioned("ask @Maxine", PEOPLE) == set()
    assert mentioned("ask @Max Member", PEOPLE) == {2}  # not also "Max", whose whole name is shorter
    assert mentioned("ask @Max, please", PEOPLE) == {5}
    assert mentioned("mail max@agency.test", PEOPLE) == set()
    assert mentioned("no at sign here", PEOPLE) == set()


def test_an_edit_that_keeps_a_mention_mentions_nobody_new() -> None:
    assert newly_mentioned("hi @Mia Member", "hi @Mia Member and @Ada Admin", PEOPLE) == {1}
    assert newly_mentioned("hi @Mia Member", "hello @Mia Member", PEOPLE) == set()


def test_a_client_is_offered_the_people_of_a_shared_card_and_nobody_of_an_internal_one() -> None:
    everyone = [ADA, MAX, CLEO, COLE]
    assert suggestible(CLEO, ACME, everyone, client_sees_people=True) == [ADA.id, MAX.id, CLEO.id]
    assert suggestible(CLEO, Thing(client_id=10, internal=True), everyone, client_sees_people=True) == []
    assert suggestible(CLEO, ACME, everyone, client_sees_people=False) == [CLEO.id]


def test_the_agency_is_not_offered_a_client_s_person_on_an_internal_card() -> None:
    assert suggestible(MAX, Thing(client_id=10, internal=True), [ADA, MAX, CLEO], client_sees_people=True) == [1, 2]


def test_choices_default_per_kind_and_saved_ones_win() -> None:
    assert channel_of({}, Kind.MENTIONED) is DEFAULT_CHANNEL[Kind.MENTIONED] is Channel.EMAIL
    assert channel_of({"mentioned": "off"}, Kind.MENTIONED) is Channel.OFF
    assert channel_of({"mentioned": "pigeon"}, Kind.MENTIONED) is Channel.EMAIL
    assert in_app(Channel.EMAIL) and by_email(Channel.EMAIL) and not by_email(Channel.APP) and not in_app(Channel.OFF)


def test_an_unsubscribe_token_reads_back_only_with_our_secret() -> None:
    token = unsubscribe_token("s3cret", 42, Kind.ASSIGNED)
    assert read_unsubscribe_token("s3cret", token) == (42, Kind.ASSIGNED)
    assert read_unsubscribe_token("other", token) is None
    assert read_unsubscribe_token("s3cret", token.replace("42.", "43.")) is None
    assert read_unsubscribe_token("s3cret", token.replace("assigned", "mentioned")) is None
    assert read_unsubscribe_token("s3cret", "garbage") is None


def test_retries_wait_longer_each_time_up_to_an_hour() -> None:
    assert [retry_delay_seconds(n) for n in (1, 2, 3)] == [30, 60, 120]
    assert retry_delay_seconds(20) == 3600


def test_a_notification_reads_in_the_reader_s_language() -> None:
    data = {"actor": "Ada", "card": "ACME-1", "title": "Hero"}
    assert describe(Kind.ASSIGNED, data) == "Ada assigned you to ACME-1 Hero"
    with speaking("ru"):
        assert describe(Kind.ASSIGNED, data) == "Ada назначил(а) вас исполнителем карточки ACME-1 Hero"
    sent_back = {"actor": "Cleo", "sprint": "Week 49", "project": "Acme", "approved": False}
    assert describe(Kind.REVIEW_DECIDED, sent_back) == "Cleo asked for changes to the plan Week 49 of Acme"
