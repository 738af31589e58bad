"""OpenID Connect staff login, end to end against a real (local) OpenID provider over HTTP."""

import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django_scopes import scopes_disabled

from amtsflow.tenants.models import Membership, User
from amtsflow.tenants.tests.factories import UserFactory
from amtsflow.tenants.tests.oidc_provider import MockOIDCProvider, generate_key

BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "amtsflow.tenants.oidc.AmtsflowOIDCBackend",
]


@pytest.fixture
def provider(db) -> Iterator[MockOIDCProvider]:  # noqa: ANN001
    with (
        MockOIDCProvider() as provider,
        override_settings(OIDC_ENABLED=True, AUTHENTICATION_BACKENDS=BACKENDS, **provider.django_settings()),
    ):
        yield provider


def sso_login(client: Client, provider: MockOIDCProvider, next_url: str = ""):  # noqa: ANN201
    """The browser's part: Amtsflow -> provider (real HTTP) -> Amtsflow callback. Returns the callback answer."""
    start = client.get("/oidc/authenticate/", {"next": next_url} if next_url else {})
    assert start.status_code == 302
    assert start["Location"].startswith(provider.url("/authorize?"))

    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == "http://testserver/oidc/callback/"

    return client.get(f"{back.path}?{back.query}")


def logged_in_user(client: Client) -> User | None:
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def test_existing_member_logs_in_by_verified_email_and_reaches_their_tenant(provider, admin_a, tenant_b) -> None:  # noqa: ANN001
    user = admin_a.user
    provider.login_as(email=user.email.upper(), given_name="Erika", family_name="Neu", preferred_username="other")
    client = Client()

    answer = sso_login(client, provider)

    assert answer.status_code == 302
    assert logged_in_user(client) == user
    assert provider.requests == ["GET /authorize", "POST /token", "GET /jwks", "GET /userinfo"]
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.username) == ("Erika", "Neu", admin_a.user.username)
    assert User.objects.count() == 1  # matched, not duplicated

    home = client.get(answer["Location"], follow=True)  # "/" sends the member to their municipality
    assert home.redirect_chain[-1][0] == f"/t/{admin_a.tenant.slug}/"
    assert home.status_code == 200
    assert client.get(f"/t/{admin_a.tenant.slug}/").status_code == 200
    assert client.get(f"/t/{tenant_b.slug}/").status_code == 404


def test_next_url_survives_the_round_trip(provider, admin_a) -> None:  # noqa: ANN001
    provider.login_as(email=admin_a.user.email)
    client = Client()

    answer = sso_login(client, provider, next_url=f"/t/{admin_a.tenant.slug}/organisation/")

    assert answer["Location"] == f"/t/{admin_a.tenant.slug}/organisation/"


def test_new_person_gets_an_account_but_no_municipality(provider, tenant_a) -> None:  # noqa: ANN001
    provider.login_as(email="neu@example.org", given_name="Nina", family_name="Neu", preferred_username="nneu")
    client = Client()

    sso_login(client, provider)

    user = logged_in_user(client)
    assert user is not None
    assert (user.username, user.email, user.first_name, user.last_name) == ("nneu", "neu@example.org", "Nina", "Neu")
    assert not user.has_usable_password()
    with scopes_disabled():
        assert not Membership.objects.filter(user=user).exists()
    assert client.get(f"/t/{tenant_a.slug}/").status_code == 404


def test_new_account_does_not_take_over_an_existing_user_name(provider) -> None:  # noqa: ANN001
    UserFactory(username="nneu", email="someone-else@example.org")
    provider.login_as(email="neu@example.org", preferred_username="nneu")
    client = Client()

    sso_login(client, provider)

    user = logged_in_user(client)
    assert user is not None
    assert (user.username, user.email) == ("nneu-2", "neu@example.org")


@pytest.mark.parametrize("verified", [False, "false", None], ids=["false", "string-false", "missing"])
def test_unverified_email_is_refused(provider, admin_a, verified) -> None:  # noqa: ANN001
    identity = provider.login_as(email=admin_a.user.email)
    if verified is None:
        del identity["email_verified"]
    else:
        identity["email_verified"] = verified
    client = Client()

    answer = sso_login(client, provider)

    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/login/"
    assert logged_in_user(client) is None
    assert User.objects.count() == 1


def test_deactivated_account_is_refused_and_not_recreated(provider, admin_a) -> None:  # noqa: ANN001
    User.objects.filter(pk=admin_a.user.pk).update(is_active=False)
    provider.login_as(email=admin_a.user.email)
    client = Client()

    answer = sso_login(client, provider)

    assert answer["Location"] == "/accounts/login/"
    assert logged_in_user(client) is None
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda p: setattr(p, "signing_key", generate_key()), id="signed-by-another-key"),
        pytest.param(lambda p: p.id_token_overrides.update(aud="another-client"), id="another-audience"),
        pytest.param(lambda p: p.id_token_overrides.update(exp=int(time.time()) - 60), id="expired"),
        pytest.param(lambda p: p.id_token_overrides.update(nonce="replayed"), id="wrong-nonce"),
    ],
)
def test_untrustworthy_id_token_is_refused(provider, admin_a, tamper) -> None:  # noqa: ANN001
    provider.login_as(email=admin_a.user.email)
    tamper(provider)
    client = Client()

    answer = sso_login(client, provider)

    assert answer.status_code == 400
    assert logged_in_user(client) is None
    assert client.get(f"/t/{admin_a.tenant.slug}/").status_code == 302  # to the login page


def test_login_at_the_provider_declined(provider) -> None:  # noqa: ANN001
    provider.identity = None
    client = Client()

    answer = sso_login(client, provider)

    assert answer["Location"] == "/accounts/login/"
    assert logged_in_user(client) is None


@pytest.mark.parametrize("enabled", [True, False])
def test_login_page_offers_sso_only_when_enabled(db, enabled) -> None:  # noqa: ANN001
    with override_settings(OIDC_ENABLED=enabled, OIDC_PROVIDER_NAME="Landes-SSO"):
        page = Client().get("/accounts/login/?next=/t/x/")

    assert page.status_code == 200
    assert ('href="/oidc/authenticate/?next=/t/x/"' in page.content.decode()) is enabled
    assert ("Landes-SSO" in page.content.decode()) is enabled
