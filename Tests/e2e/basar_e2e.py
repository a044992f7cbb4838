"""Helpers for the browser tests: a real `basar serve --demo` process, a tiny JSON client for setup and checks,
headless Chromium through Selenium, screenshots, and bounded waits (never fixed sleeps as synchronisation)."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PHONE = (390, 844)
DESKTOP = (1280, 900)
WAIT = float(os.environ.get("BASAR_E2E_WAIT", "20"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`basar serve --demo` on a free port with a temporary database; stopped by its pid."""

    def __init__(self, binary):
        self.binary = binary
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="basar-e2e-")
        self.log_path = os.path.join(self.dir, "server.log")
        self.process = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30):
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--demo", "--port", str(self.port), "--db", os.path.join(self.dir, "basar.sqlite"),
             "--content", os.path.join(ROOT, "Content"), "--fixtures", os.path.join(ROOT, "Fixtures")],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.1)  # polling the health check, bounded by the deadline
        raise RuntimeError(f"server not healthy after {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        shutil.rmtree(self.dir, ignore_errors=True)


class ApiError(Exception):
    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body}")
        self.status = status
        self.body = body


class Client:
    """A JSON client for test set-up and checks."""

    def __init__(self, base, token=None):
        self.base = base
        self.token = token

    def call(self, method, path, body=None, key=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        if key:
            request.add_header("Idempotency-Key", key)
        try:
            with urllib.request.urlopen(request, timeout=15) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw.decode("utf-8", "replace")

    def ok(self, method, path, body=None, key=None):
        status, data = self.call(method, path, body, key)
        if status >= 300:
            raise ApiError(status, data)
        return data

    def login(self, email, password):
        self.token = self.ok("POST", "/v1/sessions", {"email": email, "password": password})["token"]
        return self

    def has_route(self, method, path):
        """Whether the server routes `method` `path` at all: a missing module answers 404 'No resource at …', and a
        path that only another method's route matches (POST /v1/orders/quote beside GET /v1/orders/{id}) 405."""
        status, data = self.call(method, path)
        if status == 405:
            return False
        return not (status == 404 and isinstance(data, dict) and str(data.get("detail", "")).startswith("No resource at"))


def demo_accounts():
    with open(os.path.join(ROOT, "Fixtures", "demo", "accounts.json")) as f:
        return {a["email"].split("@")[0]: a for a in json.load(f)}


class Screens:
    """Screenshots, numbered in the order taken, in one folder the run prints."""

    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        self.count = 0

    def shot(self, browser, name):
        self.count += 1
        width = browser.get_window_size()["width"]
        path = os.path.join(self.folder, f"{self.count:02d}-{name}-{width}px.png")
        browser.save_screenshot(path)
        return path


def browser(size=PHONE, lang="en-US"):
    options = Options()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                "--hide-scrollbars", f"--window-size={size[0]},{size[1]}", f"--lang={lang}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_window_size(*size)
    driver.set_page_load_timeout(30)
    return driver


def wait(driver, timeout=None):
    # Views re-render whole regions, so an element read inside a condition may be replaced meanwhile: retry.
    return WebDriverWait(driver, timeout or WAIT, poll_frequency=0.1,
                         ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))


def css(driver, selector, timeout=None):
    """The first visible element for `selector`, waiting for it."""
    return wait(driver, timeout).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))


def clickable(driver, selector, timeout=None):
    return wait(driver, timeout).until(EC.element_to_be_clickable((By.CSS_SELECTOR, selector)))


def click(driver, selector, timeout=None):
    element = clickable(driver, selector, timeout)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    return element


def text_in(driver, selector, text, timeout=None):
    return wait(driver, timeout).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text))


def toast_ok(driver, text, timeout=None):
    """Waits for the success toast that says `text`: the sign-in's welcome toast may still be showing, so "a toast"
    is not yet the answer to the action just taken."""
    return wait(driver, timeout).until(
        lambda d: any(text in t.text for t in d.find_elements(By.CSS_SELECTOR, ".toast-ok")))


def fill(driver, selector, value):
    element = css(driver, selector)
    element.clear()
    element.send_keys(value)
    return element


def go(driver, server, hash_path):
    """Opens a hash route and waits for its view heading."""
    if not driver.current_url.startswith(server.base):
        driver.get(server.base + "/")
        css(driver, "main h1")
    driver.execute_script("window.location.hash = arguments[0]", hash_path)
    wait(driver).until(lambda d: d.execute_script(
        "return !document.querySelector('main .loading') && !!document.querySelector('main h1')"))


def login(driver, server, email, password):
    go(driver, server, "#/login")
    fill(driver, "input[name=email]", email)
    fill(driver, "input[name=password]", password)
    click(driver, "[data-testid=login-submit]")
    wait(driver).until(lambda d: d.execute_script("return !!sessionStorage.getItem('basar.token')"))
    css(driver, "[data-testid=who]")


def severe_logs(driver):
    """Console errors, e.g. a Content-Security-Policy violation or an uncaught exception."""
    try:
        entries = driver.get_log("browser")
    except Exception:  # noqa: BLE001 — not every driver supports logs
        return []
    # 4xx answers are part of the flows (a wrong password, a sold-out deal). Demo product pictures are the page's
    # own files, so a failed image load is an error.
    ignored = ("favicon.ico", "the server responded with a status of 4")
    return [e["message"] for e in entries if e.get("level") == "SEVERE" and not any(i in e["message"] for i in ignored)]


def unique_email(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"
