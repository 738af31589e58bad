"""Staff login: lockout after repeated failures, password rules, idle timeout."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from amtsflow.tenants.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username: str, password: str):  # noqa: ANN001, ANN202
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.5")


def test_login_with_correct_password(admin_a, client) -> None:  # noqa: ANN001
    response = _login(client, admin_a.user.username, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("root")).status_code == 302


def test_lockout_after_repeated_failures(admin_a, client) -> None:  # noqa: ANN001
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, admin_a.user.username, "falsch")
    assert response.status_code in (403, 429)
    # Even the right password is refused while locked out.
    locked = _login(client, admin_a.user.username, PASSWORD)
    assert locked.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_failed_login_shows_message(admin_a, client) -> None:  # noqa: ANN001
    response = _login(client, admin_a.user.username, "falsch")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("password", ["kurz", "123456789012345", "password1234"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_session_has_idle_timeout() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_logout_requires_post(admin_a, login) -> None:  # noqa: ANN001
    client = login(admin_a)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("tenants:home", kwargs={"tenant_slug": admin_a.tenant.slug})).status_code == 302


def test_password_forgotten_sends_working_link(admin_a, client, mailoutbox) -> None:  # noqa: ANN001
    response = client.post(reverse("password_reset"), {"email": admin_a.user.email})
    assert response.status_code == 302
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line)
    form = client.get(link[link.index("/accounts/") :], follow=True)
    new = "Ganz-Neues-Passwort-2026"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    admin_a.user.refresh_from_db()
    assert admin_a.user.check_password(new)


def test_password_forgotten_does_not_reveal_accounts(client, mailoutbox) -> None:  # noqa: ANN001
    response = client.post(reverse("password_reset"), {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []
