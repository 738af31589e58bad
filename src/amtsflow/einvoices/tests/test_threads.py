"""Several threads validating at once (web workers with threads, Celery thread pools): no crash, same results,
and one Saxon processor per process, even when the threads all start cold at the same moment."""

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from amtsflow.core.testing.shared_data import REPO_ROOT
from amtsflow.einvoices.rules import RuleRelease
from amtsflow.einvoices.validation import validate_xml

from .conftest import XRECHNUNG

SUITE = XRECHNUNG / "testsuite" / "src" / "test" / "business-cases" / "standard"


def sample_invoices() -> list[Path]:
    return sorted(SUITE.glob("01.0*.xml"))[:8]  # UBL and CII alternate


def test_four_threads_at_once_give_the_serial_results(rules: tuple[RuleRelease, ...]) -> None:
    invoices = sample_invoices()
    serial = {p.name: validate_xml(p.read_bytes()) for p in invoices}
    results: dict[tuple[int, str], object] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(worker: int) -> None:
        try:
            start.wait()
            for path in invoices:
                results[(worker, path.name)] = validate_xml(path.read_bytes())
        except BaseException as exc:  # noqa: BLE001 - reported below, a thread must not swallow it
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert len(results) == 4 * len(invoices)
    for (_, name), report in results.items():
        assert report.recommendation == serial[name].recommendation == "accept"
        assert [f.rule for f in report.findings] == [f.rule for f in serial[name].findings]


COLD_START = textwrap.dedent(
    """
    import json, sys, threading
    import django
    django.setup()
    import saxonche
    from pathlib import Path
    from amtsflow.einvoices import saxon

    created = []
    original = saxonche.PySaxonProcessor

    def counting(*args, **kwargs):
        created.append(threading.get_ident())
        return original(*args, **kwargs)

    saxon.saxonche.PySaxonProcessor = counting
    from amtsflow.einvoices.validation import validate_xml

    paths = sys.argv[1:]
    start = threading.Barrier(len(paths))
    outcomes = {}

    def work(path):
        start.wait()
        outcomes[path] = validate_xml(Path(path).read_bytes()).recommendation

    threads = [threading.Thread(target=work, args=(p,)) for p in paths]
    [t.start() for t in threads]
    [t.join() for t in threads]
    print(json.dumps({"processors": len(created), "outcomes": outcomes}))
    """
)


def test_cold_start_from_four_threads_creates_one_processor(xrechnung_rules_dir: Path) -> None:
    invoices = [str(p) for p in sample_invoices()[:4]]
    env = {
        **os.environ,
        "AMTSFLOW_XRECHNUNG_RULES_DIR": str(xrechnung_rules_dir),
        "DJANGO_SETTINGS_MODULE": "amtsflow.conf.test",
    }
    done = subprocess.run(
        [sys.executable, "-c", COLD_START, *invoices],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["processors"] == 1
    assert sorted(result["outcomes"].values()) == ["accept"] * 4


def test_a_forked_child_refuses_the_inherited_processor(rules: tuple[RuleRelease, ...]) -> None:
    """A GraalVM isolate does not survive fork(): the child gets a clear "not validated", not a crash."""
    invoice = sample_invoices()[0].read_bytes()
    assert validate_xml(invoice).accepted  # the processor exists in this (parent) process
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            report = validate_xml(invoice)
            os.write(writing, json.dumps([report.recommendation, report.error]).encode())
        finally:
            os._exit(0)
    os.close(writing)
    os.waitpid(child, 0)
    with os.fdopen(reading) as pipe:
        recommendation, error = json.loads(pipe.read())
    assert recommendation == "not_validated"
    assert "created before this process was forked" in error
