"""Accessibility browser tests (issue 24): axe-core on every page of the web client, signed out and signed in as each
demo role, at 1280 px and 390 px; prefers-reduced-motion; focus on route changes; the accessibility statement.

axe-core comes from PyPI's `axe-selenium-python`, which bundles axe.min.js: the file's text is injected with
execute_script (WebDriver scripts are not bound by the page's Content-Security-Policy), so nothing is downloaded at
run time. Without the package the axe test SKIPs with a message. Run by test_web.py, whose helpers it uses."""
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import basar_e2e as e2e
from basar_e2e import css, click, fill, go, login, text_in, wait, PHONE, DESKTOP
from test_web import Skip, check, no_console_errors, fits

# Impacts that fail the test; moderate and minor ones are printed as a summary only.
FAILING = ("serious", "critical")


def axe_source():
    """axe.min.js: BASAR_AXE_JS, else the folder .ci/run installs the current axe-selenium-python into (its axe-core
    4.x wants Python 3.12), else the installed package's (axe-core 3.1 on older Pythons)."""
    candidates = [os.environ.get("BASAR_AXE_JS"),
                  os.path.join(os.environ.get("TMPDIR") or "/tmp", "basar-axe", "axe_selenium_python", "node_modules",
                               "axe-core", "axe.min.js")]
    try:
        import axe_selenium_python
        candidates.append(os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js"))
    except ImportError:
        pass
    for path in candidates:
        if path and os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                return f.read()
    raise Skip("no axe-core: pip install axe-selenium-python (or set BASAR_AXE_JS to an axe.min.js)")


def axe_version(source):
    import re
    m = re.search(r'version\s*=\s*"(\d+\.\d+\.\d+)"', source)
    return m.group(1) if m else "?"


def run_axe(driver, source):
    """axe.run on the whole document: its violations (every rule axe runs by default, WCAG and best practice)."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(source)
    driver.set_script_timeout(60)
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        // axe-core 3 does not know that HTML 5.2 lets a <div> group a <dt> and its <dd>s in a <dl>.
        const old = /^3\./.test(axe.version);
        axe.run(document, {resultTypes: ['violations'], rules: old ? {dlitem: {enabled: false}} : {}})
          .then((r) => done(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html.slice(0, 160),
              summary: (n.failureSummary || '').split('\\n').slice(0, 3).join(' ')}))}))))
          .catch((e) => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));""")


def setup_world(ctx):
    """Ids for the pages with a parameter: a product, an order of Anna's with a question about it, a started show,
    the games, a community. Each only if the server has the route."""
    server, accounts = ctx["server"], ctx["accounts"]
    public = e2e.Client(server.base)
    world = {}
    products = public.ok("GET", "/v1/products?limit=100")["data"]
    world["product"] = products[0]["id"]
    anna = e2e.Client(server.base).login(accounts["anna"]["email"], accounts["anna"]["password"])
    cheap = [p for p in products if p["stock"] >= 2 and p["price_cents"] <= 4000]
    if cheap and public.has_route("POST", "/v1/orders"):
        world["order"] = anna.ok("POST", "/v1/orders", {"items": [{"product_id": cheap[0]["id"], "quantity": 1}]},
                                 key=e2e.unique_email("k"))["id"]
        if public.has_route("POST", "/v1/conversations"):
            status, conv = anna.call("POST", "/v1/conversations",
                                     {"subject": "Where is it?", "text": "When does my order come?", "order_id": world["order"]})
            if status < 300:
                world["conversation"] = conv["id"]
    host = e2e.Client(server.base).login(accounts["host"]["email"], accounts["host"]["password"])
    show = host.ok("POST", "/v1/live-sessions", {"title": "A11y show"})
    host.ok("POST", f"/v1/live-sessions/{show['id']}/start")
    world["show"] = show["id"]
    world["host_account"] = host.ok("GET", "/v1/me")["id"]
    world["games"] = [g["id"] for g in anna.ok("GET", "/v1/games")["data"]]
    if public.has_route("GET", "/v1/communities"):
        status, page = public.call("GET", "/v1/communities?limit=5")
        if status < 300 and page.get("data"):
            world["community"] = page["data"][0]["id"]
    return world


def pages_for(role, world):
    """The hash routes each role visits (every role also sees the shop, whose header differs per role)."""
    public = ["#/", f"#/product/{world['product']}", "#/live", f"#/live/{world['show']}", "#/communities",
              f"#/hosts/{world['host_account']}", "#/accessibility"]
    if "community" in world:
        public.append(f"#/communities/{world['community']}")
    if role is None:
        return public + ["#/login", "#/signup"]
    if role == "anna":
        pages = public + ["#/cart", "#/wallet", "#/orders", "#/coupons", "#/games", "#/account", "#/privacy", "#/inbox",
                          "#/conversations", "#/surveys", "#/referrals"]
        pages += [f"#/games/{g}" for g in world["games"]]
        if "order" in world:
            pages.append(f"#/orders/{world['order']}")
        if "conversation" in world:
            pages.append(f"#/conversations/{world['conversation']}")
        return pages
    if role == "host":
        return ["#/", "#/host", f"#/host/{world['show']}", f"#/live/{world['show']}", "#/account"]
    if role == "merchant":
        return ["#/", "#/merchant"] + ([f"#/merchant/orders/{world['order']}"] if "order" in world else [])
    if role == "agent":
        return ["#/", "#/service"] + ([f"#/conversations/{world['conversation']}"] if "conversation" in world else [])
    if role == "admin":
        return ["#/", "#/admin/signals", "#/admin/feedback"]
    raise ValueError(role)


def settle(driver):
    """Waits until the view has drawn what it reads (no loading placeholder anywhere on the page)."""
    wait(driver).until(lambda d: d.execute_script(
        "return !document.querySelector('main .loading, main [aria-busy=true]') && !!document.querySelector('main h1')"))


def test_axe_every_page(ctx):
    """axe-core finds no serious or critical violation on any page, signed out and as shopper, host, merchant, agent
    and admin, at 1280 px and 390 px. Every violation found is printed (moderate and minor ones as a summary)."""
    source = axe_source()
    server = ctx["server"]
    world = setup_world(ctx)
    accounts = ctx["accounts"]
    failures, minor, views = [], {}, 0
    print("    axe-core " + str(axe_version(source)))
    for role in (None, "anna", "host", "merchant", "agent", "admin"):
        b = ctx["browser"](DESKTOP)
        if role:
            login(b, server, accounts[role]["email"], accounts[role]["password"])
        for page in pages_for(role, world):
            go(b, server, page)
            for size in (DESKTOP, PHONE):
                b.set_window_size(*size)
                settle(b)
                views += 1
                for v in run_axe(b, source):
                    where = f"{role or 'signed out'} {page} at {size[0]} px"
                    if v["impact"] in FAILING:
                        failures.append((where, v))
                    else:
                        minor.setdefault(f"{v['id']} ({v['impact']})", set()).add(page)
            b.set_window_size(*DESKTOP)
        no_console_errors(b, f"the pages of {role or 'a signed-out visitor'}")
        b.quit()
    print(f"    axe: {views} page views, {len({w for w, _ in failures})} with serious or critical violations")
    for rule, pages in sorted(minor.items()):
        print(f"    axe (not failing) {rule}: {', '.join(sorted(pages))[:300]}")
    for where, v in failures:
        print(f"    axe {v['impact']} {v['id']} on {where}: {v['help']}")
        for node in v["nodes"][:4]:
            print(f"        {node['target']}  {node['html']}\n          {node['summary'][:300]}")
    check(not failures, f"{len({w for w, _ in failures})} page views with serious or critical axe violations: "
          + ", ".join(sorted({v['id'] for _, v in failures})))


TESTS = [test_axe_every_page]
