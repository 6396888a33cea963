"""The union's contact line in the e-mails to a member's directions reads right whatever the
union's name: « Pour toute question : UDCCAS de Seine-Saint-Denis, contact@…, 01… », not
« contactez UDCCAS de … » (no article) nor « contactez le … » guessed."""

from datetime import date

from tenants.services import send_member_status_email, union_contact


def test_the_status_email_gives_the_contact_without_a_guessed_article(bondy, mailoutbox):
    send_member_status_email(
        bondy, "active", "suspended", ["direction@ccas-bondy.fr"], date(2026, 12, 2)
    )
    (message,) = mailoutbox
    contact = union_contact()
    assert f"Pour toute question : {contact['name']}" in message.body
    assert "contactez" not in message.body
    assert " : ," not in message.body and ", ." not in message.body
