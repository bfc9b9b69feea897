"""gunicorn's threaded worker, made to survive slow clients and to answer its own errors as
problem+json (`trustnet serve` runs it: `--worker-class graph_service.api.http_worker.BufferingWorker`).

Stock gthread hands a connection to a thread as soon as its first byte arrives; the thread then
blocks reading the rest, so a dozen clients sending a header byte a second hold every thread and
the API stops answering. This worker reads each request, its head and a body of up to the API's
size limit, in its event loop without blocking, and hands it to a thread only once it is all
there. A request not complete within TRUSTNET_API_REQUEST_READ_TIMEOUT_S is answered 408 and its
connection closed. A slow client so costs a few kilobytes of buffer, never a thread; a worker holds
at most gunicorn's worker_connections (1,000) connections.

A body over the limit (or a chunked one still going past it) is handed on with what has arrived:
the app answers 413 from that without waiting for the rest, and the connection is closed after the
answer. gunicorn's own refusals (a malformed request line, too many or too large headers) are
problem+json like every other error.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field

from gunicorn.http import errors as http_errors
from gunicorn.workers.gthread import TConn, ThreadWorker

from graph_service.api.problems import PROBLEM_JSON, problem_body
from graph_service.core.settings import Settings

CONTENT_LENGTH = re.compile(rb"\r\ncontent-length[ \t]*:[ \t]*(\d+)[ \t]*(?=\r\n)", re.IGNORECASE)
CHUNKED = re.compile(rb"\r\ntransfer-encoding[ \t]*:[^\r\n]*chunked", re.IGNORECASE)
EXPECT_CONTINUE = re.compile(rb"\r\nexpect[ \t]*:[ \t]*100-continue[ \t]*(?=\r\n)", re.IGNORECASE)
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
HEAD_END = b"\r\n\r\n"
READ_SIZE = 64 * 1024
# gunicorn's own parse errors and the status it gives them; anything else is a 500.
PARSE_STATUS = ((http_errors.LimitRequestHeaders, 431), (http_errors.UnsupportedTransferCoding, 501),
                (http_errors.ConfigurationProblem, 500), (http_errors.ForbiddenProxyRequest, 403),
                (http_errors.ParseException, 400))


@dataclass
class _Arriving:
    """A request being read in the event loop; its head is parsed once, when it is complete."""
    deadline: float
    data: bytearray = field(default_factory=bytearray)
    body_at: int = -1  # where the body starts in data, once the head is complete
    chunked: bool = False
    declared: int | None = None  # the Content-Length


def problem_response(status: int, detail: str, instance: str = "") -> bytes:
    """A whole HTTP/1.1 answer with a problem+json body; the connection closes after it."""
    from http import HTTPStatus

    body = json.dumps(problem_body(status, detail, instance)).encode()
    head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nConnection: close\r\n"
            f"Content-Type: {PROBLEM_JSON}\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode("ascii") + body


class BufferingWorker(ThreadWorker):
    def init_process(self) -> None:
        settings = Settings.from_env()
        self.read_timeout_s = settings.api_request_read_timeout_s
        self.max_body = settings.api_max_body_bytes
        # gunicorn refuses a head larger than this anyway (431); no reason to buffer more.
        self.max_head = self.cfg.limit_request_line + self.cfg.limit_request_fields * (
            self.cfg.limit_request_field_size + 2) + len(HEAD_END)
        self._arriving: dict[TConn, _Arriving] = {}
        self._close_after: set[TConn] = set()
        super().init_process()

    # -- reading in the event loop -------------------------------------------------------------

    def on_client_socket_readable(self, conn: TConn, client) -> None:
        if self.cfg.is_ssl:  # TLS is not unwrapped here; it is left to gunicorn as it comes
            return super().on_client_socket_readable(conn, client)
        arriving = self._arriving.get(conn)
        if arriving is None:  # the first bytes of a new request on this connection
            if conn.initialized:
                with self._lock:
                    try:
                        self._keep.remove(conn)
                    except ValueError:  # closed as idle meanwhile
                        return
            arriving = self._arriving[conn] = _Arriving(time.monotonic() + self.read_timeout_s)
        try:
            chunk = conn.sock.recv(READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client went away before its request was complete
            self._drop(conn)
            return
        arriving.data += chunk
        if arriving.body_at < 0:
            self._read_head(conn, arriving, len(arriving.data) - len(chunk))
        verdict = self._verdict(arriving)
        if verdict == "wait":
            return
        if verdict == "too-large-head":
            self._refuse(conn, 431, "the request's header fields are too large")
            return
        del self._arriving[conn]
        with self._lock:
            self.poller.unregister(conn.sock)
        conn.init()
        conn.parser.unreader.unread(bytes(arriving.data))
        if verdict == "partial":
            self._close_after.add(conn)
        future = self.tpool.submit(self.handle, conn)
        self._wrap_future(future, conn)

    def _read_head(self, conn: TConn, arriving: _Arriving, new_from: int) -> None:
        """Once the head is all there: how the body is framed. A client that asked to be told to send
        its body (`Expect: 100-continue`; curl does, for bodies over 1 KB) is told so here, and the
        header is taken out, so that gunicorn does not say it a second time."""
        head_end = arriving.data.find(HEAD_END, max(0, new_from - len(HEAD_END) + 1))
        if head_end < 0:
            return
        head = bytes(arriving.data[:head_end + 2])
        plain_head = EXPECT_CONTINUE.sub(b"", head)
        if plain_head != head:
            arriving.data = bytearray(plain_head) + arriving.data[head_end + 2:]
            head_end -= len(head) - len(plain_head)
            try:
                conn.sock.send(CONTINUE)
            except OSError:
                pass
        arriving.body_at = head_end + len(HEAD_END)
        arriving.chunked = CHUNKED.search(plain_head) is not None
        length = CONTENT_LENGTH.search(plain_head)
        arriving.declared = int(length.group(1)) if length else None

    def _verdict(self, arriving: _Arriving) -> str:
        """"whole" (hand it on), "partial" (hand on what came: the body is over the limit),
        "wait" (read more), or "too-large-head"."""
        if arriving.body_at < 0:
            return "too-large-head" if len(arriving.data) > self.max_head else "wait"
        body = len(arriving.data) - arriving.body_at
        if arriving.chunked:
            if arriving.data.endswith(b"0\r\n\r\n"):
                return "whole"
            return "partial" if body > self.max_body else "wait"
        if arriving.declared is None:
            return "whole"
        if arriving.declared > self.max_body:
            return "partial"
        return "whole" if body >= arriving.declared else "wait"

    def handle(self, conn: TConn):
        keepalive, conn = super().handle(conn)
        if conn in self._close_after:
            self._close_after.discard(conn)
            return False, conn
        return keepalive, conn

    # -- connections that never completed a request --------------------------------------------

    def murder_keepalived(self) -> None:
        super().murder_keepalived()
        now = time.monotonic()
        for conn in [c for c, arriving in self._arriving.items() if arriving.deadline < now]:
            self._refuse(conn, 408, f"the request did not arrive within {self.read_timeout_s} s")

    def _refuse(self, conn: TConn, status: int, detail: str) -> None:
        try:
            conn.sock.send(problem_response(status, detail))  # best effort: the socket is non-blocking
        except OSError:
            pass
        self.log.warning("Refused a request from %s: %s %s", conn.client[0] if conn.client else "-", status, detail)
        self._drop(conn)

    def _drop(self, conn: TConn) -> None:
        self._arriving.pop(conn, None)
        with self._lock:
            try:
                self.poller.unregister(conn.sock)
            except (KeyError, ValueError, OSError):
                pass
        self.nr_conns -= 1
        conn.close()

    # -- gunicorn's own errors -----------------------------------------------------------------

    def handle_error(self, req, client, addr, exc) -> None:
        status = next((code for kind, code in PARSE_STATUS if isinstance(exc, kind)), 500)
        if status == 500:
            self.log.exception("Error handling request %s", getattr(req, "uri", "(no URI read)"))
            detail = "the server failed to answer; the error is logged"
        else:
            self.log.warning("Invalid request from ip=%s: %s", (addr or ("-",))[0], exc)
            detail = f"the request could not be read: {exc}"
        try:
            client.sendall(problem_response(status, detail, getattr(req, "path", "") or ""))
        except OSError:
            pass

