"""Domain exceptions raised by services; one DRF handler and one UI handler turn them into responses."""


class DomainError(Exception):
    """Base for errors a user can act on; `message` is translated and safe to show."""

    status_code = 400

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class NotFound(DomainError):
    """Missing and forbidden look the same from outside: nobody learns what exists elsewhere."""

    status_code = 404


class PermissionDenied(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class ValidationFailed(DomainError):
    status_code = 400
