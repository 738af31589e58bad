"""OpenID Connect login (Keycloak, BundID-style brokers) through mozilla-django-oidc.

Accounts are matched by verified e-mail address. Which municipalities and roles a person has is
decided in Amtsflow (memberships), not by the identity provider.
"""

from typing import Any

from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from amtsflow.tenants.models import User


class AmtsflowOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # An unverified address could be anyone's: never link an account through it.
        return bool(super().verify_claims(claims) and claims.get("email") and claims.get("email_verified", False))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        return User.objects.filter(email__iexact=claims.get("email", ""), is_active=True)

    def create_user(self, claims: dict[str, Any]) -> User:
        username = claims.get("preferred_username") or claims["email"]
        base, suffix = username[:140], 1
        while User.objects.filter(username=username).exists():
            suffix += 1
            username = f"{base}-{suffix}"
        user = User(
            username=username,
            email=claims["email"],
            first_name=claims.get("given_name", "")[:150],
            last_name=claims.get("family_name", "")[:150],
        )
        user.set_unusable_password()
        user.save()
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        user.first_name = claims.get("given_name", user.first_name)[:150]
        user.last_name = claims.get("family_name", user.last_name)[:150]
        user.save(update_fields=["first_name", "last_name"])
        return user
