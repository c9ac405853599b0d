"""The pure rules of files on cards: names cleaned, content sniffed, claims checked, what is shown
inline, who sees and who removes."""

from __future__ import annotations

from server.rules.attachments import (
    MAX_NAME,
    Kind,
    Visibility,
    clean_filename,
    decide,
    may_remove_attachment,
    may_see_attachment,
    served_inline,
    sniff,
    upload_visibility,
)
from server.rules.policy import Actor, Role

ADA = Actor(1, "ada@a.test", "Ada", Role.ADMIN)
MAX = Actor(2, "max@a.test", "Max", Role.MEMBER)
CLEO = Actor(3, "cleo@c.test", "Cleo", Role.CLIENT, client_id=7)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def test_a_name_keeps_only_its_last_path_part() -> None:
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("C:\\Users\\ann\\brief.docx") == "brief.docx"


def test_control_characters_and_reserved_ones_become_underscores() -> None:
    assert clean_filename("a\x00b\x1fc\x7f.txt") == "a_b_c_.txt"
    assert clean_filename('what?*"<>|.png') == "what_.png"


def test_a_hidden_or_empty_name_gets_a_plain_one() -> None:
    assert clean_filename(".htaccess") == "htaccess"
    assert clean_filename("") == "file"
    assert clean_filename("../") == "file"


def test_a_500_character_name_is_cut_keeping_its_extension() -> None:
    cleaned = clean_filename("x" * 500 + ".pdf")
    assert len(cleaned) == MAX_NAME and cleaned.endswith(".pdf")


def test_unicode_names_stay_readable() -> None:
    assert clean_filename("Bản thiết kế — макет 设计.png") == "Bản thiết kế — макет 设计.png"


def test_sniff_knows_the_types_whose_claims_are_checked() -> None:
    assert sniff(PNG) == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert sniff(b"GIF89a....") == "image/gif"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"%PDF-1.7") == "application/pdf"
    assert sniff(b"<svg ") is None


def test_an_empty_file_is_refused() -> None:
    assert decide("a.txt", 0, b"").error


def test_a_name_claiming_an_image_or_pdf_must_have_that_content() -> None:
    assert decide("photo.jpg", 10, b"%PDF-1.4").error
    assert decide("brief.pdf", 10, PNG).error
    assert decide("photo.PNG", 10, PNG).kind is Kind.IMAGE


def test_content_decides_the_kind() -> None:
    assert decide("scan", 10, PNG) == decide("scan", 10, PNG)
    assert decide("scan", 10, PNG).kind is Kind.IMAGE
    assert decide("brief.pdf", 10, b"%PDF-1.4").kind is Kind.PDF
    assert decide("mail.eml", 10, b"From: a").kind is Kind.EMAIL
    other = decide("data.csv", 10, b"a,b")
    assert other.kind is Kind.FILE and other.content_type == "text/csv"


def test_only_raster_images_are_served_inline() -> None:
    assert served_inline("image/png") and served_inline("image/webp")
    assert not served_inline("image/svg+xml")
    assert not served_inline("text/html")
    assert not served_inline("application/pdf")


def test_a_client_never_sees_an_internal_file() -> None:
    assert not may_see_attachment(CLEO, "internal")
    assert may_see_attachment(CLEO, "client")
    assert may_see_attachment(MAX, "internal") and may_see_attachment(ADA, "internal")


def test_a_clients_upload_is_always_shared_and_the_agency_chooses() -> None:
    assert upload_visibility(CLEO, "internal") is Visibility.CLIENT
    assert upload_visibility(MAX, None) is Visibility.INTERNAL
    assert upload_visibility(MAX, "client") is Visibility.CLIENT
    assert upload_visibility(MAX, "nonsense") is Visibility.INTERNAL


def test_the_uploader_or_an_admin_removes() -> None:
    assert may_remove_attachment(MAX, MAX.id)
    assert not may_remove_attachment(MAX, ADA.id)
    assert may_remove_attachment(ADA, MAX.id)
    assert may_remove_attachment(CLEO, CLEO.id)
    assert not may_remove_attachment(CLEO, None)
