"""Scope check for API views: `required_scopes = {"list": "tenants.read", ...}` per action."""

from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission

from amtsflow.tenants.models import ApiClient

if TYPE_CHECKING:  # importing DRF views here would be circular: DRF loads this class at start-up
    from rest_framework.request import Request
    from rest_framework.views import APIView


class HasRequiredScope(BasePermission):
    message = "The API client lacks the scope for this action."

    def has_permission(self, request: "Request", view: "APIView") -> bool:
        client = request.auth
        if not isinstance(client, ApiClient):
            return False
        required: dict[str, str] = getattr(view, "required_scopes", {})
        if hasattr(view, "action"):  # viewset: action is None for a method the route does not map
            action = view.action
        else:
            action = request.method.lower()
            if not hasattr(view, action):
                action = None
        if action is None:
            return True  # DRF answers 405 Method Not Allowed next; nothing is reached
        scope = required.get(action)
        if scope is None:
            # An action without a declared scope is closed: forgetting a scope must not open it.
            return False
        return scope in client.scopes
