"""Subset Bootstrap Icons to the icons Aluna shows: a font of a few KB instead of 134 KB.

    .venv/bin/python scripts/static-build/icons.py OUT_DIR

An icon is "used" when its name appears as `bi-<name>` in a template or script, or
as a quoted string in Python or a template (menu entries and panels name their
icon: icon="people"). Taking a few extra icons is harmless; missing one is not,
and tests/project/test_static_build.py checks every `bi-` class the templates
use is in the subset. Reproducible: fontTools, pinned in requirements, gives the
same bytes for the same inputs.
"""

import logging
import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor" / "bootstrap-icons"
SOURCES = (
    "templates",
    "static/js",
    "aluna",
    "accompaniment",
    "crisis",
    "security",
    "training",
    "advocacy",
)
_ICON_RULE = re.compile(r'\.bi-([a-z0-9-]+)::before\{content:"\\([0-9a-f]+)"\}')
_WORDS = re.compile(r"""bi-([a-z0-9-]+)|["']([a-z0-9-]+)["']""")


def catalogue() -> dict[str, int]:
    """Every icon of the vendored Bootstrap Icons: name -> code point."""
    css = (VENDOR / "bootstrap-icons.min.css").read_text()
    return {name: int(code, 16) for name, code in _ICON_RULE.findall(css)}


def used_icons(icons: dict[str, int]) -> list[str]:
    names = set()
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in {".html", ".js", ".py"} or "migrations" in path.parts:
                continue
            for bi, quoted in _WORDS.findall(path.read_text(encoding="utf-8")):
                name = bi or quoted
                if name in icons:
                    names.add(name)
    return sorted(names)


def build(out: Path) -> list[str]:
    # fontTools reports the vendored font's unused glyph-name bytes; nothing to act on.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    icons = catalogue()
    names = used_icons(icons)
    out.mkdir(parents=True, exist_ok=True)
    font = TTFont(VENDOR / "fonts" / "bootstrap-icons.woff2", recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[icons[name] for name in names])
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(out / "icons.woff2", reorderTables=True)
    rules = "".join(f'.bi-{name}::before{{content:"\\{icons[name]:x}"}}' for name in names)
    (out / "icons.css").write_text(
        "/* Bootstrap Icons v1.13.2 (MIT, static/vendor/bootstrap-icons/LICENSE), "
        "subset by scripts/build_static. */\n"
        "@font-face{font-display:block;font-family:bootstrap-icons;"
        'src:url("icons.woff2") format("woff2")}'
        '.bi::before,[class*=" bi-"]::before,[class^=bi-]::before{display:inline-block;'
        "font-family:bootstrap-icons!important;font-style:normal;font-weight:400!important;"
        "font-variant:normal;text-transform:none;line-height:1;vertical-align:-.125em;"
        "-webkit-font-smoothing:antialiased;-moz-osx-font-smoothing:grayscale}" + rules + "\n"
    )
    return names


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "static" / "build"
    print(f"icons: {len(build(target))} kept")
