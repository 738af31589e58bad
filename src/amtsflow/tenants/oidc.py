"""OpenID Connect login (Keycloak, BundID-style brokers) through mozilla-django-oidc.

Accounts are matched by verified e-mail address. Which municipalities and roles a person has is
decided in Amtsflow (memberships), not by the identity provider.
"""

from typing import Any

import jwt
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from amtsflow.tenants.models import User


class AmtsflowOIDCBackend(OIDCAuthenticationBackend):
    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        try:
            payload: dict[str, Any] = super().verify_token(token, **kwargs)
        except jwt.InvalidTokenError as error:
            # The library only turns bad signatures into SuspiciousOperation; an expired or
            # premature token would otherwise end as a 500.
            raise SuspiciousOperation(f"OIDC token refused: {error}") from error
        # The library does not check the audience: a token minted for another client of the
        # same provider must not log anybody in here.
        audience = payload.get("aud")
        if self.OIDC_RP_CLIENT_ID not in ([audience] if isinstance(audience, str) else audience or []):
            raise SuspiciousOperation("OIDC token refused: issued for another client")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        claims: dict[str, Any] = super().get_userinfo(access_token, id_token, payload)
        # OIDC Core 5.3.2: the userinfo answer must be about the person the id_token names.
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("OIDC userinfo is about another subject than the id_token")
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # An unverified address could be anyone's: never link an account through it. Some
        # providers send the flag as the string "true"/"false", so compare, don't test truthiness.
        verified = claims.get("email_verified") in (True, "true")
        return bool(super().verify_claims(claims) and claims.get("email") and verified)

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        # Inactive accounts are matched too (and then refused by the callback view); otherwise a
        # deactivated person would silently get a fresh account on the next SSO login.
        return User.objects.filter(email__iexact=claims.get("email", ""))

    def create_user(self, claims: dict[str, Any]) -> User:
        username = claims.get("preferred_username") or claims["email"]
        base, suffix = username[:140], 1
        while User.objects.filter(username=username).exists():
            suffix += 1
            username = f"{base}-{suffix}"
        user = User(
            username=username,
            email=claims["email"],
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
        )
        user.set_unusable_password()
        user.save()
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        user.first_name = (claims.get("given_name") or user.first_name)[:150]
        user.last_name = (claims.get("family_name") or user.last_name)[:150]
        user.save(update_fields=["first_name", "last_name"])
        return user
