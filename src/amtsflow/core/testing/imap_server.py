"""A real IMAP server for tests: Debian's dovecot (package dovecot-imapd) in a temporary directory.

The server gets its own configuration, listens on free ports of 127.0.0.1 (plain IMAP offering STARTTLS,
and implicit TLS with a self-signed certificate made at start) and keeps mail, state and log in its
directory. Either import the fixtures in a conftest.py:

    from amtsflow.core.testing.imap_server import dovecot, imap_account  # noqa: F401

(`dovecot`: one server per test session; `imap_account`: a fresh, empty account per test, an
`ImapAccount` with host, port, user, password, ssl_port and ca_file), or start one with
`running_dovecot()` in a fixture of your own and take accounts with `add_account()`. Without dovecot
the tests skip on a developer machine and fail in CI, where a skip would hide a gap.
"""

import contextlib
import datetime
import grp
import imaplib
import ipaddress
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HOST = "127.0.0.1"
_START_TIMEOUT = 20.0
_POOL = 50  # accounts known from the start, so tests need not wait for dovecot to see new ones


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int  # plain IMAP; STARTTLS is offered
    user: str
    password: str
    ssl_port: int  # IMAP over implicit TLS
    ca_file: Path  # the server's self-signed certificate, to trust in clients


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (path for path in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(path, os.X_OK)), None
    )


def require_dovecot() -> str:
    """The dovecot binary; skips (locally) or fails (CI) when it is not installed."""
    binary = dovecot_binary()
    if binary is None:
        message = "dovecot is not installed (Debian package dovecot-imapd, see scripts/system-deps.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return binary


def _free_ports(count: int) -> list[int]:
    """Ports free right now (all probes held open together, so they differ); dovecot binds them next."""
    with contextlib.ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind((HOST, 0))
        return [probe.getsockname()[1] for probe in probes]


def _write_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (cryptography ships with our dependencies)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


class DovecotServer:
    """One dovecot master process in the foreground; `start`, `add_account`, `stop`."""

    def __init__(self, directory: Path, binary: str) -> None:
        self.directory = directory
        self.binary = binary
        self.mail_dir = directory / "mail"
        self.passwd = directory / "passwd"
        self.log_path = directory / "dovecot.log"
        self.port = 0
        self.ssl_port = 0
        self.ca_file = directory / "cert.pem"
        self._process: subprocess.Popen[bytes] | None = None
        self._accounts = 0
        self._pool: list[tuple[str, str]] = []
        # Dovecot refuses to run login and mail processes as root: then both use "nobody", and mail
        # processes chroot into the mail directory, so a private temp directory above it does not matter.
        self._root = os.geteuid() == 0
        user = pwd.getpwnam("nobody") if self._root else pwd.getpwuid(os.geteuid())
        self._mail_uid, self._mail_gid, self._user_name = user.pw_uid, user.pw_gid, user.pw_name

    def _config(self, cert: Path, key: Path) -> str:
        d = self.directory
        home = f"{self.mail_dir}/./%u" if self._root else f"{self.mail_dir}/%u"
        no_chroot = "" if self._root else "  chroot =\n"
        return f"""\
base_dir = {d}/run
state_dir = {d}/state
instance_name = amtsflow-test-{self.port}
log_path = {self.log_path}
protocols = imap
listen = {HOST}
default_login_user = {self._user_name}
default_internal_user = {"root" if self._root else self._user_name}
{"" if self._root else f"default_internal_group = {grp.getgrgid(os.getegid()).gr_name}"}
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = {self._mail_uid}
valid_chroot_dirs = {self.mail_dir}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.passwd}
}}
userdb {{
  driver = static
  args = uid={self._mail_uid} gid={self._mail_gid} home={home}
}}
service imap-login {{
  inet_listener imap {{
    port = {self.port}
  }}
  inet_listener imaps {{
    port = {self.ssl_port}
  }}
{no_chroot}}}
service anvil {{
  # No growing delay after failed logins (tests log in wrongly on purpose).
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
{no_chroot}}}
"""

    def start(self) -> None:
        for sub in ("run", "state"):
            (self.directory / sub).mkdir(exist_ok=True)
        self.mail_dir.mkdir(exist_ok=True)
        self.passwd.touch()
        self._pool = [self._new_user() for _ in range(_POOL)][::-1]
        cert, key = _write_certificate(self.directory)
        config = self.directory / "dovecot.conf"
        for _attempt in range(3):  # another process may take a probed port before dovecot binds it
            self.port, self.ssl_port = _free_ports(2)
            config.write_text(self._config(cert, key))
            with self.log_path.open("ab") as log:
                self._process = subprocess.Popen(
                    [self.binary, "-F", "-c", str(config)], stdout=log, stderr=subprocess.STDOUT
                )
            if self._answers():
                return
            self.stop()
            if "Address already in use" not in self.log():
                break
        raise RuntimeError(f"dovecot did not start; its log:\n{self.log()}")

    def _answers(self) -> bool:
        """Waits for the IMAP greeting; False when dovecot exits or does not greet in time."""
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                return False
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), timeout=2) as conn:
                if conn.recv(64).startswith(b"* OK"):
                    return True
            time.sleep(0.1)
        return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _new_user(self) -> tuple[str, str]:
        self._accounts += 1
        user, password = f"user{self._accounts}", secrets.token_urlsafe(12)
        home = self.mail_dir / user
        home.mkdir()
        if self._root:
            os.chown(home, self._mail_uid, self._mail_gid)
        with self.passwd.open("a") as passwd:
            passwd.write(f"{user}:{{PLAIN}}{password}\n")
        return user, password

    def add_account(self) -> ImapAccount:
        """A user with an empty mailbox: from the pool written before the start, else a new one, once
        dovecot has seen it (it notices a changed passwd file only about once a second)."""
        if self._pool:
            user, password = self._pool.pop()
        else:
            user, password = self._new_user()
            self._wait_for_login(user, password)
        return ImapAccount(HOST, self.port, user, password, self.ssl_port, self.ca_file)

    def _wait_for_login(self, user: str, password: str) -> None:
        deadline = time.monotonic() + _START_TIMEOUT
        while True:
            with imaplib.IMAP4(HOST, self.port, timeout=5) as conn:
                try:
                    conn.login(user, password)
                    return
                except imaplib.IMAP4.error:
                    if time.monotonic() > deadline:
                        raise
            time.sleep(0.2)

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None


@contextlib.contextmanager
def running_dovecot() -> Iterator[DovecotServer]:
    """A started server in a fresh temporary directory, stopped and removed afterwards."""
    binary = require_dovecot()
    # Short path: dovecot's unix sockets live below it (at most 108 characters).
    directory = Path(tempfile.mkdtemp(prefix="dovecot-"))
    server = DovecotServer(directory, binary)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    with running_dovecot() as server:
        yield server


@pytest.fixture
def imap_account(dovecot: DovecotServer) -> ImapAccount:
    return dovecot.add_account()  # a fresh, empty mailbox for each test
