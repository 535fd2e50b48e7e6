"""The CLI: instant help, and the README's commands kept true."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

import cli

ROOT = Path(__file__).resolve().parents[1]


def test_help_is_instant_and_imports_no_model_library():
    code = "import sys, cli\ntry:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n" \
           "heavy = [m for m in ('torch', 'spacy', 'chromadb', 'gradio', 'sentence_transformers') if m in sys.modules]\n" \
           "print('HEAVY', heavy)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    assert "HEAVY []" in out
    for command in ("ingest", "ask", "export", "serve", "watch", "eval", "stats"):
        assert command in out


def _readme_commands():
    text = (ROOT / "README.md").read_text("utf-8")
    blocks = "\n".join(re.findall(r"```sh\n(.*?)```", text, re.S))
    return [line.strip() for line in re.findall(r"^\s*(casegraph [^\n#]+)", blocks, re.M)]


def test_readme_documents_the_two_setup_commands():
    text = (ROOT / "README.md").read_text("utf-8")
    assert "make run" in text and "make test" in text


def test_every_casegraph_command_in_the_readme_parses():
    commands = _readme_commands()
    assert len(commands) >= 6
    parser = cli.build_parser()
    for line in commands:
        argv = [a.strip('"\'') for a in re.findall(r'"[^"]*"|\'[^\']*\'|\S+', line)][1:]
        argv = [a for a in argv if a not in ("…", "...")]
        try:
            parser.parse_args(argv)
        except SystemExit as exc:  # argparse exits 0 only for --help
            pytest.fail(f"README command does not parse: {line} ({exc})")


def test_every_subcommand_in_help_is_in_the_readme():
    text = (ROOT / "README.md").read_text("utf-8")
    for command in ("ingest", "ask", "export", "serve", "watch", "eval", "stats"):
        assert f"casegraph {command}" in text, command
