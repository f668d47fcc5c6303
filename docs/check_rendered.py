"""Open the built documentation in headless Chromium and check that it renders.

Run after ``make -C docs html`` (``make -C docs check`` runs this)::

    python docs/check_rendered.py [--html docs/_build/html] [--screenshots DIR]

The pages are served from ``docs/_build/html`` over HTTP on 127.0.0.1 (a
server in a thread of this process) and opened in Debian's Chromium through
its chromedriver (``/usr/bin/chromium``, ``/usr/bin/chromedriver``; selenium
is given the driver's path, so it never downloads one). For each page checked:

- the page's title and first heading are the expected ones;
- every ``<img>`` has loaded (``complete`` and ``naturalWidth > 0``), and the
  page has at least the images expected (a gallery page: its figures);
- every stylesheet loaded, and the theme's layout is there;
- no request the page made got an error status from the server, and none
  left 127.0.0.1; the browser's console has no errors;

and a screenshot is saved (``docs/_build/screenshots/<page>.png`` by
default). On the draw-a-digit page, strokes of a few digits are drawn on the
canvas with the mouse; for each, the page must show an answer whose ten
probabilities sum to 1, its JavaScript preparation of the drawing must give
the pixels :class:`~skmnist.DigitNormalizer` gives for the same drawing, and
its answer must be the one onnxruntime gives in Python for those pixels with
the same model file. How long the page took from the stroke's end to its
answer is printed. The exit status is 0 when every check passed, 1 otherwise.
"""

import argparse
import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# page -> (title starts with, first <h1> text, least number of images)
PAGES = {
    "index.html": ("skmnist", "skmnist", 0),
    "auto_examples/index.html": ("Examples", "Examples", 10),
    "auto_examples/plot_quickstart.html": ("Quick start", "Quick start", 2),
    "auto_examples/plot_compare_models.html": (
        "LeNet-5, an MLP and a CNN: learning curves",
        "LeNet-5, an MLP and a CNN: learning curves",
        2,
    ),
    "auto_examples/plot_augmentation.html": ("Data augmentation", "Data augmentation", 2),
    "auto_examples/plot_imbalanced.html": (
        "Imbalanced classes: class and sample weights",
        "Imbalanced classes: class and sample weights",
        1,
    ),
    "auto_examples/plot_grid_search.html": (
        "Grid search over a pipeline with stratified folds",
        "Grid search over a pipeline with stratified folds",
        2,
    ),
    "auto_examples/plot_optuna_search.html": (
        "Tuning with Optuna: the seed search space, pruning and a shared study",
        "Tuning with Optuna: the seed search space, pruning and a shared study",
        2,
    ),
    "user_guide/performance.html": ("Performance", "Performance", 3),
    "generated/skmnist.LeNet5Classifier.html": ("LeNet5Classifier", "LeNet5Classifier", 0),
    # CONTRIBUTING.md and CHANGELOG.md, included by contributing.md and changelog.md (MyST)
    "contributing.html": ("Contributing to skmnist", "Contributing to skmnist", 0),
    "changelog.html": ("Changelog", "Changelog", 0),
    "draw.html": ("Draw a digit", "Draw a digit", 0),
}

# The digits drawn on the draw-a-digit page: strokes as points in a unit square (x to
# the right, y down), drawn over the middle 60% of the canvas.
DIGITS = {
    "1": [[(0.45, 0.1), (0.55, 0.0), (0.55, 1.0)]],
    "7": [[(0.1, 0.05), (0.9, 0.05), (0.45, 1.0)]],
    "0": [
        [
            (0.5, 0.0),
            (0.8, 0.1),
            (0.95, 0.5),
            (0.8, 0.9),
            (0.5, 1.0),
            (0.2, 0.9),
            (0.05, 0.5),
            (0.2, 0.1),
            (0.5, 0.0),
        ]
    ],
    "4": [[(0.65, 1.0), (0.65, 0.0), (0.05, 0.65), (0.95, 0.65)]],
}


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the built HTML quietly, recording every request and its status."""

    log = []

    def log_request(self, code="-", size="-"):
        self.log.append((self.path, int(code) if str(code).isdigit() else code))

    def log_message(self, format, *args):
        pass


def serve(root):
    """Start an HTTP server for ``root`` on 127.0.0.1 in a thread; returns (server, base URL)."""
    handler = functools.partial(_Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def make_driver(profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1800",
        f"--user-data-dir={profile}",
    ]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


_PAGE_STATE = """
const images = Array.from(document.images).map(img => ({
    src: img.currentSrc || img.src, ok: img.complete && img.naturalWidth > 0}));
const sheets = Array.from(document.querySelectorAll('link[rel="stylesheet"]')).map(link => ({
    href: link.href, ok: link.sheet !== null}));
const h1 = document.querySelector('h1');
return {
    title: document.title,
    h1: h1 ? h1.textContent.replace(/[\\s\\u00b6#]+$/, '').trim() : null,
    images: images,
    sheets: sheets,
    theme: document.querySelector('.bd-header, .bd-main') !== null,
};
"""


def _requested_urls(driver):
    """URLs the browser requested since the last call (Chrome's performance log)."""
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def check_page(driver, base, page, expected, screenshots):
    """Load one page and return the list of problems found (empty when it renders)."""
    from selenium.webdriver.support.ui import WebDriverWait

    title, heading, min_images = expected
    problems = []
    _Handler.log.clear()
    driver.get(base + page)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete' && "
            "Array.from(document.images).every(i => i.complete)"
        )
    )
    state = driver.execute_script(_PAGE_STATE)
    if not state["title"].startswith(title):
        problems.append(f"title is {state['title']!r}, expected it to start with {title!r}")
    if state["h1"] != heading:
        problems.append(f"first heading is {state['h1']!r}, expected {heading!r}")
    broken = [image["src"] for image in state["images"] if not image["ok"]]
    if broken:
        problems.append(f"{len(broken)} images did not load: {broken}")
    if len(state["images"]) < min_images:
        problems.append(f"{len(state['images'])} images, expected at least {min_images}")
    unloaded = [sheet["href"] for sheet in state["sheets"] if not sheet["ok"]]
    if unloaded or not state["sheets"]:
        problems.append(f"stylesheets not loaded: {unloaded or 'none on the page'}")
    if not state["theme"]:
        problems.append("the theme's layout (.bd-header/.bd-main) is missing")
    errors = [(path, code) for path, code in _Handler.log if not (200 <= int(code) < 400)]
    if errors:
        problems.append(f"the server answered errors: {errors}")
    outside = [
        url
        for url in _requested_urls(driver)
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname != "127.0.0.1"
    ]
    if outside:
        problems.append(f"requests left the machine: {outside}")
    console = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    if console:
        problems.append(f"console errors: {console}")
    shot = screenshots / (page.replace("/", "__").removesuffix(".html") + ".png")
    # the whole page, not only the window: grow the window to the page's height
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1400, min(max(height, 900), 16000))
    driver.save_screenshot(str(shot))
    driver.set_window_size(1400, 1800)
    n_images = sum(image["ok"] for image in state["images"])
    status = "ok" if not problems else "FAILED"
    print(
        f"{status:6} {page}: title {state['title']!r}, {n_images} images loaded, "
        f"{len(state['sheets'])} stylesheets, {len(_Handler.log)} requests -> {shot}"
    )
    return problems


def draw(driver, canvas, strokes):
    """Draw ``strokes`` (unit coordinates) on ``canvas`` with the mouse, one drag each."""
    from selenium.webdriver.common.action_chains import ActionChains

    size = canvas.size["width"]

    def offset(x, y):  # from the canvas's centre, over its middle 60%
        return round((x - 0.5) * 0.6 * size), round((y - 0.5) * 0.6 * size)

    for stroke in strokes:
        actions = ActionChains(driver, duration=10)
        actions.move_to_element_with_offset(canvas, *offset(*stroke[0])).click_and_hold()
        previous = offset(*stroke[0])
        for point in stroke[1:]:
            for step in range(1, 6):  # a few moves per segment, as a hand makes them
                x0, y0 = previous
                x1, y1 = offset(*point)
                actions.move_to_element_with_offset(
                    canvas, x0 + (x1 - x0) * step // 5, y0 + (y1 - y0) * step // 5
                )
            previous = offset(*point)
        actions.release().perform()


def check_draw_page(driver, html):
    """Draw each of ``DIGITS`` on the draw-a-digit page; the problems found."""
    import numpy as np
    import onnxruntime
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from skmnist import DigitNormalizer

    problems = []
    WebDriverWait(driver, 60).until(
        lambda d: d.execute_script(
            "return window.skmnistDraw && (skmnistDraw.ready || !!skmnistDraw.error)"
        )
    )
    if not driver.execute_script("return skmnistDraw.ready"):
        return [f"the model did not load: {driver.execute_script('return skmnistDraw.error')}"]
    session = onnxruntime.InferenceSession(str(html / "_static" / "draw" / "model.onnx"))
    canvas = driver.find_element(By.CSS_SELECTOR, "#skmnist-draw canvas")
    clear = driver.find_element(By.CSS_SELECTOR, "#skmnist-draw button")
    right, latencies, parts = 0, [], []
    for digit, strokes in DIGITS.items():
        clear.click()
        before = driver.execute_script("return skmnistDraw.answers")
        draw(driver, canvas, strokes)
        wanted = before + len(strokes)  # an answer each time the pen is lifted
        WebDriverWait(driver, 30).until(
            lambda d, n=wanted: d.execute_script("return skmnistDraw.answers") >= n
        )
        page = driver.execute_script("return skmnistDraw")
        shown = driver.find_element(By.CSS_SELECTOR, ".skmnist-draw-answer").text
        grey = np.asarray(page["grey"], dtype=np.uint8).reshape(page["height"], page["width"])
        pixels = np.asarray(page["pixels"], dtype=np.uint8)
        expected_pixels = DigitNormalizer().transform([grey])[0]
        labels, proba = session.run(None, {session.get_inputs()[0].name: pixels[None]})
        where = f"digit {digit}"
        if not np.array_equal(pixels, expected_pixels):
            differ = int((pixels != expected_pixels).sum())
            problems.append(f"{where}: the page prepared {differ} pixels unlike DigitNormalizer")
        if shown != page["label"] or shown != str(labels[0]):
            problems.append(f"{where}: the page shows {shown!r}, onnxruntime says {labels[0]!r}")
        if not np.allclose(page["proba"], proba[0], atol=1e-4):
            problems.append(f"{where}: probabilities {page['proba']} against {proba[0].tolist()}")
        if abs(sum(page["proba"]) - 1) > 1e-4:
            problems.append(f"{where}: the probabilities sum to {sum(page['proba'])}")
        right += shown == digit
        latencies.append(page["latencyMs"])
        parts.append((page["prepareMs"], page["runMs"]))
    print(
        f"draw page: {len(DIGITS)} digits drawn, {right} read as drawn; the answer came "
        f"{min(latencies):.0f}-{max(latencies):.0f} ms after the stroke ended "
        f"(median {sorted(latencies)[len(latencies) // 2]:.0f} ms; reading the canvas and "
        f"preparing the drawing {', '.join(f'{a:.0f}' for a, _ in parts)} ms, the model "
        f"{', '.join(f'{b:.0f}' for _, b in parts)} ms)"
    )
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=HERE / "_build" / "html")
    parser.add_argument("--screenshots", type=Path, default=HERE / "_build" / "screenshots")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        print(
            f"no built documentation in {args.html}: run 'make -C docs html' first", file=sys.stderr
        )
        return 1
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            print(f"{path} is missing: apt-get install chromium chromium-driver", file=sys.stderr)
            return 1
    args.screenshots.mkdir(parents=True, exist_ok=True)
    server, base = serve(args.html)
    profile = tempfile.mkdtemp(prefix="skmnist-chromium-")
    failures = {}
    driver = make_driver(profile)
    # every page fetches its own CSS, JS and images: none comes from the cache
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    try:
        for page, expected in PAGES.items():
            problems = check_page(driver, base, page, expected, args.screenshots)
            if page == "draw.html":
                problems += check_draw_page(driver, args.html)
                driver.save_screenshot(str(args.screenshots / "draw-with-answer.png"))
            if problems:
                failures[page] = problems
    finally:
        driver.quit()
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)
    for page, problems in failures.items():
        for problem in problems:
            print(f"{page}: {problem}", file=sys.stderr)
    # pytest's closing-line form: "rendered: 7 passed, 0 failed"
    print(f"rendered: {len(PAGES) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
