"""Signing in to the console as a browser does: the sign-in page's CSRF token, then the form."""

from __future__ import annotations

import re

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(page: str) -> str:
    match = TOKEN.search(page)
    assert match, "the page has no CSRF token"
    return match.group(1)


def signed_in(world, role: str, app=None):
    """A test client with a console session for `role`'s key, and that session's CSRF token."""
    client = (app or world.app).test_client()
    token = csrf(client.get("/console/sign-in").get_data(as_text=True))
    answer = client.post("/console/sign-in", data={"api_key": world.keys[role], "csrf_token": token})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client, csrf(client.get("/console/").get_data(as_text=True))
