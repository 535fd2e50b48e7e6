"""`casegraph ask` talks to a running `casegraph serve` for the same store (its JSON ask API) and
prints exactly what it would print by itself; without one it answers by itself."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import cli
from search.service import ask_running, start_api, stop_api

MINI = Path(__file__).parent / "data" / "mini"
QUESTION = "Who chairs the Harbour Learning Network?"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from .conftest import engine_for

    return engine_for(MINI, tmp_path_factory.mktemp("served") / "store").store


@pytest.fixture
def api(store):
    server = start_api(store, warm=False)
    yield server
    stop_api(server)
    assert not store.serve_path.exists()


def _ask(store, capsys, *extra) -> str:
    assert cli.main(["ask", QUESTION, "--store", str(store.root), *extra]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("form", [["--json"], []])
def test_ask_through_the_server_prints_what_it_prints_alone(store, api, capsys, form):
    served = _ask(store, capsys, *form)
    assert api.answered == 1
    assert served == _ask(store, capsys, *form, "--local")
    assert api.answered == 1


def test_the_api_wants_the_token_in_serve_json(store, api):
    info = json.loads(store.serve_path.read_text("utf-8"))
    assert store.serve_path.stat().st_mode & 0o077 == 0  # owner-only
    request = urllib.request.Request(f"http://127.0.0.1:{info['port']}/ask", data=b'{"question": "x"}',
                                     headers={"Authorization": "Bearer wrong"}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=30)
    assert err.value.code == 401
    assert ask_running(store, QUESTION)["question"] == QUESTION


def test_a_stale_serve_json_is_ignored(store, capsys):
    store.serve_path.write_text(json.dumps({"pid": 2**22 + 12345, "port": 9, "token": "gone"}))
    assert ask_running(store, QUESTION) is None
    assert not store.serve_path.exists()  # its server is gone: the file is removed
    assert json.loads(_ask(store, capsys, "--json"))["question"] == QUESTION


def test_the_shell_command_prints_the_whole_answer_before_its_fast_exit(store):
    """`casegraph ask` skips the interpreter's teardown: its output, piped, must still arrive whole,
    and a new process must not pay for spaCy's own command line."""
    import subprocess
    import sys

    code = ("import sys, cli\n"
            "sys.argv = ['casegraph', *sys.argv[1:]]\n"
            "import atexit\n"
            "atexit.register(lambda: print('teardown ran', file=sys.stderr))\n"
            "cli.console()\n")
    done = subprocess.run([sys.executable, "-c", code, "ask", QUESTION, "--json", "--local", "--store", str(store.root)],
                          capture_output=True, text=True, timeout=300, cwd=Path(cli.__file__).parent)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["question"] == QUESTION
    assert "teardown ran" not in done.stderr


def test_spacy_loads_without_its_command_line_and_can_still_import_it():
    import subprocess
    import sys

    code = ("import sys\n"
            "from ingest.nlp import load_nlp\n"
            "doc = load_nlp()('Who chairs the network?')\n"
            "assert [t.dep_ for t in doc][1] == 'ROOT'\n"
            "assert 'typer' not in sys.modules and 'requests' not in sys.modules, 'spacy.cli was imported'\n"
            "import spacy.cli\n"
            "assert callable(spacy.cli.info) and 'typer' in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          cwd=Path(cli.__file__).parent)
    assert done.returncode == 0, done.stderr
