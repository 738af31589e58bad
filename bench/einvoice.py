"""E-invoice validation: invoices per second and the cold start, against Java Saxon-HE in the same run.

The 86 valid invoices of KoSIT's XRechnung test suite (business-cases and technical-cases) go through

1. `validate_xml`, the platform's validator: hardened parse, scenario selection, XML Schema (lxml), the
   scenario's two Schematron XSLTs and KoSIT's report XSLT (SaxonC-HE), acceptance, findings; and
2. the reference, `bench/java/ValidateBench.java` on plain `java -cp` with Saxon-HE (Debian's
   libsaxonhe-java): the steps as KoSIT's validator takes them — parse, every scenario's match XPath, the
   XML Schema with javax.xml.validation, the two Schematron XSLTs, the createReportInput document, the report
   XSLT and acceptMatch — on the same files: the installed release's XSLTs, schemas and scenarios and the
   invoices, handed over in a manifest this script writes. Both sides do the whole validation, and the ratio
   compares that (the Python side also does its hardened pre-parse and extracts the findings). As a check
   that both did the same validation, each counts its reports' messages; the run fails when they differ.

The rules are installed from the shared zips into a temp dir for every run (nothing else is touched). Both
sides run in child processes:
- cold: from starting the process (interpreter or JVM) until the first invoice is validated, compiling on
  the way only what that invoice needs; the median of --cold-runs fresh processes;
- warm: in one process per side, unmeasured rounds over the 86 invoices until the side stops getting
  faster (the JVM: also until its JIT compiler is idle; at least --warm-up rounds and --warm-up-seconds, at
  most --warm-up-limit seconds), then --rounds measured rounds, the two sides taking turns round by round so
  that a busy machine slows both alike; invoices/s and mean/p50/p95 per invoice, and invoices per CPU second
  of the side's process (all its threads), which a busy machine disturbs less. The split per step: the
  Java side times its steps in the measured rounds, the Python side in one extra round afterwards (its
  validator's functions wrapped with timers, so that round is not part of the throughput).

    .venv/bin/python bench/einvoice.py                 # one to two minutes
    .venv/bin/python bench/einvoice.py --rounds 10 --cold-runs 3 --profile

Without java/javac or Saxon-HE.jar (apt-get install libsaxonhe-java default-jdk-headless, or
`AMTSFLOW_BENCH_JAVA=1 make system-deps`; SAXON_HE_JAR names another jar) the reference is reported
missing and no ratio is printed.
"""

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAVA_SOURCE = ROOT / "bench" / "java" / "ValidateBench.java"
DEFAULT_JAR = Path("/usr/share/java/Saxon-HE.jar")  # Debian's libsaxonhe-java
DEFAULT_ROUNDS = 3
DEFAULT_WARM_UP = 5
DEFAULT_WARM_UP_SECONDS = 15.0
DEFAULT_WARM_UP_LIMIT = 90.0
DEFAULT_COLD_RUNS = 1
STEPS = ("parse", "scenario", "xsd", "schematron-1", "schematron-2", "report", "other")
STEP_NOTES = {
    "parse": "document parsed (Python: hardened lxml parse and re-serialisation, then Saxon)",
    "scenario": "every scenario's match XPath",
    "xsd": "XML Schema (Python: lxml/libxml2, Java: javax.xml.validation)",
    "schematron-1": "EN 16931 Schematron XSLT",
    "schematron-2": "XRechnung Schematron XSLT",
    "report": "report input, report XSLT, acceptMatch, report serialised (Python: and findings)",
    "other": "SVRL serialised; Python: release lookup and bookkeeping",
}


def shared_dir() -> Path:
    return Path(os.environ.get("AMTSFLOW_SHARED_DATA", ROOT.parent / "shared")) / "xrechnung"


def django_setup(data_dir: Path) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["AMTSFLOW_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("AMTSFLOW_XRECHNUNG_RULES_DIR", str(data_dir / "rules"))  # the parent's, in children
    os.environ.setdefault("AMTSFLOW_HTTPS", "false")
    os.environ["AMTSFLOW_LOG_LEVEL"] = "ERROR"
    os.environ["DJANGO_SETTINGS_MODULE"] = "amtsflow.conf.settings"
    import django

    django.setup()


def out(line: str = "") -> None:
    print(line, flush=True)  # noqa: T201


# --- Python side (child process) --------------------------------------------------------------------------


def read_invoices(manifest: Path) -> list[tuple[str, bytes]]:
    invoices = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        kind, *fields = line.split("\t")
        if kind == "invoice":
            path = Path(unescape(fields[0]))
            invoices.append((path.name, path.read_bytes()))
    return invoices


class Split:
    """Times the validator's steps by wrapping the functions it calls (only for the split round)."""

    def __init__(self, schematron_index: dict[Path, int]) -> None:
        self.schematron_index = schematron_index
        self.seconds = dict.fromkeys(STEPS, 0.0)
        self.depth = 0
        self.patched: list[tuple[object, str, object]] = []

    def wrap(self, owner: object, name: str, step: Callable[..., str | None]) -> None:
        original = getattr(owner, name)

        def timed(*args: object, **kwargs: object) -> object:
            key = step(*args, **kwargs) if self.depth == 0 else None
            if key is None:
                return original(*args, **kwargs)
            self.depth += 1
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[key] += time.perf_counter() - started
                self.depth -= 1

        self.patched.append((owner, name, original))
        setattr(owner, name, timed)

    def __enter__(self) -> "Split":
        from amtsflow.einvoices import saxon
        from amtsflow.einvoices.validation import validator

        self.wrap(validator, "parse_document", lambda *a, **k: "parse")
        self.wrap(saxon, "parse", lambda *a, **k: "parse")
        self.wrap(validator, "select_scenario", lambda *a, **k: "scenario")
        self.wrap(validator, "schema_issues", lambda *a, **k: "xsd")
        self.wrap(validator, "_input", lambda *a, **k: "report")
        self.wrap(validator, "build_report", lambda *a, **k: "report")
        self.wrap(saxon, "transform", self.transform_step)
        return self

    def transform_step(self, stylesheet: Path, *args: object, **kwargs: object) -> str | None:
        index = self.schematron_index.get(stylesheet)
        return f"schematron-{index}" if index else None

    def __exit__(self, *exc: object) -> None:
        for owner, name, original in reversed(self.patched):
            setattr(owner, name, original)


def python_child(manifest: Path, *, cold: bool, profile: bool) -> None:
    """The Python side; after the first invoice it takes the commands of ValidateBench.java on stdin."""
    with tempfile.TemporaryDirectory(prefix="amtsflow-bench-") as data:
        django_setup(Path(data))
        from amtsflow.einvoices.validation import validate_xml

        invoices = read_invoices(manifest)
        ready = time.perf_counter()
        report = validate_xml(invoices[0][1], filename=invoices[0][0])
        done = time.perf_counter()
        out(f"first {(done - ready) * 1e9:.0f} {report.recommendation}")
        if not cold:
            python_commands(invoices, profile=profile)


def python_commands(invoices: list[tuple[str, bytes]], *, profile: bool) -> None:
    import cProfile
    import pstats

    from amtsflow.einvoices import saxon
    from amtsflow.einvoices.rules import available_releases
    from amtsflow.einvoices.validation import validate_xml

    profiler = cProfile.Profile() if profile else None
    rounds = 0
    for command in sys.stdin:
        if command.strip() == "warm":
            begun = time.perf_counter()
            for name, content in invoices:
                validate_xml(content, filename=name)
            out(f"done {(time.perf_counter() - begun) * 1e9:.0f}")
        elif command.strip() == "round":
            times, rejected, messages = [], [], 0
            started, cpu_started = time.perf_counter(), time.process_time()
            for name, content in invoices:
                begun = time.perf_counter()
                if profiler is not None:
                    profiler.enable()
                report = validate_xml(content, filename=name)
                if profiler is not None:
                    profiler.disable()
                times.append(time.perf_counter() - begun)
                messages += len(report.findings)
                if report.recommendation != "accept":
                    rejected.append(f"{name}: {report.recommendation} {report.error}")
            total = time.perf_counter() - started
            rounds += 1
            out(f"cpu {(time.process_time() - cpu_started) * 1e9:.0f}")  # all threads of the process, as in Java
            out(f"messages {messages}")
            out(
                "".join(f"note {note}\n" for note in rejected[:3])
                + f"round {total * 1e9:.0f} {len(rejected)} "
                + " ".join(f"{t * 1e9:.0f}" for t in times)
            )
        elif command.strip() == "end":
            break
    if profiler is not None:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)

    # The split: one more round with the validator's steps timed, scaled to the measured rounds.
    index = {}
    for release in available_releases():
        for scenario in release.scenarios:
            index.update({resource.path: n for n, resource in enumerate(scenario.schematrons, 1)})
    with Split(index) as split:
        begun = time.perf_counter()
        for name, content in invoices:
            validate_xml(content, filename=name)
        split.seconds["other"] = time.perf_counter() - begun - sum(split.seconds.values())
    out(f"engine {saxon.version()}")
    for step, seconds in split.seconds.items():
        out(f"step {step} {seconds * 1e9 * rounds:.0f}")
    out("done")


# --- Orchestration (parent process) -----------------------------------------------------------------------


@dataclass
class Side:
    """What one side reported: cold samples and, from its warm process, the measured rounds and the split."""

    name: str
    engine: str = ""
    cold: list[float] = field(default_factory=list)  # seconds from process start to the first invoice done
    first: list[float] = field(default_factory=list)  # of that: the first validation (the rest: start-up)
    rounds: list[float] = field(default_factory=list)  # seconds per measured round
    cpu: list[float] = field(default_factory=list)  # CPU seconds of the process per measured round
    messages: list[int] = field(default_factory=list)  # the reports' messages (findings) per measured round
    times: list[float] = field(default_factory=list)  # seconds per invoice, all measured rounds
    rejected: int = 0
    notes: list[str] = field(default_factory=list)
    steps: dict[str, float] = field(default_factory=dict)  # seconds per step over the measured rounds
    warm_up: int = 0  # unmeasured rounds before

    @property
    def rate(self) -> float:
        return len(self.times) / sum(self.rounds)

    @property
    def cpu_rate(self) -> float:
        """Invoices per CPU second: what the side would do on an otherwise idle core."""
        return len(self.times) / sum(self.cpu)

    def per_invoice(self) -> str:
        ms = sorted(t * 1000 for t in self.times)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        return f"mean {statistics.fmean(ms):.2f} ms, p50 {statistics.median(ms):.2f} ms, p95 {p95:.2f} ms"

    def step_ms(self, step: str) -> float:
        return self.steps.get(step, 0.0) * 1000 / len(self.times)

    def cold_line(self) -> str:
        cold, first = statistics.median(self.cold), statistics.median(self.first)
        runs = f"median of {len(self.cold)}, min {min(self.cold):.2f} s; " if len(self.cold) > 1 else ""
        return (
            f"{cold:5.2f} s  ({runs}start-up {cold - first:.2f} s, then the first invoice {first:.2f} s "
            "incl. compiling what it needs)"
        )


class Child:
    """One side's process. The time until it reports its first invoice is a cold-start sample."""

    def __init__(self, side: Side, command: list[str], env: dict[str, str], *, interactive: bool) -> None:
        self.side, self.command = side, command
        started = time.perf_counter()
        self.process = subprocess.Popen(  # noqa: S603
            command,
            stdin=subprocess.PIPE if interactive else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.read_until("first")
        self.side.cold.append(time.perf_counter() - started)

    def read_until(self, wanted: str) -> str:
        for line in self.process.stdout:
            key, _, value = line.rstrip("\n").partition(" ")
            if key == "first":
                nanos, recommendation = value.split()
                self.side.first.append(int(nanos) / 1e9)
                if recommendation != "accept":
                    self.side.notes.append(f"first invoice: {recommendation}")
            elif key == "engine":
                self.side.engine = value
            elif key == "messages":
                self.side.messages.append(int(value))
            elif key == "cpu":
                self.side.cpu.append(int(value) / 1e9)
            elif key == "note":
                self.side.notes.append(value)
            elif key == "step":
                step, nanos = value.split()
                self.side.steps[step] = int(nanos) / 1e9
            elif key == "round":
                total, rejected, *times = value.split()
                self.side.rounds.append(int(total) / 1e9)
                self.side.rejected += int(rejected)
                self.side.times += [int(t) / 1e9 for t in times]
            if key == wanted:
                return value
        self.process.wait()
        sys.exit(f"{self.side.name}: the process ended early (exit code {self.process.returncode}): {self.command}")

    def send(self, command: str) -> str:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read_until("round" if command == "round" else "done")

    def warm_up(self, rounds: int, seconds: float, limit: float) -> None:
        """Unmeasured rounds until the side has stopped getting faster, or for `limit` seconds at most.

        Stopped: at least `rounds` rounds (and four) over at least `seconds`, the best of the last three rounds
        no more than 10 % faster than the best one before them and, for the JVM, its JIT compiler busy for
        less than 2 % of the last round. The JVM needs a while before the JIT has compiled Saxon's hot paths
        (longer on a busy machine); measuring earlier would compare a half-warm JVM. The Python side (SaxonC
        is compiled ahead of time) is steady after its first round.
        """
        started, rates = time.perf_counter(), []
        while True:
            nanos, *jit = self.send("warm").split()
            rates.append(1e9 / int(nanos))
            elapsed = time.perf_counter() - started
            enough = len(rates) >= max(rounds, 4) and elapsed >= seconds
            jit_idle = not jit or int(jit[0]) * 1e6 <= 0.02 * int(nanos)
            if (enough and jit_idle and max(rates[-3:]) <= 1.1 * max(rates[:-3])) or (
                len(rates) >= rounds and elapsed > limit
            ):
                break
        self.side.warm_up = len(rates)

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        if self.process.wait() != 0:
            sys.exit(f"{self.side.name}: exit code {self.process.returncode}: {self.command}")


def escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def unescape(value: str) -> str:
    result, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            result.append({"t": "\t", "n": "\n"}.get(following, following))
        else:
            result.append(char)
    return "".join(result)


def write_manifest(directory: Path, invoices: list[Path]) -> tuple[Path, str]:
    """The newest installed release's scenarios and the invoices, for both sides; returns (path, release id)."""
    from amtsflow.einvoices.rules import Resource, available_releases

    def line(*fields: str) -> str:
        return "\t".join(escape(f) for f in fields)

    def resource(role: str, r: Resource) -> str:
        return line("resource", role, r.name, r.location, str(r.path))

    release = available_releases()[0]
    lines = []
    for number, scenario in enumerate(release.scenarios):
        element = directory / f"scenario-{number}.xml"
        element.write_bytes(scenario.element)
        lines.append(line("scenario", scenario.name, scenario.match, scenario.accept_match or "", str(element)))
        lines += [line("namespace", prefix, uri) for prefix, uri in scenario.namespaces.items()]
        lines += [resource("schema", scenario.schema)] if scenario.schema else []
        lines += [resource("schematron", r) for r in scenario.schematrons]
        lines.append(resource("report", scenario.report or release.config.fallback_report))
    lines += [line("invoice", str(path)) for path in invoices]
    manifest = directory / "manifest.tsv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest, release.id


def java_command(build: Path) -> tuple[list[str] | None, str]:
    """(java command prefix, "") when the reference can run, else (None, why not); compiles the harness."""
    jar = Path(os.environ.get("SAXON_HE_JAR", DEFAULT_JAR))
    java, javac = shutil.which("java"), shutil.which("javac")
    if not (java and javac):
        return None, "java/javac not found (apt-get install default-jdk-headless)"
    if not jar.is_file():
        return None, f"{jar} not found (apt-get install libsaxonhe-java, or set SAXON_HE_JAR)"
    compiled = subprocess.run(  # noqa: S603
        [javac, "-nowarn", "-d", str(build), "-cp", str(jar), str(JAVA_SOURCE)],
        capture_output=True,
        text=True,
        check=False,
    )
    if compiled.returncode != 0:
        return None, f"javac failed: {compiled.stderr.strip()[:500]}"
    return [java, "-cp", os.pathsep.join([str(jar), str(build)]), "ValidateBench"], ""


def print_side(side: Side) -> None:
    count, seconds = len(side.times), sum(side.rounds)
    out(f"{side.name} ({side.engine})")
    out(f"  cold start: {side.cold_line()}")
    out(f"  warm:       {side.rate:5.1f} invoices/s  ({count} invoices in {seconds:.2f} s; {side.per_invoice()})")
    rates = ", ".join(f"{count / len(side.rounds) / round_seconds:.1f}" for round_seconds in side.rounds)
    out(f"  per round:  {rates} invoices/s")
    out(f"  CPU time:   {side.cpu_rate:5.1f} invoices per CPU second ({1000 / side.cpu_rate:.2f} ms per invoice)")
    if side.steps:
        out("  split per invoice: " + ", ".join(f"{s} {side.step_ms(s):.2f} ms" for s in STEPS if s in side.steps))
    if side.rejected or side.notes:
        out(f"  NOT ACCEPTED: {side.rejected} ({'; '.join(side.notes[:3])})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="measured rounds over the invoices")
    parser.add_argument("--warm-up", type=int, default=DEFAULT_WARM_UP, help="unmeasured rounds, at least")
    parser.add_argument(
        "--warm-up-seconds", type=float, default=DEFAULT_WARM_UP_SECONDS, help="warm-up per side, at least"
    )
    parser.add_argument(
        "--warm-up-limit", type=float, default=DEFAULT_WARM_UP_LIMIT, help="warm-up seconds per side, at most"
    )
    parser.add_argument("--cold-runs", type=int, default=DEFAULT_COLD_RUNS, help="fresh processes per side")
    parser.add_argument("--no-java", action="store_true", help="skip the Java reference")
    parser.add_argument("--profile", action="store_true", help="cProfile the measured Python rounds (to stderr)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cold", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--manifest", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        python_child(args.manifest, cold=args.cold, profile=args.profile)
        return

    began, load = time.perf_counter(), os.getloadavg()[0]
    shared = shared_dir()
    zips = sorted((shared / "rules").glob("*.zip"))
    suite = shared / "testsuite" / "src" / "test"
    invoices = sorted(p for case in ("business-cases", "technical-cases") for p in (suite / case).rglob("*.xml"))
    if not zips or not invoices:
        sys.exit(f"shared test data missing: rule zips in {shared / 'rules'}, invoices in {suite}")
    with tempfile.TemporaryDirectory(prefix="amtsflow-bench-einvoice-") as work_dir:
        work = Path(work_dir)
        rules = work / "rules"
        os.environ["AMTSFLOW_XRECHNUNG_RULES_DIR"] = str(rules)
        django_setup(work / "parent")
        from amtsflow.einvoices.rules import NotAValidatorConfiguration, install_release

        for zip_path in zips:
            with contextlib.suppress(NotAValidatorConfiguration):  # the Schematron source zips
                install_release(zip_path, directory=rules)
        manifest, release = write_manifest(work, invoices)
        (work / "java").mkdir()
        java, missing = (None, "skipped (--no-java)") if args.no_java else java_command(work / "java")

        env = dict(os.environ)
        python_cmd = [sys.executable, __file__, "--manifest", str(manifest), "--child"]
        python_cmd += ["--profile"] if args.profile else []
        python, reference = Side("Python: validate_xml, SaxonC-HE + lxml"), Side("Java: Saxon-HE s9api + javax.xml")
        sides = [(python, python_cmd)] + ([(reference, [*java, str(manifest)])] if java else [])
        for _ in range(max(args.cold_runs - 1, 0)):  # the warm processes give one cold sample more
            for side, command in sides:
                Child(side, [*command, "--cold"], env, interactive=False).close()
        children: list[Child] = []
        try:
            children += [Child(side, command, env, interactive=True) for side, command in sides]
            # Round by round in turns (each side first every other round), so a busy machine slows both alike.
            for child in children:
                child.warm_up(args.warm_up, args.warm_up_seconds, args.warm_up_limit)
            for number in range(args.rounds):
                for child in children[:: -1 if number % 2 else 1]:
                    child.send("round")
            for child in children:
                child.send("end")
                child.close()
        finally:
            for child in children:
                if child.process.poll() is None:
                    child.process.kill()

    out(f"rules: {release} (installed into a temp dir); {len(invoices)} invoices of the KoSIT test suite")
    out(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} at the start (busy: slower wall clock)")
    warm_ups = f"{python.warm_up} (Python)" + (f" and {reference.warm_up} (Java)" if java else "")
    out(
        f"warm: {args.rounds} measured rounds per side (the sides taking turns) after {warm_ups} unmeasured ones; "
        f"cold: {args.cold_runs} fresh process(es) per side"
    )
    out("each side: parse, scenario match, XSD, 2 Schematron XSLTs, report XSLT + acceptMatch (the whole validation)")
    out()
    print_side(python)
    if java:
        print_side(reference)
    out()
    out("steps:")
    for step, note in STEP_NOTES.items():
        out(f"  {step}: {note}")
    out()
    if not java:
        out(f"Java reference missing: {missing}; no ratio")
    else:
        out(f"ratio python/java: {python.rate / reference.rate:.2f}  (warm invoices/s, the whole validation each)")
        out(f"  by CPU time: {python.cpu_rate / reference.cpu_rate:.2f}  (invoices per CPU second)")
        same = "the same" if set(python.messages) == set(reference.messages) else "DIFFERENT"
        out(f"  report messages per round: python {max(python.messages)}, java {max(reference.messages)} ({same})")
        core = ("xsd", "schematron-1", "schematron-2")
        python_core, java_core = (sum(side.step_ms(s) for s in core) for side in (python, reference))
        out(
            f"  XSD + Schematron steps alone: python {python_core:.2f} ms, java {java_core:.2f} ms per invoice "
            f"(python/java by speed {java_core / python_core:.2f})"
        )
        python_cold, java_cold = statistics.median(python.cold), statistics.median(reference.cold)
        out(
            f"cold start python/java: {python_cold:.2f} s / {java_cold:.2f} s to the first validated invoice "
            f"(python/java by speed {java_cold / python_cold:.2f})"
        )
    out(f"run took {time.perf_counter() - began:.0f} s")
    if python.rejected or python.notes or reference.rejected or reference.notes:
        sys.exit(1)
    if java and set(python.messages) != set(reference.messages):
        sys.exit("the two sides' reports differ in their messages: not the same validation")


if __name__ == "__main__":
    main()
