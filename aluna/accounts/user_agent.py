"""Device and browser family from a User-Agent header, for "your sessions".

A few lines instead of a dependency: people need to recognise "Android · Chrome"
or "Windows · Firefox", not a version. Order matters: Edge, Opera and Samsung
Internet also say "Chrome", and Chrome on iOS also says "Safari".
"""

import re

_DEVICES = (
    ("iPad", re.compile(r"iPad")),
    ("iPhone", re.compile(r"iPhone|iPod")),
    ("Android", re.compile(r"Android")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("Windows", re.compile(r"Windows")),
    ("macOS", re.compile(r"Macintosh|Mac OS X")),
    ("Linux", re.compile(r"Linux|X11")),
)
_BROWSERS = (
    ("Edge", re.compile(r"Edg(e|A|iOS)?/")),
    ("Opera", re.compile(r"OPR/|Opera")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/")),
    ("Firefox", re.compile(r"Firefox/|FxiOS/")),
    ("Chrome", re.compile(r"Chrome/|CriOS/|Chromium/")),
    ("Safari", re.compile(r"Safari/")),
)


def _first(patterns, text: str) -> str:
    return next((name for name, pattern in patterns if pattern.search(text)), "")


def describe(user_agent: str) -> tuple[str, str]:
    """(device family, browser family); "" for what is not recognised."""
    text = (user_agent or "")[:512]
    return _first(_DEVICES, text), _first(_BROWSERS, text)
