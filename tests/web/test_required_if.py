"""A question with required_if must be answered exactly when its own condition holds (tests/definitions/reply.yaml)."""
from __future__ import annotations

from .test_routing_and_messages import messages_on

EMAIL_NEEDED = "Wpisz adres e-mail do odpowiedzi"
PHONE_NEEDED = "Wpisz numer telefonu do odpowiedzi"
TIME_NEEDED = "Wpisz, kiedy możemy dzwonić"
PHONE = "+48 13 474 33 00"


def test_a_question_is_required_exactly_when_its_own_condition_holds(test_forms):
    first = test_forms.start("reply")
    for reply_by, contact, messages in [
        ("email", {}, [EMAIL_NEEDED]),
        ("phone", {}, [PHONE_NEEDED]),  # no phone number: the time to call is not asked, so not required
        ("post", {}, []),  # both boxes are asked, neither is required
        ("phone", {"phone": PHONE}, [TIME_NEEDED]),
        ("email", {"email": "jan@example.pl", "phone": PHONE}, []),  # a time to call is asked, not required
    ]:
        page = test_forms.submit(first, {"reply_by": reply_by}).headers["Location"]
        answered = test_forms.submit(page, {"email": "", "phone": "", "call_time": "", **contact})
        assert messages_on(answered.get_data(as_text=True)) == messages, (reply_by, contact)
        assert answered.status_code == (400 if messages else 303)


def test_a_changed_answer_that_makes_a_question_required_stops_the_sending_until_it_is_answered(test_forms):
    summary = test_forms.answer_pages(test_forms.start("reply"), {"reply_by": "post", "email": "", "phone": ""})
    change = summary.replace("/check", "/pages/reply-by?return=check")
    assert test_forms.submit(change, {"reply_by": "email"}).headers["Location"] == summary
    refused = test_forms.submit(summary)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and EMAIL_NEEDED in page and PHONE_NEEDED not in page
    contact = summary.replace("/check", "/pages/contact")
    assert f'href="{contact}?return=check">{EMAIL_NEEDED}</a>' in page
    test_forms.submit(contact + "?return=check", {"email": "jan@example.pl"})
    assert test_forms.submit(summary).status_code == 303
