"""Docker HEALTHCHECK: GET /healthz on the local gunicorn, as one of ALLOWED_HOSTS.

Exits 0 only if the app answers 200 with {"status": "ok"}.
"""

import http.client
import json
import os
import sys


def host_header() -> str:
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main() -> int:
    connection = http.client.HTTPConnection("127.0.0.1", 8000, timeout=4)
    try:
        # SECURE_SSL_REDIRECT exempts /healthz; the proxy header is belt and braces.
        connection.request(
            "GET", "/healthz", headers={"Host": host_header(), "X-Forwarded-Proto": "https"}
        )
        response = connection.getresponse()
        body = json.loads(response.read() or b"{}")
    except (OSError, ValueError):
        return 1
    finally:
        connection.close()
    return 0 if response.status == 200 and body.get("status") == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
