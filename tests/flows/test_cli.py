"""The parallax command line, run as a user runs it: a subprocess in a fresh folder."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def parallax(*args: str, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess:
    env = os.environ | {"PARALLAX_HOME": "", "PARALLAX_DB": "", "PREFECT_HOME": str(cwd / "prefect-home")}
    env = {k: v for k, v in env.items() if v != ""}
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """`parallax run` with no config: the bundled demo world, into ./parallax-data."""
    cwd = tmp_path_factory.mktemp("cli")
    return cwd, parallax("run", cwd=cwd)


def test_demo_run_succeeds_and_summarises(demo_run) -> None:
    cwd, result = demo_run
    assert result.returncode == 0, result.stderr
    assert re.search(r"feeds: 11 ok, 0 unchanged, 0 failed of 11", result.stdout)
    assert re.search(r"pages: 64 fetched, 1 failed of 65", result.stdout)  # the demo's flaky page
    assert re.search(r"articles: (\d+) new", result.stdout)
    assert int(re.search(r"articles: (\d+) new", result.stdout).group(1)) >= 60
    assert (cwd / "parallax-data" / "warehouse.duckdb").exists()
    assert "fetching pages" in result.stderr  # the progress bars


def test_demo_report_written(demo_run) -> None:
    cwd, _ = demo_run
    report = (cwd / "parallax-data" / "reports" / "latest.md").read_text(encoding="utf-8")
    assert "| rundblick |" in report and "status: **completed**" in report
    assert "http_503" in report  # the flaky page's failure is listed with its reason


def test_sql_json_and_csv(demo_run) -> None:
    cwd, _ = demo_run
    out = parallax("sql", "SELECT outlet_id, count(*) AS n FROM articles GROUP BY 1 ORDER BY 1",
                   "--format", "json", cwd=cwd)
    rows = json.loads(out.stdout)
    assert out.returncode == 0 and len(rows) == 9 and sum(r["n"] for r in rows) >= 60
    csv_out = parallax("sql", "SELECT name FROM outlets ORDER BY name", "-f", "csv", cwd=cwd)
    assert csv_out.stdout.splitlines()[0] == "name" and "Rundblick" in csv_out.stdout


def test_sql_is_read_only(demo_run) -> None:
    cwd, _ = demo_run
    out = parallax("sql", "DELETE FROM articles", cwd=cwd)
    assert out.returncode == 2 and "read-only" in out.stderr.lower()
    assert len(out.stderr.strip().splitlines()) == 1


def test_status_lists_runs_and_feeds(demo_run) -> None:
    cwd, _ = demo_run
    out = parallax("status", cwd=cwd)
    assert out.returncode == 0
    assert re.search(r"run \S+\s+completed", out.stdout) and "fetch_feeds" not in out.stdout
    assert out.stdout.count("failures in a row: 0") == 11


def test_second_writer_refused_with_run_and_time(demo_run) -> None:
    cwd, _ = demo_run
    hold = ("import sys,time; from pathlib import Path; from warehouse.lock import writer_lock\n"
            "with writer_lock(Path('parallax-data/warehouse.duckdb'), 'R-holding'):\n"
            "    print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", hold], cwd=cwd, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        out = parallax("run", cwd=cwd, timeout=60)
    finally:
        holder.kill()
        holder.wait()
    assert out.returncode != 0
    assert re.search(r"warehouse busy \(run R-holding since \d{4}-\d\d-\d\dT", out.stderr)


def test_unknown_verb_and_bad_option_refused(tmp_path: Path) -> None:
    verb = parallax("frobnicate", cwd=tmp_path)
    option = parallax("sql", "SELECT 1", "--format", "xml", cwd=tmp_path)
    flag = parallax("status", "--no-such-flag", cwd=tmp_path)
    assert verb.returncode == 2 and "No such command" in verb.stderr
    assert option.returncode == 2 and "--format" in option.stderr
    assert flag.returncode == 2 and "No such option" in flag.stderr


def test_invalid_config_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[outlets]]\nid = "x"\nname = "X"\nhomepage = "ftp://x"\nfeeds = []\n', encoding="utf-8")
    out = parallax("run", "--config", str(bad), cwd=tmp_path, timeout=60)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"parallax: error: {bad}: outlets[0] (id 'x')")
    assert not (tmp_path / "parallax-data" / "warehouse.duckdb").exists()


def test_every_command_is_documented_in_the_readme() -> None:
    from flows.cli import app

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert names and all(f"parallax {n}" in readme for n in names)


def test_demo_runs_night_by_night_and_is_safe_to_rerun(tmp_path: Path) -> None:
    first = parallax("demo", cwd=tmp_path, timeout=400)
    assert first.returncode == 0, first.stderr
    nights = re.findall(r"night of (2024-01-\d\d): (\w+); (\d+) new articles", first.stdout)
    assert len(nights) == 20 and nights[0][0] == "2024-01-10" and nights[-1][0] == "2024-01-29"
    assert sum(int(n) for _, _, n in nights) == 65  # the flaky page comes in a night late
    assert dict((d, s) for d, s, _ in nights)["2024-01-12"] == "completed"
    assert "the warehouse holds 65 articles from 9 outlets after 20 runs" in first.stdout
    again = parallax("demo", cwd=tmp_path, timeout=400)
    assert again.returncode == 0
    assert sum(int(n) for n in re.findall(r"; (\d+) new articles", again.stdout)) == 0
    assert "the warehouse holds 65 articles from 9 outlets after 40 runs" in again.stdout
