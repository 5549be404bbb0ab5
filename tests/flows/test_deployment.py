"""The deployments of prefect.yaml, run as README "Running every night" says: a real local Prefect
server, `prefect deploy`, a process worker and `prefect deployment run --watch`, offline, on 127.0.0.1.

Everything started here runs in its own process group and is torn down even when a test fails;
the last test asserts that no process of the server, the worker or their flow runs is left.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from demo.server import DEMO_FAULTS, DemoWorld

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).with_name("prefect"))
SERVER_START_S = 180        # first start migrates a fresh SQLite database (~10 s idle, more when loaded)
CLI_S = 180                 # one `prefect ...` command
RUN_S = 240                 # one flow run, from scheduling to a final state
STOP_S = 30                 # SIGTERM, then SIGKILL, then waiting for the pids to vanish
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def _free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(what: str, check: Callable[[], Any], timeout: float, *, every: float = 0.5) -> Any:
    """Poll `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def _stat(pid: int) -> list[str] | None:
    """Fields 3 onwards of /proc/<pid>/stat (state, ppid, ...), or None when the pid does not exist."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _ident(pid: int) -> tuple[int, str] | None:
    """(pid, start time): names one process even if its pid is reused later."""
    fields = _stat(pid)
    return (pid, fields[19]) if fields else None


def _alive(ident: tuple[int, str]) -> bool:
    """The very process named by `ident` exists and is not a zombie."""
    fields = _stat(ident[0])
    return bool(fields) and fields[19] == ident[1] and fields[0] != "Z"


def _descendants(pids: set[int]) -> set[tuple[int, str]]:
    """Every live descendant of these pids, as idents (the parent pid is field 4 of stat)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = set(pids)
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return {i for pid in found if (i := _ident(pid))}


@dataclass
class Stack:
    """A Prefect server and worker started for the test, with everything needed to talk to them."""

    tmp: Path
    env: dict[str, str]
    api: str
    procs: list[subprocess.Popen] = field(default_factory=list)
    seen: set[tuple[int, str]] = field(default_factory=set)   # every process of ours ever seen (pid, start)
    stopped: bool = False

    def prefect(self, *args: str, env: dict[str, str] | None = None,
                timeout: float = CLI_S) -> subprocess.CompletedProcess:
        """Run a `prefect` command in the project folder, as README shows it."""
        result = subprocess.run([PREFECT, *args], cwd=REPO, env=env or self.env, capture_output=True, text=True,
                                timeout=timeout, start_new_session=True)
        assert result.returncode == 0, f"prefect {' '.join(args)}: {result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        return result

    def start(self, name: str, *args: str) -> subprocess.Popen:
        """Start a long-running `prefect` command in its own process group, logging to a file."""
        log = (self.tmp / f"{name}.log").open("wb")
        proc = subprocess.Popen([PREFECT, *args], cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self.procs.append(proc)
        if ident := _ident(proc.pid):
            self.seen.add(ident)
        return proc

    def log(self, name: str) -> str:
        """The tail of a started process's output, for failure messages."""
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def get(self, path: str) -> Any:
        """GET from the server's REST API."""
        response = httpx.get(self.api + path, timeout=30)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        """POST a filter or an action to the server's REST API."""
        response = httpx.post(self.api + path, json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def track(self) -> None:
        """Remember every current descendant of our processes (flow runs start in their own sessions)."""
        if not self.stopped:
            self.seen |= _descendants({p.pid for p in self.procs if p.poll() is None})

    def stop(self) -> set[tuple[int, str]]:
        """Terminate our process groups and every process of ours seen; return those still alive."""
        self.track()
        self.stopped = True
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for proc in self.procs:
                if proc.poll() is None:
                    os.killpg(proc.pid, sig)       # our own child, not reaped yet: its pid is still ours
            for ident in self.seen:
                if _alive(ident):
                    try:
                        os.kill(ident[0], sig)
                    except ProcessLookupError:
                        pass
            deadline = time.monotonic() + STOP_S / 2
            for proc in self.procs:
                try:
                    proc.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    pass
            try:
                _wait_for("our processes to exit", lambda: not any(_alive(p) for p in self.seen), STOP_S / 2)
                break
            except AssertionError:
                continue
        return {ident for ident in self.seen if _alive(ident)}


def _env(home: Path, api: str) -> dict[str, str]:
    """The environment of README's commands: a private Prefect home, telemetry off, our API."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PREFECT_", "PARALLAX_"))}
    return env | {"PREFECT_HOME": str(home), "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                  "PREFECT_API_URL": api, "PREFECT_UI_ENABLED": "false"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Server, work pool, deployments and worker, exactly as README "Running every night" sets them up."""
    tmp = tmp_path_factory.mktemp("deployment")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    stack = Stack(tmp=tmp, env=_env(tmp / "prefect-home", api), api=api)
    try:
        server = stack.start("server", "server", "start", "--host", "127.0.0.1", "--port", str(port))

        def healthy() -> bool:
            assert server.poll() is None, f"prefect server exited:\n{stack.log('server')}"
            try:
                return httpx.get(api + "/health", timeout=5).status_code == 200
            except httpx.HTTPError:
                return False

        _wait_for("the Prefect server", healthy, SERVER_START_S)
        stack.prefect("work-pool", "create", "parallax", "--type", "process")
        stack.prefect("--no-prompt", "deploy", "--all")
        stack.start("worker", "worker", "start", "--pool", "parallax")
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def world() -> Iterator[DemoWorld]:
    """The demo world with its faults (a malformed feed, a page that answers 503 three times)."""
    with DemoWorld(faults=DEMO_FAULTS) as w:
        yield w


def _flow_run_id(output: str) -> str:
    """The flow run id `prefect deployment run` prints."""
    found = re.search(r"UUID: ([0-9a-f-]{36})", output)
    assert found, output
    return found.group(1)


def _run_deployment(stack: Stack, name: str, *params: str) -> dict[str, Any]:
    """`prefect deployment run NAME --param ... --watch`, then the flow run as the API has it, final."""
    args = ["deployment", "run", name, *[a for p in params for a in ("--param", p)],
            "--watch", "--watch-timeout", str(RUN_S)]
    result = subprocess.run([PREFECT, *args], cwd=REPO, env=stack.env, capture_output=True, text=True,
                            timeout=RUN_S + CLI_S, start_new_session=True)
    stack.track()
    flow_run_id = _flow_run_id(result.stdout)
    run = _wait_for(f"flow run {flow_run_id} to finish",
                    lambda: (r := stack.get(f"/flow_runs/{flow_run_id}"))["state_type"] in FINAL and r, RUN_S)
    assert run["state_type"] == "COMPLETED", (f"{run['state_type']}: {result.stdout[-3000:]}\n{result.stderr[-2000:]}"
                                              f"\nworker:\n{stack.log('worker')}")
    assert result.returncode == 0 and "Flow run finished successfully in 'Completed'" in result.stdout
    return run


@pytest.fixture(scope="module")
def night(stack: Stack, world: DemoWorld) -> dict[str, Any]:
    """One run of the nightly deployment on the demo world, into a data folder in tmp."""
    config = world.write_config(stack.tmp / "outlets.toml")
    data = stack.tmp / "data"
    run = _run_deployment(stack, "nightly/nightly", f"config={config}", f"data_dir={data}")
    return dict(run=run, data=data)


def test_all_three_deployments_on_the_process_pool(stack: Stack) -> None:
    assert stack.get("/work_pools/parallax")["type"] == "process"
    deployments = {d["name"]: d for d in stack.post("/deployments/filter", {})}
    assert set(deployments) >= {"nightly", "backfill", "report"}
    assert all(d["work_pool_name"] == "parallax" for d in deployments.values())
    assert deployments["nightly"]["global_concurrency_limit"]["limit"] == 1
    assert deployments["backfill"]["global_concurrency_limit"]["limit"] == 1
    assert deployments["backfill"]["parameter_openapi_schema"]["required"] == ["file"]
    assert set(deployments["report"]["parameter_openapi_schema"]["properties"]) == {"date", "db", "data_dir"}


def test_nightly_schedule_defaults_and_environment_override(stack: Stack) -> None:
    def schedule() -> dict[str, Any]:
        nightly = stack.get("/deployments/name/nightly/nightly")
        assert len(nightly["schedules"]) == 1
        return nightly["schedules"][0]["schedule"]

    assert schedule() == {"cron": "0 2 * * *", "timezone": "UTC", "day_or": True}   # the variables are unset
    custom = stack.env | {"PARALLAX_CRON": "30 3 * * 1-5", "PARALLAX_TIMEZONE": "Europe/Berlin"}
    stack.prefect("--no-prompt", "deploy", "--name", "nightly", env=custom)
    assert schedule() == {"cron": "30 3 * * 1-5", "timezone": "Europe/Berlin", "day_or": True}
    stack.prefect("--no-prompt", "deploy", "--name", "nightly")
    assert schedule()["cron"] == "0 2 * * *"


def test_nightly_run_fills_the_warehouse(night: dict[str, Any]) -> None:
    with duckdb.connect(str(night["data"] / "warehouse.duckdb"), read_only=True) as con:
        articles, outlets = con.execute("SELECT count(*), count(DISTINCT outlet_id) FROM articles").fetchone()
        runs = con.execute("SELECT status FROM runs").fetchall()
        stages = dict(con.execute("SELECT stage, seconds FROM run_stages").fetchall())
    assert outlets == 9 and articles >= 60
    assert runs == [("completed",)]      # all feeds reached; the flaky page failed its three tries
    assert {"feeds", "pages", "extract"} <= set(stages) and all(s is not None for s in stages.values())
    assert (night["data"] / "reports" / "latest.md").exists()


def test_nightly_run_has_its_report_artifact_and_timed_stage_logs(stack: Stack, night: dict[str, Any]) -> None:
    flow_run_id = night["run"]["id"]
    artifacts = stack.post("/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [flow_run_id]}}})
    reports = [a for a in artifacts if a["key"] == "run-report"]
    assert len(reports) == 1 and reports[0]["type"] == "markdown"
    assert reports[0]["data"].startswith("# Parallax run ") and "status: **completed**" in reports[0]["data"]
    assert "| rundblick |" in reports[0]["data"] and "http_503" in reports[0]["data"]
    logs = stack.post("/logs/filter", {"logs": {"flow_run_id": {"any_": [flow_run_id]}}, "limit": 200})
    messages = "\n".join(entry["message"] for entry in logs)
    for stage in ("feeds", "pages", "extract"):
        assert re.search(rf"stage {stage}: \d+ in, \d+ ok, .* \(\d+\.\d s\)", messages), messages


def test_report_deployment_rerenders_the_latest_run(stack: Stack, night: dict[str, Any]) -> None:
    latest = night["data"] / "reports" / "latest.md"
    latest.unlink()
    run = _run_deployment(stack, "report/report", f"data_dir={night['data']}")
    text = latest.read_text(encoding="utf-8")
    assert text.startswith("# Parallax run ") and "| rundblick |" in text
    artifacts = stack.post("/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
    assert [a["key"][:7] for a in artifacts] == ["report-"] and artifacts[0]["data"] == text


def test_teardown_leaves_no_process(stack: Stack) -> None:
    """Run last (file order): stop the module's stack now and check every pid it ever had is gone."""
    stack.track()
    assert len(stack.seen) >= 2
    orphans = stack.stop()
    assert not orphans, f"still alive after teardown: {sorted(orphans)}"
    assert all(p.poll() is not None for p in stack.procs)
