"""Keys the session clock keeps in every signed-in session (see SessionTimeoutMiddleware)."""

STARTED_KEY = "aluna_session_started"
LAST_ACTIVITY_KEY = "aluna_last_activity"
