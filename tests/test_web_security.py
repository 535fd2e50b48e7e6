"""The web surface over plain HTTP: the app runs on a free loopback port over a small ingested
corpus (real spaCy, embeddings, Chroma) with a secret file and symlinks just outside the corpus.

No path outside the corpus is readable through the document viewer or Gradio's file routes;
uploads with traversal names, oversize files and wrong types are refused or neutralised with a
message; report text and entity names are escaped; a public bind without a login is refused.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

import ui
from bench.load import free_port, gradio_call, well_formed
from ingest.records import Answer, Candidate, Fact, Source
from ingest.store import Store

DATA = Path(__file__).parent / "data" / "ui" / "corpus"
MARKER = "QUARTZ-ZEBRA-SECRET-7731"
SECRET_TEXT = f"Internal budget note\n\nThe password for the finance system is {MARKER}. Do not share it.\n"
UPLOAD_LIMIT = 100_000


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(url, corpus, store, secret path, root) of an app with a login-free loopback bind."""
    from app import consumers
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("websec")
    corpus = root / "corpus"
    shutil.copytree(DATA, corpus)
    outside = root / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(SECRET_TEXT, "utf-8")
    (corpus / "link-out.txt").symlink_to(secret)
    (corpus / "linked-dir").symlink_to(outside, target_is_directory=True)
    store = Store(root / "store")
    ingest(corpus, store, consumers=consumers(), progress=False)
    old = os.environ.get("CASEGRAPH_MAX_BYTES")
    os.environ["CASEGRAPH_MAX_BYTES"] = str(UPLOAD_LIMIT)
    demo = ui.build_app(store, corpus)
    port = free_port()
    ui.launch(demo, host="127.0.0.1", port=port, block=False)
    try:
        yield {"url": f"http://127.0.0.1:{port}", "port": port, "corpus": corpus, "store": store,
               "secret": secret, "root": root}
    finally:
        demo.close()
        if old is None:
            os.environ.pop("CASEGRAPH_MAX_BYTES", None)
        else:
            os.environ["CASEGRAPH_MAX_BYTES"] = old


def raw_get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, str]:
    """GET with the path sent byte for byte (no client-side normalising of `..` or escapes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def assert_no_leak(body: str, site) -> None:
    assert MARKER not in body
    assert "root:x:0:0" not in body  # /etc/passwd
    assert '"generation"' not in body and '"schema"' not in body  # the store's manifest


TRAVERSALS = [
    "../outside/secret.txt", "..%2Foutside%2Fsecret.txt", "%2e%2e%2foutside%2fsecret.txt",
    "%252e%252e%252foutside%252fsecret.txt", "..\\outside\\secret.txt", "..%5Coutside%5Csecret.txt",
    "....//outside/secret.txt", "%c0%ae%c0%ae/outside/secret.txt", "/etc/passwd", "%2Fetc%2Fpasswd",
    "file:///etc/passwd", "eastmoor-connected-care.txt/../../outside/secret.txt",
    "eastmoor-connected-care.txt%00../../outside/secret.txt", "../store/manifest.json", "linked-dir/secret.txt",
    "linked-dir%2Fsecret.txt", "./../outside/secret.txt",
]


def test_document_viewer_serves_corpus_documents(site):
    status, headers, body = raw_get(site["port"], f"{ui.DOC_ROUTE}?name=eastmoor-connected-care.txt&start=0&end=7")
    assert status == 200 and '<mark id="hl">' in body and "Eastmoor" in body
    assert "default-src 'none'" in headers.get("content-security-policy", "")


@pytest.mark.parametrize("name", TRAVERSALS)
def test_document_viewer_refuses_paths_outside_the_corpus(site, name):
    status, _, body = raw_get(site["port"], f"{ui.DOC_ROUTE}?name={name}")
    assert status in (400, 403, 404), (name, status)
    assert_no_leak(body, site)


def test_document_viewer_refuses_absolute_paths_of_real_files(site):
    for path in (site["secret"], site["store"].manifest_path, site["corpus"] / "eastmoor-connected-care.txt"):
        status, _, body = raw_get(site["port"], f"{ui.DOC_ROUTE}?name={quote(str(path), safe='')}")
        assert status == 404, path
        assert_no_leak(body, site)


def test_symlink_out_of_the_corpus_is_not_ingested_or_served(site):
    files = site["store"].read_manifest()["files"]
    assert not any(e.get("status") == "ok" and n.startswith(("link-out", "linked-dir")) for n, e in files.items()), files
    for name in ("link-out.txt", "linked-dir/secret.txt"):
        status, _, body = raw_get(site["port"], f"{ui.DOC_ROUTE}?name={quote(name)}")
        assert status == 404 and MARKER not in body, name


GRADIO_PATHS = [
    "/gradio_api/file={secret}", "/gradio_api/file=/etc/passwd", "/gradio_api/file={manifest}",
    "/file={secret}", "/file=/etc/passwd", "/gradio_api/file=../../../../../../etc/passwd",
    "/gradio_api/file=%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/../../../../../../etc/passwd",
    "/assets/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", "/gradio_api/static/..%2f..%2f..%2f..%2fetc/passwd",
    "/casegraph/doc/../../../../etc/passwd", "/gradio_api/file={corpus}/../outside/secret.txt",
    "/gradio_api/file={corpus}/link-out.txt", "/gradio_api/file={store}/graph.json",
]


@pytest.mark.parametrize("template", GRADIO_PATHS)
def test_gradio_file_routes_refuse_paths_outside(site, template):
    path = template.format(secret=site["secret"], manifest=site["store"].manifest_path, corpus=site["corpus"],
                           store=site["store"].root)
    status, _, body = raw_get(site["port"], path)
    assert status != 200 or (MARKER not in body and "root:x:0:0" not in body and '"nodes"' not in body), path
    assert_no_leak(body, site)


def test_export_route_refuses_bad_formats_and_keeps_file_names_safe(site):
    status, _, body = raw_get(site["port"], f"{ui.EXPORT_ROUTE}?fmt=..%2F..%2Fetc%2Fpasswd")
    assert status == 400 and "unknown format" in body
    status, headers, body = raw_get(site["port"], f"{ui.EXPORT_ROUTE}?fmt=json&place=..%2F..%2F%3Cscript%3E")
    disposition = headers.get("content-disposition", "")
    assert "/" not in disposition.split("filename", 1)[-1] and ".." not in disposition and "<" not in disposition
    assert_no_leak(body, site)


# -- uploads -------------------------------------------------------------------------------------------


def upload(site, filename: str, content: bytes) -> tuple[int, object]:
    """Gradio's upload route with a raw multipart body: (status, parsed reply)."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection("127.0.0.1", site["port"], timeout=120)
    try:
        conn.request("POST", f"/gradio_api/upload?upload_id={uuid.uuid4().hex[:10]}", body=body,
                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
    finally:
        conn.close()
    try:
        return resp.status, json.loads(text)
    except ValueError:
        return resp.status, text


def add_to_corpus(site, server_path: str, orig_name: str) -> tuple[str, object]:
    """Press "Add to corpus" for an uploaded file, over the HTTP API."""
    return gradio_call(site["url"], "upload", [[{"path": server_path, "orig_name": orig_name,
                                                 "meta": {"_type": "gradio.FileData"}}]], timeout=600)


def _outside_files(site) -> list[Path]:
    corpus = site["corpus"].resolve()
    return [p for p in site["root"].rglob("escape*") if corpus not in p.resolve().parents]


def test_upload_with_a_traversal_name_lands_inside_the_corpus(site):
    name = "../../escape-report.txt"
    status, reply = upload(site, name, b"Kestrel Housing Association repaired homes in Dunmore in 2022.\n")
    assert status == 200, reply
    event, value = add_to_corpus(site, reply[0], name)
    assert event == "complete", value
    assert not _outside_files(site)
    assert (site["corpus"] / "escape-report.txt").is_file()
    assert "escape-report.txt" in value[0]


def test_upload_over_the_size_limit_is_refused_with_a_message(site):
    status, reply = upload(site, "huge.txt", b"word " * (UPLOAD_LIMIT // 4))
    assert status == 413, (status, reply)
    assert "size" in str(reply).lower() or "large" in str(reply).lower()
    assert not (site["corpus"] / "huge.txt").exists()


def test_upload_of_a_wrong_type_is_refused_with_a_message(site):
    status, reply = upload(site, "tool.exe", b"MZ\x90\x00 not a report")
    if status == 200:  # Gradio accepted the bytes: the handler must refuse the file
        event, value = add_to_corpus(site, reply[0], "tool.exe")
        text = str(value)
        assert ("unsupported format" in text) or (event == "error" and "type" in text.lower()), value
    else:
        assert status in (400, 415, 422), (status, reply)
    assert not list(site["corpus"].glob("tool*"))


# -- escaping ------------------------------------------------------------------------------------------


def test_report_markup_is_escaped_in_the_viewer_and_in_answers(site):
    status, _, body = raw_get(site["port"], f"{ui.DOC_ROUTE}?name=unsafe-markup-note.txt")
    assert status == 200
    assert "<script>window.cgPwned" not in body and "&lt;script&gt;window.cgPwned" in body
    assert "<img src=x" not in body
    q = "Which organisation did Harbourside Digital work with on the review?"
    event, value = gradio_call(site["url"], "ask", [q], timeout=600)
    assert event == "complete", value
    panel = value[0]
    assert not well_formed(panel, q)
    assert "<script>" not in panel and "<img src=x" not in panel


HOSTILE_NAME = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_entity_names_and_answer_fields_are_escaped():
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_node("organisation:evil", type="organisation", name=HOSTILE_NAME, aliases=[HOSTILE_NAME], docs=["a<b>.txt"])
    g.add_node("place:x", type="place", name="X&<y>", aliases=[], docs=["a<b>.txt"])
    g.add_edge("organisation:evil", "place:x", key="located_in:a:0", relation="located_in", doc="a<b>.txt",
               evidence=HOSTILE_NAME + " is in X&<y>.", start=0, end=10, page=None, role=None)
    profile = ui.render_profile(g, "organisation:evil", {"a<b>.txt": HOSTILE_NAME})
    ans = Answer(question=HOSTILE_NAME, answer=HOSTILE_NAME, answer_type="organisation",
                 candidates=(Candidate(HOSTILE_NAME, "organisation", 0.9, "organisation:evil"),),
                 facts=(Fact(HOSTILE_NAME, "<b>leads</b>", HOSTILE_NAME, "<i>x</i>", 0),),
                 sources=(Source("a<b>.txt", HOSTILE_NAME, None, HOSTILE_NAME + " leads.", 0, 10, 0.5),))
    panel = ui.render_answer(ans, g)
    for out in (profile, panel):
        assert "<script>" not in out and "<img src=x" not in out and "<b>leads" not in out and "<i>x" not in out
        assert "&lt;script&gt;" in out


# -- binding and login -----------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "", "example.org", "127.0.0.1.nip.io"])
def test_public_bind_without_login_is_refused(monkeypatch, capsys, host):
    import cli

    monkeypatch.delenv("CASEGRAPH_AUTH", raising=False)
    with pytest.raises(ValueError, match="--auth"):
        ui.check_bind(host, None)
    port = free_port()
    assert cli.main(["serve", "--host", host, "--port", str(port), "--store", "/nonexistent-store"]) == 2
    assert "refusing" in capsys.readouterr().err
    with socket.socket() as s, pytest.raises(OSError):
        s.settimeout(1)
        s.connect(("127.0.0.1", port))


def test_with_a_login_the_routes_and_api_need_it(site):
    demo = ui.build_app(site["store"], site["corpus"])
    port = free_port()
    ui.launch(demo, host="127.0.0.1", port=port, auth=("ana", "s3cret-pw"), block=False)
    try:
        status, _, body = raw_get(port, f"{ui.DOC_ROUTE}?name=eastmoor-connected-care.txt")
        assert status == 401 and "Eastmoor" not in body
        status, _, body = raw_get(port, f"{ui.EXPORT_ROUTE}?fmt=json")
        assert status == 401
        with pytest.raises(Exception) as info:
            gradio_call(f"http://127.0.0.1:{port}", "ask", ["Who leads Eastmoor?"], timeout=30)
        assert "401" in str(info.value) or "403" in str(info.value)
    finally:
        demo.close()
