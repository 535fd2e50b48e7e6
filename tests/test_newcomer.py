"""What a newcomer hits first: `make run` with a bad file in the corpus, and a README whose
paths and commands are true."""

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import cli

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "data" / "mini"


def test_ingest_with_an_unreadable_file_exits_1_and_keeps_the_rest(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(MINI, corpus)
    (corpus / "scrambled.txt").write_bytes(bytes(range(256)) * 40)  # binary data under a text name
    store = tmp_path / "store"

    assert cli.main(["ingest", str(corpus), "--store", str(store), "--quiet"]) == 1

    err = capsys.readouterr().err
    assert "failed scrambled.txt:" in err and "binary" in err
    files = json.loads((store / "manifest.json").read_text("utf-8"))["files"]
    assert files["scrambled.txt"]["status"] == "failed"
    assert {n for n, e in files.items() if e["status"] == "ok"} == {p.name for p in MINI.iterdir()}


def _make_run(tmp_path, ingest_status: int) -> tuple[subprocess.CompletedProcess, list[str]]:
    """`make run` with a stand-in `casegraph` that records its calls: the Makefile is under test,
    not ingest or the UI (both are tested on their own)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    fake = bin_dir / "casegraph"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {log}\n[ "$1" = ingest ] && exit {ingest_status}\nexit 0\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    # -o setup: treat the venv as built, so the test installs nothing
    done = subprocess.run(["make", "-s", "-o", "setup", "run", f"BIN={bin_dir}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env=dict(os.environ, MAKEFLAGS=""))
    calls = log.read_text().splitlines() if log.exists() else []
    return done, calls


def test_make_run_serves_the_ui_when_some_files_failed(tmp_path):
    done, calls = _make_run(tmp_path, ingest_status=1)
    assert done.returncode == 0, done.stderr
    assert [c.split()[0] for c in calls] == ["ingest", "serve"]
    assert "could not be ingested" in done.stdout


def test_make_run_stops_when_ingest_cannot_run_at_all(tmp_path):
    done, calls = _make_run(tmp_path, ingest_status=2)  # e.g. an unwritable store
    assert done.returncode != 0
    assert [c.split()[0] for c in calls] == ["ingest"]
def test_make_eval_reads_development_sets_kept_in_the_repo():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    plan = subprocess.run(["make", "-n", "-o", "setup", "eval"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, MAKEFLAGS="")).stdout
    paths = re.findall(r"--(?:questions|entities) (\S+)", plan)
    assert len(paths) == 2 and all((ROOT / p).is_file() for p in paths), plan
    assert all(not p.startswith("..") for p in paths)


# -- the README -------------------------------------------------------------------------------

README = (ROOT / "README.md").read_text("utf-8")


def _named_paths(text: str) -> set[str]:
    """Repo paths the README names: link targets and `code` spans that look like files or folders."""
    links = re.findall(r"\]\(([^)#\s]+)\)", text)
    spans = re.findall(r"`([A-Za-z0-9_.\-/]+)`", text)
    named = set()
    for item in links + spans:
        if "://" in item or item.startswith(("-", ".casegraph", ".venv", "~")):  # .venv: made by make setup
            continue
        if "/" in item or re.search(r"\.(md|py|json|png|txt|toml|cfg)$", item) or item in ("Makefile",):
            named.add(item.rstrip("/"))
    return named


def test_every_path_the_readme_names_is_in_the_repo():
    named = _named_paths(README)
    assert "docs/ui-ask.png" in named
    tracked = set(subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split())
    folders = {str(Path(f).parent) for f in tracked} | {str(p) for f in tracked for p in Path(f).parents}
    missing = sorted(p for p in named if p not in tracked and p not in folders and not (ROOT / p).exists())
    assert not missing, f"README.md names paths the repo does not have: {missing}"
    outside = sorted(p for p in named if p.startswith(".."))
    assert not outside, f"README.md points outside the repo: {outside}"


def test_readme_is_short_and_names_the_two_commands():
    assert len(README.encode("utf-8")) < 8192
    assert "make run" in README and "make test" in README


def test_every_casegraph_subcommand_in_the_readme_is_in_help():
    out = subprocess.run([sys.executable, "-c", "import cli; cli.main(['--help'])"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60).stdout
    listed = set(re.findall(r"^    (\w+)\s", out, re.M))  # the subcommand list of --help
    code = "\n".join(re.findall(r"```sh\n(.*?)```", README, re.S) + re.findall(r"`([^`\n]+)`", README))
    used = set(re.findall(r"(?:^|\s)casegraph ([a-z]+)\b", code, re.M))
    assert used, "the README shows no casegraph command"
    assert used <= listed, f"README uses subcommands --help does not list: {sorted(used - listed)}"
