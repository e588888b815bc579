"""The crisis form on a slow phone: Chromium on "Slow 3G" with a 4x slower CPU.

    .venv/bin/python bench/phone.py [--runs 5] [--strict] [--weights]

A benchmark, not a test: it prints median figures over `--runs` runs for the
crisis path of issue #16 and compares them with its budgets:

| step                                           | budget  |
|------------------------------------------------|---------|
| crisis form, first load, empty cache           | ≤ 3 s   |
| crisis form, repeat load                       | ≤ 1 s   |
| offline save (kept on the phone, told so)      | ≤ 1 s   |
| online save, until the crisis page is shown    | ≤ 2 s   |

and the first load's weight on the wire (compressed), whose budget is 100 KB,
with the bytes of each file. `--weights` measures the first load only (its weight
and time, not the saves). tests/project/test_first_load_weight.py checks the same
budget without a browser.

How: the bench database of bench/run.py (`DATABASE_URL`, seeded with `seed_demo
--scale small` when empty), static files collected with the production storage
(hashed names, Brotli/gzip, far-future caching by whitenoise) into a temporary
folder, gunicorn on a loopback port with production-like settings
(bench/phone_settings.py), and Debian's Chromium driven by Playwright, throttled
through the DevTools protocol: Network.emulateNetworkConditions (400 kb/s down
and up, 400 ms round trip) and Emulation.setCPUThrottlingRate (4).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOW_3G = {
    "offline": False,
    "latency": 400,  # ms, round trip
    "downloadThroughput": 400 * 1000 / 8,  # 400 kb/s, in bytes per second
    "uploadThroughput": 400 * 1000 / 8,
}
CPU_SLOWDOWN = 4
BUDGETS_S = {"first load": 3.0, "repeat load": 1.0, "offline save": 1.0, "online save": 2.0}
BUDGET_FIRST_LOAD_KB = 100.0
FIGURES = (*BUDGETS_S, "first load KB")
KEPT = "Guardado en este teléfono; se enviará en cuanto haya señal."


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--strict", action="store_true", help="exit 1 when over budget")
    parser.add_argument(
        "--weights",
        action="store_true",
        help="only the first load: its weight and the bytes of each file (no timed saves)",
    )
    return parser.parse_args(argv)


def collect_static(static_root: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.phone_settings",
        "PHONE_STATIC_ROOT": str(static_root),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def bench_user():
    """The first demo accompanier, signed in (TOTP enrolled), and one of her cases."""
    from accompaniment.selectors.access import subjects_for_user
    from bench.run import user_for

    user = user_for("accompanier1")
    alias = subjects_for_user(user=user).filter(is_archived=False).order_by("alias")[0].alias
    return user, alias


def throttle(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return cdp


def fill_crisis(page, alias: str) -> None:
    form = page.locator("form[data-offline-queue]")
    form.locator("input[name=subject_query]").fill(alias)
    form.locator("input[name=channel][value=phone] + label").click()
    form.locator("input[name=risk_level][value=high] + label").click()


def load_seconds(page) -> float:
    return page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return (n.loadEventEnd - n.startTime) / 1000; }"
    )


def one_run(
    browser, base_url: str, cookies: list, form_path: str, alias: str, weights_only=False
) -> dict:
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="es-MX",
    )
    context.add_cookies(cookies)
    page = context.new_page()
    cdp = throttle(page)
    received = []
    urls = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.setdefault(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: received.append((urls.get(e["requestId"], "?"), e["encodedDataLength"])),
    )

    # First load, empty cache (a new context has none).
    page.goto(form_path, wait_until="load")
    first = load_seconds(page)
    first_kb = sum(size for _url, size in received) / 1024
    breakdown = sorted(received, key=lambda pair: -pair[1])
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if weights_only:
        context.close()
        return {"first load": first, "first load KB": first_kb, "breakdown": breakdown}

    # Repeat load: static files from the HTTP cache / the service worker.
    page.goto(form_path, wait_until="load")
    repeat = load_seconds(page)

    # Offline save: kept on the phone, encrypted, and the person told so.
    fill_crisis(page, alias)
    context.set_offline(True)
    began = time.perf_counter()
    page.locator("[data-testid=crisis-save]").click()
    page.locator("[data-offline-status]").filter(has_text=KEPT).wait_for()
    offline = time.perf_counter() - began
    # Back online; the kept entry goes; its arrival is shown.
    context.set_offline(False)
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    page.locator("[data-offline-status].alert-success").wait_for(timeout=30_000)

    # Online save, until the crisis page is shown.
    page.goto(form_path, wait_until="load")
    fill_crisis(page, alias)
    began = time.perf_counter()
    page.locator("[data-testid=crisis-save]").click()
    page.locator("[data-testid=crisis-detail]").wait_for(timeout=30_000)
    online = time.perf_counter() - began

    context.close()
    return {
        "first load": first,
        "repeat load": repeat,
        "offline save": offline,
        "online save": online,
        "first load KB": first_kb,
        "breakdown": breakdown,
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aluna_phone_bench")
    from bench.load import _free_port, _session_cookies, start_gunicorn, stop
    from bench.run import configure_environment, ensure_database, prepare_database

    configure_environment()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    prepare_database(scale="small", reseed=False)
    from django.conf import settings
    from django.db import connections
    from django.urls import reverse

    user, alias = bench_user()
    session = _session_cookies(user)
    form_path = reverse("crisis:crisis-create")
    connections.close_all()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="aluna-phone-") as static_root:
        print("==> collectstatic (production storage: hashed, compressed)")
        collect_static(Path(static_root))
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.phone_settings"
        os.environ["PHONE_STATIC_ROOT"] = static_root
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log_path = Path(static_root) / "gunicorn.log"
        server = start_gunicorn(port, workers=2, threads=2, log_path=log_path)
        cookies = [
            {"name": name, "value": value, "url": base_url} for name, value in session.items()
        ] + [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es-mx", "url": base_url}]
        runs = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox"], headless=True
                )
                run = partial(one_run, browser, base_url, cookies, form_path, alias, args.weights)
                run()  # warm the server up
                for number in range(args.runs):
                    runs.append(run())
                    print(
                        f"    run {number + 1}: "
                        + ", ".join(f"{k} {v:.2f}" for k, v in runs[-1].items() if k in FIGURES)
                    )
                browser.close()
        finally:
            stop(server)

    print(
        f"\nCrisis form on Slow 3G (400 kb/s, 400 ms RTT) with {CPU_SLOWDOWN}x CPU slowdown,"
        f" median of {args.runs} runs:"
    )
    over = []
    for step, budget in BUDGETS_S.items():
        if step not in runs[-1]:
            continue
        median = statistics.median(run[step] for run in runs)
        mark = "ok" if median <= budget else "OVER"
        over += [step] if median > budget else []
        print(f"  {step:<14} {median:6.2f} s   (budget ≤ {budget:.0f} s)  {mark}")
    weight = statistics.median(run["first load KB"] for run in runs)
    over += ["first load KB"] if weight > BUDGET_FIRST_LOAD_KB else []
    print(
        f"  first load weight {weight:.1f} KB on the wire (budget ≤ {BUDGET_FIRST_LOAD_KB:.0f} KB)"
    )
    print("  first load, by file (bytes on the wire, last run):")
    for url, size in runs[-1]["breakdown"]:
        print(f"    {size / 1024:6.1f} KB  {url.removeprefix(base_url)}")
    return 1 if args.strict and over else 0


if __name__ == "__main__":
    sys.exit(main())
