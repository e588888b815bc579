"""Name searches kept in the server-side session, behind a random token.

The name someone typed never reaches a URL, a log line or the browser history:
the list page is reached with `?name_search=<token>`, and the token gives back
the matching ids for an hour (the five newest searches are kept).
"""

import secrets
import time

SESSION_KEY = "accompaniment.subject_name_searches"
KEEP = 5
MAX_AGE = 60 * 60


def name_search_store(request, ids: list) -> str:
    """Keep `ids` in the session; return the token that gives them back."""
    searches = request.session.get(SESSION_KEY, {})
    newest = sorted(searches.items(), key=lambda item: item[1]["at"])[-(KEEP - 1) :]
    searches = dict(newest)
    token = secrets.token_urlsafe(16)
    searches[token] = {"ids": [str(pk) for pk in ids], "at": time.time()}
    request.session[SESSION_KEY] = searches
    return token


def name_search_ids(request, token: str) -> tuple[list | None, bool]:
    """(ids, expired): the ids behind `token` (None for no token); an unknown or
    expired token gives an empty list and expired=True."""
    if not token:
        return None, False
    search = request.session.get(SESSION_KEY, {}).get(token)
    if not search or time.time() - search["at"] > MAX_AGE:
        return [], True
    return search["ids"], False
