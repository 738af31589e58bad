"""Process engine: instances per second through the platform, against raw SpiffWorkflow in the same run.

The shipped reference model (start → user task "Prüfen" with the form field `betrag` → exclusive gateway
`betrag > 5000` → service task `case.set_status` → end; the default flow ends at once) runs N times

1. through the platform's services: `start_instance` (a new case in the E-Akte, inbox task, audit and event
   log), the open task looked up and finished with `complete_task` (form validated, gateway), and the connector
   step queued after that commit and run eagerly (phase 1 records the call and sets the case status, phase 2
   completes the engine task). Autocommit, every service in its own real transaction, as in production. Half
   the instances take the connector branch (betrag 6000), half the default flow (betrag 100); every instance
   must end COMPLETED and, on the connector branch, with its connector call recorded and its case done.
2. through raw SpiffWorkflow 3.2, the reference: the same BPMN parsed once by the stock `CamundaParser`
   (the service task stays a plain `ServiceTask`, which Spiff leaves waiting until it is completed from
   outside), the default script engine, one `BpmnWorkflowSerializer` for the whole run (the Camunda
   configuration plus the default converter for plain service tasks). Per instance: create the workflow and
   run it to the user task, complete the user task with the same (already converted) data, complete the
   service task with the status as its result; after each of these steps the workflow is serialized to JSON
   and restored from it. No database: the engine alone is the reference. For scale, the same raw run is also
   measured storing each step's JSON in a plain table (one row per instance, one UPDATE per step, autocommit).

Per step: platform "start" is `start_instance`; "complete" is the task lookup and `complete_task` up to its
commit, including the eager Celery dispatch of the connector run; "connector" is `automation.run_connectors`
(both phases). Raw: "start", "complete" (user task), "service" (service task), each with its save/restore. SQL
counts are the statements Django sends (savepoints and transaction control included).

Each database gets its own process (the settings are read once): SQLite in a temp dir always, PostgreSQL
when reachable, in a database created for the run and dropped afterwards.

    .venv/bin/python bench/processes.py                                  # both databases, 100 instances each
    .venv/bin/python bench/processes.py --instances 1000 --database postgresql
"""

import argparse
import contextlib
import copy
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("AMTSFLOW_HTTPS", "false")
os.environ["AMTSFLOW_LOG_LEVEL"] = "ERROR"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SETTINGS_MODULE"] = "amtsflow.conf.settings"
os.environ.pop("CELERY_BROKER_URL", None)  # connector runs go in-process (eagerly, after each commit)

REFERENCE = ROOT / "src" / "amtsflow" / "processes" / "library" / "reference.bpmn"
PROCESS_ID = "reference"
DEFAULT_INSTANCES = 100
WARM_UP = 10
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/amtsflow_bench_proc"
HIGH, LOW = 6000, 100  # betrag: above 5000 the service task runs, else the default flow ends the instance


@dataclass
class Run:
    """Wall time of one measured path, its per-step times and (platform) SQL statements, summed over instances."""

    instances: int = 0
    seconds: float = 0.0
    steps: dict[str, list[float]] = field(default_factory=dict)
    statements: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, step: str, seconds: float, statements: int | None = None) -> None:
        self.steps.setdefault(step, []).append(seconds)
        if statements is not None:
            self.statements[step] = self.statements.get(step, 0) + statements

    @property
    def rate(self) -> float:
        return self.instances / self.seconds

    def breakdown(self) -> str:
        parts = []
        for step, times in self.steps.items():
            sql = f", {self.statements[step] / len(times):.1f} SQL" if step in self.statements else ""
            parts.append(f"{step} {sum(times) * 1000 / len(times):.2f} ms{sql} (×{len(times)})")
        return "; ".join(parts)


@contextlib.contextmanager
def clock(run: Run, step: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    run.add(step, time.perf_counter() - started)


def amount(index: int) -> int:
    return HIGH if index % 2 == 0 else LOW


# --- Raw SpiffWorkflow ----------------------------------------------------------------------------------------


class RawEngine:
    """The reference: stock SpiffWorkflow, parsed once, one serializer, JSON save/restore after every step."""

    def __init__(self) -> None:
        from SpiffWorkflow.bpmn.serializer.default.task_spec import BpmnTaskSpecConverter
        from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
        from SpiffWorkflow.bpmn.specs.defaults import ServiceTask
        from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
        from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG

        parser = CamundaParser()
        parser.add_bpmn_file(str(REFERENCE))  # the stock parser reads camunda:topic as an extension and ignores it
        self.spec = parser.get_spec(PROCESS_ID)
        self.subprocess_specs = parser.get_subprocess_specs(PROCESS_ID)
        config = copy.deepcopy(CAMUNDA_CONFIG)
        config[ServiceTask] = BpmnTaskSpecConverter  # the Camunda configuration has none for plain service tasks
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))

    def run(self, index: int, run: Run, store: Callable[[int, str, bool], None] | None = None) -> None:
        """One instance; `store(index, json, first)` also writes each saved state somewhere."""
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        def checkpoint(workflow: BpmnWorkflow, *, first: bool = False) -> BpmnWorkflow:
            state = self.serializer.serialize_json(workflow)
            if store is not None:
                store(index, state, first)
            return self.serializer.deserialize_json(state)

        with clock(run, "start"):
            workflow = BpmnWorkflow(self.spec, self.subprocess_specs)
            workflow.do_engine_steps()
            workflow = checkpoint(workflow, first=True)
        with clock(run, "complete"):
            (user_task,) = workflow.get_tasks(state=TaskState.READY)
            user_task.data["betrag"] = amount(index)
            user_task.run()
            workflow.do_engine_steps()
            workflow = checkpoint(workflow)
        waiting = workflow.get_tasks(state=TaskState.STARTED)
        if waiting:
            with clock(run, "service"):
                (service_task,) = workflow.get_tasks(state=TaskState.STARTED)
                service_task.data["status"] = "done"
                service_task.complete()
                workflow.do_engine_steps()
                workflow = checkpoint(workflow)
        if not workflow.is_completed() or bool(waiting) != (amount(index) == HIGH):
            run.failures.append(f"raw instance {index}: not completed as modelled")


# --- One database (child process) -----------------------------------------------------------------------------


def measure(instances: int, *, profile: bool, sql: bool) -> None:
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from amtsflow.files import services as files_services
    from amtsflow.files.demo import PLAN
    from amtsflow.files.models import Vorgang
    from amtsflow.processes import services
    from amtsflow.processes.constants import InstanceStatus, TaskState
    from amtsflow.processes.models import ConnectorCall, ProcessInstance, Task
    from amtsflow.processes.services import automation
    from amtsflow.tenants import demo
    from amtsflow.tenants.actor import Actor
    from amtsflow.tenants.context import tenant_scope
    from amtsflow.tenants.models import Tenant, User
    from amtsflow.tenants.selectors import get_membership

    started_all = time.perf_counter()
    call_command("migrate", verbosity=0)
    demo.load()
    tenant = Tenant.objects.get(slug="musterstadt")

    def actor_of(username: str) -> Actor:
        return Actor.for_membership(get_membership(tenant=tenant, user=User.objects.get(username=username)))

    platform, raw, raw_table = Run(), Run(), Run()
    statements = [0]  # SQL statements sent by Django (savepoints included), counted while the platform runs
    # With --sql: the statements of the first measured instance of each branch, by step, each with the time the
    # database took for it (reporting only).
    listing: dict[str, list[str]] | None = None
    listing_step = ["start"]

    def count(execute: Callable, sql: str, params: object, many: bool, context: dict) -> object:  # noqa: FBT001
        statements[0] += 1
        if listing is None:
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            listing.setdefault(listing_step[0], []).append(f"{(time.perf_counter() - started) * 1000:6.2f} ms  {sql}")

    # The connector step runs inside complete_task's commit (on_commit → eager Celery task); timed on its own.
    connector_run = automation.run_connectors
    connector_spent = [0.0, 0]  # seconds, statements

    def timed_connectors(instance: ProcessInstance, **options: object) -> int:
        started, before, outer = time.perf_counter(), statements[0], listing_step[0]
        listing_step[0] = "connector"
        try:
            return connector_run(instance, **options)
        finally:
            listing_step[0] = outer
            connector_spent[0] += time.perf_counter() - started
            connector_spent[1] += statements[0] - before

    automation.run_connectors = timed_connectors

    with tenant_scope(tenant):
        owner, clerk, registratur = actor_of("prozesse"), actor_of("sachbearbeitung"), actor_of("registratur")
        plan_entry = "0.10.01"  # where the reference model files its cases
        for number, title, years, action, accepts in PLAN:
            if plan_entry.startswith(number):
                files_services.create_plan_entry(
                    actor=registratur,
                    number=number,
                    title=title,
                    retention_years=years,
                    disposal_action=action,
                    accepts_files=accepts,
                )
        model = services.import_model(actor=owner, bpmn=REFERENCE.read_bytes())
        services.deploy(actor=owner, model=model)

        def through_platform(index: int, run: Run) -> ProcessInstance:
            with connection.execute_wrapper(count):
                listing_step[0] = "start"
                first, started = statements[0], time.perf_counter()
                instance = services.start_instance(actor=clerk, model=model, subject=f"Referenzfall {index}")
                run.add("start", time.perf_counter() - started, statements[0] - first)
                listing_step[0] = "complete"
                (seconds, sql), first, started = list(connector_spent), statements[0], time.perf_counter()
                task = Task.objects.get(instance=instance, state=TaskState.OPEN)  # the inbox row of the user task
                services.complete_task(actor=clerk, task=task, data={"betrag": str(amount(index))})
                seconds, sql = connector_spent[0] - seconds, connector_spent[1] - sql
                run.add("complete", time.perf_counter() - started - seconds, statements[0] - first - sql)
            if seconds:
                run.add("connector", seconds, sql)
            return instance

        def check(index: int, instance: ProcessInstance, run: Run) -> None:
            """Outside the clock: the end state, and the connector's effect on the connector branch."""
            instance.refresh_from_db()
            if instance.status != InstanceStatus.COMPLETED:
                run.failures.append(f"platform instance {index}: {instance.status}")
            elif amount(index) == HIGH and not (
                ConnectorCall.objects.filter(instance=instance).exists()
                and Vorgang.objects.get(public_id=instance.case_id).status == "done"
            ):
                run.failures.append(f"platform instance {index}: connector step missing")

        engine = RawEngine()
        table = connection.ops.quote_name("bench_raw_state")
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {table} (id integer PRIMARY KEY, state text NOT NULL)")

        def store(index: int, state: str, first: bool) -> None:  # noqa: FBT001
            with connection.cursor() as cursor:
                if first:
                    cursor.execute(f"INSERT INTO {table} (id, state) VALUES (%s, %s)", [index, state])  # noqa: S608
                else:
                    cursor.execute(f"UPDATE {table} SET state = %s WHERE id = %s", [state, index])  # noqa: S608

        # Warm-up (not measured): parse caches, imports, the first file of the year, prepared statements.
        warm = Run()
        for index in range(-WARM_UP, 0):
            check(index, through_platform(index, warm), warm)
            engine.run(index, warm)
            engine.run(index, warm, store)
        if warm.failures:
            sys.exit(f"warm-up failed: {warm.failures}")

        # The paths take turns instance by instance, so a busy machine slows all of them alike.
        profiler = cProfile.Profile() if profile else None
        listings: dict[int, dict[str, list[str]]] = {}
        for index in range(instances):
            if sql and index < 2:  # noqa: PLR2004 - one instance of each branch
                listing = listings[index] = {}
            started = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            instance = through_platform(index, platform)
            if profiler is not None:
                profiler.disable()
            listing = None
            platform.seconds += time.perf_counter() - started
            check(index, instance, platform)
            for run, table_store in ((raw, None), (raw_table, store)):
                started = time.perf_counter()
                engine.run(index, run, table_store)
                run.seconds += time.perf_counter() - started
        for run in (platform, raw, raw_table):
            run.instances = instances
        if profiler is not None:
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(60)
        for index, steps in listings.items():
            for step, sent in steps.items():
                print(f"-- SQL of instance {index} (betrag {amount(index)}), {step}: {len(sent)}", file=sys.stderr)  # noqa: T201
                for text in sent:
                    print(f"   {text[:300]}", file=sys.stderr)  # noqa: T201

    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        version = cursor.fetchone()[0]
    failures = platform.failures + raw.failures + raw_table.failures
    lines = [
        f"database: {connection.vendor} {version}",
        f"N: {instances} instances per path ({instances - instances // 2} via the service task, {instances // 2} "
        f"via the default flow), after {WARM_UP} warm-up instances",
        f"platform (services, autocommit):   {platform.rate:8.1f} instances/s  ({platform.seconds:.2f} s)",
        f"  per step: {platform.breakdown()}",
        f"raw SpiffWorkflow (no database):   {raw.rate:8.1f} instances/s  ({raw.seconds:.2f} s)",
        f"  per step: {raw.breakdown()}",
        f"raw + JSON in a plain table:       {raw_table.rate:8.1f} instances/s  ({raw_table.seconds:.2f} s)"
        "  (for scale only)",
        f"ratio platform/raw: {platform.rate / raw.rate:.2f}",
        f"failures: {len(failures)}" + (f" ({'; '.join(failures[:5])})" if failures else ""),
        f"run took {time.perf_counter() - started_all:.0f} s",
    ]
    print("\n".join(lines), flush=True)  # noqa: T201
    if failures:
        sys.exit(1)


# --- Orchestration (parent process) ---------------------------------------------------------------------------


def postgres_database(url: str) -> tuple[str, str] | None:
    """(maintenance URL, database name) when the server answers, else None."""
    import psycopg

    base, _, name = url.rpartition("/")
    maintenance = f"{base}/postgres"
    try:
        psycopg.connect(maintenance, connect_timeout=3).close()
    except psycopg.OperationalError:
        return None
    return maintenance, name


def recreate(maintenance: str, name: str, *, create: bool) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def child(database_url: str, instances: int, *, profile: bool, sql: bool) -> int:
    """Measure one database in a fresh process with its own data directory (documents, secret key)."""
    with tempfile.TemporaryDirectory(prefix="amtsflow-bench-") as data:
        env = {**os.environ, "DATABASE_URL": database_url, "AMTSFLOW_DATA_DIR": data}
        command = [sys.executable, __file__, "--instances", str(instances), "--child"]
        command += ["--profile"] if profile else []
        command += ["--sql"] if sql else []
        return subprocess.run(command, env=env, check=False).returncode  # noqa: S603


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=DEFAULT_INSTANCES, help="instances per path (N)")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="created for the run and dropped afterwards")
    parser.add_argument("--profile", action="store_true", help="cProfile the platform path (to stderr)")
    parser.add_argument("--sql", action="store_true", help="list each step's SQL of one instance per branch (stderr)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.instances, profile=args.profile, sql=args.sql)
        return

    failed = False
    if args.database in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="amtsflow-bench-") as directory:
            print("-- SQLite", flush=True)  # noqa: T201
            failed |= (
                child(
                    f"sqlite:///{Path(directory) / 'bench.sqlite3'}", args.instances, profile=args.profile, sql=args.sql
                )
                != 0
            )
    if args.database in ("postgresql", "both"):
        server = postgres_database(args.postgres_url)
        if server is None:
            print(f"-- PostgreSQL not reachable at {args.postgres_url.rpartition('/')[0]}: skipped")  # noqa: T201
            failed |= args.database == "postgresql"
        else:
            maintenance, name = server
            print(f"\n-- PostgreSQL (database {name}, created for this run)", flush=True)  # noqa: T201
            recreate(maintenance, name, create=True)
            try:
                failed |= child(args.postgres_url, args.instances, profile=args.profile, sql=args.sql) != 0
            finally:
                recreate(maintenance, name, create=False)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
