"""Signing in to the console: a user's API key, checked once, opens a session cookie (signed,
HttpOnly, SameSite=Lax, Secure where configured) that names the key, never holds it. Every request
checks the key again (a revoked key ends its sessions), every form carries the session's CSRF
token, and a session ends after an idle spell or a working day, whichever comes first.

What a signed-in user may open is the API's own policy: `requires(action)` reads ACTIONS, the
matrix every API route declares its action in, and the services that pages call apply the same
object-level rules with the same Principal.
"""

from __future__ import annotations

import hmac
import secrets
import time
from functools import wraps

from flask import abort, current_app, g, redirect, request, session, url_for

from graph_service.services.api_keys import ACTIONS, Principal

MAX_SESSION_S = 12 * 3600  # however active, a session ends after a working day
CSRF_FIELD = "csrf_token"


def csrf_token() -> str:
    """The session's CSRF token (created on first use, for signed-out forms too)."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def check_csrf() -> None:
    """Every state-changing request carries the session's token: a form from another site has none."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.form.get(CSRF_FIELD, "")
    if not sent or CSRF_FIELD not in session or not hmac.compare_digest(sent, session[CSRF_FIELD]):
        abort(400, "This form is out of date or did not come from this console: reload the page and try again.")


def sign_in(principal: Principal) -> None:
    session.clear()  # a fresh session (and CSRF token) on every sign-in: no fixation
    now = time.time()
    session.update(key_id=principal.key_id, signed_in_at=now, seen_at=now)
    session.permanent = True
    csrf_token()


def sign_out() -> None:
    session.clear()


def _signed_out(note: str) -> None:
    """End the session, keeping a note for the sign-in page the user is sent to next."""
    sign_out()
    session["note"] = note


def take_note() -> str | None:
    """Why the last session ended, once."""
    return session.pop("note", None)


def load_principal() -> None:
    """Before each console request: who is signed in (g.principal), or nobody. An expired session or
    a revoked key is signed out, with a note for the sign-in page."""
    g.principal = None
    key_id = session.get("key_id")
    if key_id is None:
        return
    now = time.time()
    idle_s = current_app.config["TRUSTNET_CONSOLE_IDLE_S"]
    if now - session.get("seen_at", 0) > idle_s or now - session.get("signed_in_at", 0) > MAX_SESSION_S:
        _signed_out("Your session expired: sign in again.")
        return
    principal = current_app.extensions["trustnet"]["keyring"].signed_in(key_id)
    if principal is None:
        _signed_out("The key you signed in with is no longer valid.")
        return
    session["seen_at"] = now
    g.principal = principal


def requires(action: str):
    """A page only the roles of ACTIONS[action] may open: others get 403, the signed-out the sign-in page."""
    roles = ACTIONS[action]

    def decorator(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if g.principal is None:
                return redirect(url_for("console.sign_in_page", next=request.full_path.rstrip("?")))
            if g.principal.role not in roles:
                abort(403, f"A {g.principal.role} key cannot {action.replace('_', ' ')}.")
            return view(*args, **kwargs)

        checked.console_action = action
        return checked

    return decorator


def allowed(action: str) -> bool:
    """Whether the signed-in user may do `action` (for the links a page shows)."""
    return g.principal is not None and g.principal.role in ACTIONS[action]
