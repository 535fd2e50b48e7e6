"""A running `casegraph serve` answers `casegraph ask` for the same store, so a question from the
shell costs one local HTTP round trip instead of loading models and indexes in a new process.

The API, on 127.0.0.1 only: `POST /ask` with the JSON body `{"question": "...", "k": 5}` and the
header `Authorization: Bearer TOKEN` answers with the `ask --json` object (400 for a bad body,
401 for a wrong token). While it runs, the server keeps `<store>/serve.json` = `{"pid", "port",
"token"}`, readable by its owner only: that file is how `ask` finds it, and the token keeps other
local users out, as `--auth` does for the UI. `ask` answers by itself when the file is missing or
stale, or the server does not answer.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ingest.records import Answer, Candidate, Fact, Source
from ingest.store import Store, atomic_write_bytes

__all__ = ["start_api", "stop_api", "ask_running", "answer_from_dict"]

MAX_BODY = 1 << 20


def start_api(store: Store, *, warm: bool = True) -> ThreadingHTTPServer:
    """Serve the ask API for `store` on a free loopback port in a daemon thread and write
    `store.serve_path`; `server.shutdown()` then `stop_api(server)` ends it."""
    from .engine import Engine

    engine = Engine(store, vector_files=True)
    token = secrets.token_urlsafe(24)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server naming
            if self.path != "/ask":
                return self._reply(404, {"error": "POST /ask"})
            if not secrets.compare_digest(self.headers.get("Authorization", ""), f"Bearer {token}"):
                return self._reply(401, {"error": "wrong token: read it from serve.json in the store"})
            try:
                size = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(min(size, MAX_BODY)) or b"{}")
                question, k = str(body["question"]), int(body.get("k", 5))
            except (ValueError, KeyError, TypeError) as exc:
                return self._reply(400, {"error": f"give a JSON body {{\"question\": str, \"k\": int}} ({exc})"})
            self.server.answered += 1
            self._reply(200, asdict(engine.ask(question, k=k)))

        def _reply(self, status: int, data: dict) -> None:
            payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:  # the UI's console is for the UI
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.answered = 0
    server.store = store

    def run() -> None:
        if warm and store.exists():
            engine.warm()
        server.serve_forever()

    threading.Thread(target=run, name="casegraph-ask-api", daemon=True).start()
    info = json.dumps({"pid": os.getpid(), "port": server.server_address[1], "token": token}).encode()
    atomic_write_bytes(store.serve_path, info)
    os.chmod(store.serve_path, 0o600)
    return server


def stop_api(server: ThreadingHTTPServer) -> None:
    """Stop serving and remove `serve.json` when it is still this process's."""
    server.shutdown()
    server.server_close()
    try:
        if json.loads(server.store.serve_path.read_text("utf-8")).get("pid") == os.getpid():
            server.store.serve_path.unlink()
    except (OSError, ValueError):
        pass


def ask_running(store: Store, question: str, *, k: int = 5, timeout: float = 120) -> dict | None:
    """The `ask --json` object from a `casegraph serve` running for `store`, or None when there is
    none (or it did not answer): the caller then answers by itself."""
    import http.client

    try:
        info = json.loads(store.serve_path.read_text("utf-8"))
        pid, port, token = int(info["pid"]), int(info["port"]), str(info["token"])
        if pid != os.getpid():
            os.kill(pid, 0)
    except ProcessLookupError:  # a server stopped by a signal leaves its file behind
        store.serve_path.unlink(missing_ok=True)
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/ask", body=json.dumps({"question": question, "k": k}).encode("utf-8"),
                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        reply = conn.getresponse()
        data = reply.read()
        return json.loads(data) if reply.status == 200 else None
    except (OSError, ValueError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def answer_from_dict(data: dict) -> Answer:
    """The Answer record of an `ask --json` object."""
    return Answer(question=data["question"], answer=data["answer"], answer_type=data["answer_type"],
                  candidates=tuple(Candidate(**c) for c in data.get("candidates", ())),
                  facts=tuple(Fact(**f) for f in data.get("facts", ())),
                  sources=tuple(Source(**s) for s in data.get("sources", ())))
