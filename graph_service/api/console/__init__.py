"""The console: web pages for the people who never write Cypher or curl (bank officers, guarantors),
served by the API's own Flask app. Server-rendered templates, pictures drawn as SVG on the server,
one stylesheet from this package: no script, nothing from another host, so it works offline.

Who may open a page is the API's policy (session.py); what each page shows comes from the same
services the API routes call, with the signed-in user's Principal.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, Flask, Response, g, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from graph_service.api.console import exposure_pages, firm_pages, session
from graph_service.core.errors import Forbidden, NotFound, StoreUnavailable

PREFIX = "/console"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

blp = Blueprint("console", __name__, url_prefix=PREFIX, template_folder="templates", static_folder="static")
firm_pages.register(blp)
exposure_pages.register(blp)


def secret_key(settings) -> str:
    """TRUSTNET_CONSOLE_SECRET, or one generated once into the state folder's .run/ (every worker
    process of a server reads the same one, so a session holds across them)."""
    if settings.console_secret:
        return settings.console_secret
    path = Path(settings.state_dir) / ".run" / "console-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"console-secret.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(48))
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # the first process to get here wins; the others read its secret
        except FileExistsError:
            pass
        draft.unlink()
    return path.read_text().strip()


def install(app: Flask, keyring, limiter, settings) -> None:
    app.secret_key = secret_key(settings)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=settings.console_secure_cookie, SESSION_COOKIE_NAME="trustnet_console",
                      PERMANENT_SESSION_LIFETIME=timedelta(seconds=session.MAX_SESSION_S),
                      TRUSTNET_CONSOLE_IDLE_S=settings.console_idle_minutes * 60)
    app.extensions["trustnet"]["keyring"] = keyring
    app.extensions["trustnet"]["console_limiter"] = (limiter, settings.api_failed_auth_rate)
    app.register_blueprint(blp)
    app.add_url_rule("/", "home", lambda: redirect(url_for("console.home_page")))


@blp.before_request
def _signed_in() -> None:
    session.load_principal()
    session.check_csrf()


@blp.after_request
def _secure(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


@blp.app_context_processor
def _helpers() -> dict:
    return {"csrf_token": session.csrf_token, "allowed": session.allowed, "principal": lambda: g.get("principal")}


def _error(status: int, text: str):
    return render_template("console/error.html", status=status, text=text), status


@blp.errorhandler(NotFound)
def _not_found(exc):
    return _error(404, str(exc))


@blp.errorhandler(Forbidden)
def _forbidden(exc):
    return _error(403, str(exc))


@blp.errorhandler(StoreUnavailable)
def _unavailable(exc):
    return _error(503, f"{exc} Try again in a moment.")


@blp.errorhandler(HTTPException)
def _http(exc):
    return _error(exc.code or 500, exc.description or exc.name)


@blp.route("/")
def home_page():
    if g.principal is None:
        return redirect(url_for("console.sign_in_page"))
    return render_template("console/home.html")


@blp.route("/sign-in")
def sign_in_page():
    return render_template("console/sign_in.html", note=session.take_note(), next=_next())


def _next() -> str:
    """Where to go after signing in: a page of this console only (never another site)."""
    target = request.values.get("next", "")
    return target if target.startswith(PREFIX + "/") and not target.startswith("//") else url_for("console.home_page")


@blp.route("/sign-in", methods=["POST"])
def sign_in():
    from flask import current_app

    limiter, rate = current_app.extensions["trustnet"]["console_limiter"]
    address = f"address:{request.remote_addr}"
    if limiter.wait_s(address, rate) > 0:
        return _error(429, "Too many failed sign-ins from this address: wait a moment and try again.")
    principal = current_app.extensions["trustnet"]["keyring"].principal(request.form.get("api_key", "").strip())
    if principal is None:
        limiter.take(address, rate)
        return render_template("console/sign_in.html", note="That key is not valid (or was revoked).",
                               next=_next()), 401
    session.sign_in(principal)
    return redirect(_next())


@blp.route("/sign-out", methods=["POST"])
def sign_out():
    session.sign_out()
    return render_template("console/sign_in.html", note="You are signed out.", next=url_for("console.home_page"))
