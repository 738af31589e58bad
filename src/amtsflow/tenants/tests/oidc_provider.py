"""A small OpenID Connect provider for tests: a real HTTP server on 127.0.0.1 in a thread.

Authorization code flow with discovery, authorize, token, userinfo and JWKS endpoints, RS256
id_tokens signed with a fresh key. The person who "logs in" at the provider is whoever the test
put into `provider.identity`. Knobs for negative tests: `signing_key` (sign with a key the JWKS does
not publish) and `id_token_overrides` (e.g. another audience, an expiry in the past).

    with MockOIDCProvider() as provider, override_settings(**provider.django_settings()):
        ...
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

USERINFO_CLAIMS = ("sub", "email", "email_verified", "given_name", "family_name", "preferred_username")


def generate_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class MockOIDCProvider:
    def __init__(self, client_id: str = "amtsflow-test", client_secret: str = "test-secret") -> None:  # noqa: S107
        self.client_id = client_id
        self.client_secret = client_secret
        self.kid = "mock-key-1"
        self.key = generate_key()  # published in the JWKS
        self.signing_key = self.key  # what id_tokens are signed with
        self.id_token_overrides: dict[str, Any] = {}
        self.identity: dict[str, Any] | None = None
        self.requests: list[str] = []  # "METHOD /path" of every request, for assertions
        self._codes: dict[str, dict[str, Any]] = {}
        self._access_tokens: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, name="mock-oidc", daemon=True)

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- configuration -----------------------------------------------------------------------
    @property
    def issuer(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.issuer + path

    def django_settings(self) -> dict[str, Any]:
        """The OIDC_* settings of mozilla-django-oidc pointing to this provider."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.url("/authorize"),
            "OIDC_OP_TOKEN_ENDPOINT": self.url("/token"),
            "OIDC_OP_USER_ENDPOINT": self.url("/userinfo"),
            "OIDC_OP_JWKS_ENDPOINT": self.url("/jwks"),
        }

    def login_as(self, **claims: Any) -> dict[str, Any]:
        """Who authenticates at the provider next; `sub` and the verified flag default sensibly."""
        self.identity = {"sub": secrets.token_hex(8), "email_verified": True, **claims}
        return self.identity

    def jwks(self) -> dict[str, Any]:
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    # --- endpoints (called by the handler) ---------------------------------------------------
    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        redirect_uri, state = query.get("redirect_uri", ""), query.get("state", "")
        if query.get("client_id") != self.client_id or not redirect_uri.startswith(("http://", "https://")):
            return HTTPStatus.BAD_REQUEST, {}, {"error": "invalid_request"}  # never redirect to an unknown client
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            return _redirect(redirect_uri, error="unsupported_response_type", state=state)
        if self.identity is None:
            return _redirect(redirect_uri, error="access_denied", state=state)
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {
                "claims": dict(self.identity),
                "nonce": query.get("nonce"),
                "redirect_uri": redirect_uri,
                "code_challenge": query.get("code_challenge"),
            }
        return _redirect(redirect_uri, code=code, state=state)

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, str], Any]:
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization.lower().startswith("basic "):  # client_secret_basic
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if client_id != self.client_id or client_secret != self.client_secret:
            return HTTPStatus.UNAUTHORIZED, {}, {"error": "invalid_client"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # codes are single use
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or grant["redirect_uri"] != form.get("redirect_uri")
            or not _pkce_ok(grant["code_challenge"], form.get("code_verifier"))
        ):
            return HTTPStatus.BAD_REQUEST, {}, {"error": "invalid_grant"}
        claims, now = grant["claims"], int(time.time())
        id_token_claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            **({"nonce": grant["nonce"]} if grant["nonce"] else {}),
            **claims,
            **self.id_token_overrides,
        }
        id_token = jwt.encode(id_token_claims, self.signing_key, algorithm="RS256", headers={"kid": self.kid})
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._access_tokens[access_token] = claims
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        return HTTPStatus.OK, {"Cache-Control": "no-store"}, body

    def userinfo(self, authorization: str) -> tuple[int, dict[str, str], Any]:
        scheme, _, token = authorization.partition(" ")
        claims = self._access_tokens.get(token) if scheme.lower() == "bearer" else None
        if claims is None:
            return HTTPStatus.UNAUTHORIZED, {"WWW-Authenticate": 'Bearer error="invalid_token"'}, {}
        return HTTPStatus.OK, {}, {k: v for k, v in claims.items() if k in USERINFO_CLAIMS}

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.url("/authorize"),
            "token_endpoint": self.url("/token"),
            "userinfo_endpoint": self.url("/userinfo"),
            "jwks_uri": self.url("/jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        }


def _redirect(uri: str, **params: str) -> tuple[int, dict[str, str], Any]:
    separator = "&" if urlsplit(uri).query else "?"
    return HTTPStatus.FOUND, {"Location": uri + separator + urlencode(params)}, None


def _pkce_ok(challenge: str | None, verifier: str | None) -> bool:
    if not challenge:
        return True
    if not verifier:
        return False
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return secrets.compare_digest(digest, challenge)


def _handler_for(provider: MockOIDCProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            auth = self.headers.get("Authorization", "")
            routes = {
                "/.well-known/openid-configuration": lambda: (HTTPStatus.OK, {}, provider.discovery()),
                "/authorize": lambda: provider.authorize(query),
                "/userinfo": lambda: provider.userinfo(auth),
                "/jwks": lambda: (HTTPStatus.OK, {}, provider.jwks()),
            }
            self._answer(url.path, routes)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            auth = self.headers.get("Authorization", "")
            self._answer(urlsplit(self.path).path, {"/token": lambda: provider.token(form, auth)})

        def _answer(self, path: str, routes: dict[str, Any]) -> None:
            provider.requests.append(f"{self.command} {path}")
            status, headers, body = routes[path]() if path in routes else (HTTPStatus.NOT_FOUND, {}, {})
            payload = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # keep test output clean

    return Handler
