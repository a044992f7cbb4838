"""Accessibility browser tests (issue 24): axe-core on every page of the web client, signed out and signed in as each
demo role, at 1280 px and 390 px; prefers-reduced-motion; focus on route changes; the accessibility statement.

axe-core comes from PyPI's `axe-selenium-python`, which bundles axe.min.js: the file's text is injected with
execute_script (WebDriver scripts are not bound by the page's Content-Security-Policy), so nothing is downloaded at
run time. Without the package the axe test SKIPs with a message. Run by test_web.py, whose helpers it uses."""
import os
import re
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import basar_e2e as e2e
from basar_e2e import css, click, fill, go, login, text_in, wait, PHONE, DESKTOP
from test_web import (Skip, require, check, no_console_errors, fits, started_show, cheap_products, within, new_shopper,
                      coupon_for, new_campaign)

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
    if public.has_route("GET", "/v1/live-sessions/x/replay"):
        ended = host.ok("POST", "/v1/live-sessions", {"title": "A11y replay"})
        host.ok("POST", f"/v1/live-sessions/{ended['id']}/start")
        host.ok("POST", f"/v1/live-sessions/{ended['id']}/end")
        world["replay"] = ended["id"]
    if public.has_route("GET", "/v1/admin/experiments"):
        admin = e2e.Client(server.base).login(accounts["admin"]["email"], accounts["admin"]["password"])
        world["experiment"] = admin.ok("POST", "/v1/admin/experiments", {
            "key": "a11y-" + e2e.unique_email("x").split("@")[0].split("-")[-1], "description": "Checkout button text",
            "variants": [{"key": "control", "weight": 1}, {"key": "treatment", "weight": 1}]})["key"]
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
    if "replay" in world:
        public.append(f"#/replay/{world['replay']}")
    public.append("#/s/no-such-code")  # a share link that names nothing
    if role is None:
        return public + ["#/login", "#/signup"]
    if role == "anna":
        pages = public + ["#/cart", "#/wallet", "#/orders", "#/coupons", "#/games", "#/account", "#/privacy", "#/inbox",
                          "#/conversations", "#/surveys", "#/referrals", "#/red-packets/none", "#/teams/none"]
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
        pages = ["#/", "#/admin/signals", "#/admin/feedback"]
        if "experiment" in world:
            pages += ["#/admin/experiments", f"#/admin/experiments/{world['experiment']}"]
        return pages
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
    failures, minor, views, unfocused = [], {}, 0, []
    print("    axe-core " + str(axe_version(source)))
    for role in (None, "anna", "host", "merchant", "agent", "admin"):
        b = ctx["browser"](DESKTOP)
        if role:
            login(b, server, accounts[role]["email"], accounts[role]["password"])
        for page in pages_for(role, world):
            changed = not b.current_url.endswith(page)
            go(b, server, page)
            settle(b)
            # A route change moves the focus to the new page's heading (once the view has read what it shows).
            if changed and not within(b, 5, lambda: b.execute_script(
                    "return document.activeElement === document.querySelector('main h1')")):
                unfocused.append(f"{role or 'signed out'} {page}: {b.execute_script('return document.activeElement.outerHTML.slice(0, 120)')}")
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
    for where in unfocused:
        print(f"    focus not on the heading after the route change: {where}")
    check(not unfocused, f"{len(unfocused)} route changes left the focus off the new page's heading")
    check(not failures, f"{len({w for w, _ in failures})} page views with serious or critical axe violations: "
          + ", ".join(sorted({v['id'] for _, v in failures})))


def reduced_motion(driver):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})


def test_reduced_motion(ctx):
    """With prefers-reduced-motion the wheel lands at once (its result in text right after the play), and slide-ins,
    bounces, floating hearts and transitions take no time."""
    server = ctx["server"]
    ben = ctx["accounts"]["ben"]
    api = e2e.Client(server.base).login(ben["email"], ben["password"])
    wheel = next((g for g in api.ok("GET", "/v1/games")["data"] if g["kind"] == "wheel"), None)
    if wheel is None:
        raise Skip("no wheel game in Content/games")
    b = ctx["browser"](PHONE)
    reduced_motion(b)
    login(b, server, ben["email"], ben["password"])
    go(b, server, f"#/games/{wheel['id']}")
    css(b, "[data-testid=play]")
    started = time.monotonic()
    click(b, "[data-testid=play]")
    wait(b, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=result]").get_attribute("data-done") == "true")
    took = time.monotonic() - started
    check(took < 2.5, f"the wheel's result came {took:.1f} s after the play with reduced motion (the spin takes 4.2 s)")
    label = b.find_element(By.CSS_SELECTOR, "[data-testid=result-label]").text
    check(label and label in b.find_element(By.CSS_SELECTOR, ".wheel").get_attribute("aria-label"),
          "the wheel's picture names the prize it landed on")
    timing = b.execute_script("""
        const probe = (cls) => { const e = document.createElement('span'); e.className = cls; document.body.append(e);
          const s = getComputedStyle(e); const r = [s.animationName, s.animationDuration, s.transitionDuration]; e.remove(); return r; };
        return {note: probe('note'), heart: probe('float-heart'), kitten: probe('kitten bounce'),
                wheel: getComputedStyle(document.querySelector('.wheel')).transitionDuration};""")
    check(timing["note"][0] == "none" and timing["kitten"][0] == "none", f"no slide-in or bounce: {timing}")
    check(timing["heart"][1] in ("1e-05s", "0.00001s", "0s"), f"hearts do not float: {timing}")
    check(timing["wheel"] in ("0s", "1e-05s"), f"the wheel has no transition: {timing}")
    no_console_errors(b, "the wheel with reduced motion")


def test_statement_and_footer(ctx):
    """The footer of every page links to the accessibility statement, in German and English, which names what does not
    conform yet (live video without captions) and what has not been tested (a real screen reader); it is reached by
    keyboard (Tab from the last link) and the focus lands on its heading."""
    server, screens = ctx["server"], ctx["screens"]
    for lang, heading, gap, untested in (("de-DE", "Erklärung zur Barrierefreiheit", "Untertitel", "echten Screenreader"),
                                         ("en-US", "Accessibility statement", "captions", "real screen reader")):
        b = ctx["browser"](PHONE, lang)
        go(b, server, "#/live")
        link = css(b, "footer [data-testid=a11y-link]")
        link.send_keys(Keys.ENTER)
        text_in(b, "main h1", heading)
        wait(b).until(lambda d: d.execute_script("return document.activeElement === document.querySelector('main h1')"))
        text_in(b, "[data-testid=a11y-gaps]", gap)
        text_in(b, "[data-testid=a11y-untested]", untested)
        check("WCAG 2.1" in b.find_element(By.CSS_SELECTOR, "[data-testid=a11y-status]").text, "the statement names the standard")
        fits(b, f"the statement ({lang})")
        screens.shot(b, f"accessibility-{lang}")
        no_console_errors(b, f"the statement ({lang})")
        b.quit()


def test_countdown_not_announced(ctx):
    """A flash deal's countdown sits in the polite list of deals but in a timer that is not read out: over three
    seconds the clock changes, and none of its changes is inside a live region."""
    server = ctx["server"]
    host_api, live = started_show(ctx, "Countdown show")
    product = cheap_products(e2e.Client(server.base), 1)[0]
    host_api.ok("POST", f"/v1/live-sessions/{live['id']}/pins",
                {"product_id": product["id"], "flash_price_cents": max(1, product["price_cents"] // 2), "flash_quantity": 2,
                 "duration_seconds": 600})
    b = ctx["browser"](PHONE)
    go(b, server, f"#/live/{live['id']}")
    css(b, "[data-testid=pins] .clock")
    b.execute_script("""
        window.__announced = []; window.__clockTicks = 0;
        const liveness = (node) => {
          for (let e = node.nodeType === 1 ? node : node.parentElement; e; e = e.parentElement) {
            const live = e.getAttribute('aria-live');
            if (live) return live;
            const role = e.getAttribute('role');
            if (role === 'timer' || role === 'marquee') return 'off';
            if (role === 'status' || role === 'log') return 'polite';
            if (role === 'alert') return 'assertive';
          }
          return 'off';
        };
        // A change of the clock is read out when the clock is inside a live region that is not switched off. (The
        // whole list of deals may be drawn again, e.g. when the stream connects: that is a deal update, read once.)
        new MutationObserver((records) => {
          for (const r of records) {
            const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
            if (!el || !el.closest('.clock')) continue;
            window.__clockTicks += 1;
            if (liveness(r.target) !== 'off') window.__announced.push((el.closest('.clock').textContent || '').slice(0, 80));
          }
        }).observe(document.querySelector('main'), {subtree: true, childList: true, characterData: true});""")
    time.sleep(3.2)  # observing three ticks of the clock: the thing under test is what happens over time
    ticks, announced = b.execute_script("return [window.__clockTicks, window.__announced]")
    check(ticks >= 2, f"the clock ticked ({ticks} changes)")
    check(not announced, f"the countdown's ticks are not in a live region: {announced}")
    no_console_errors(b, "the live show's countdown")


def press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def tab_to(driver, selector, backwards=False, limit=120):
    """Presses Tab (or Shift+Tab) until the focus is on an element matching `selector`; fails after `limit` presses."""
    for _ in range(limit):
        if driver.execute_script("return !!document.activeElement && document.activeElement.matches(arguments[0])", selector):
            return driver.switch_to.active_element
        if backwards:
            ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        else:
            press(driver, Keys.TAB)
    raise AssertionError(f"{selector} is not reached with {'Shift+' if backwards else ''}Tab in {limit} presses")


def focus_on_heading(driver):
    wait(driver).until(lambda d: d.execute_script("return document.activeElement === document.querySelector('main h1')"))


def test_keyboard_journey(ctx):
    """With key presses only (Tab, Shift+Tab, typing, Enter, arrow keys): sign in, search, add to the cart, go to the
    cart, pay with a coupon and see the order. Set-up (account, money, a claimed coupon) goes over the API."""
    server, screens = ctx["server"], ctx["screens"]
    client = e2e.Client(server.base)
    buyer, email, password = new_shopper(server, "Kira Keys", top_up_cents=20000)
    _, coupon = coupon_for(server, ctx, buyer, new_campaign("Keyboard ten percent", 10))
    products = client.ok("GET", "/v1/products?limit=100")["data"]
    product = next(p for p in products if p["stock"] >= 2 and 200 <= p["price_cents"] <= 4000
                   and any(w.isalpha() and len(w) >= 4 for w in p["title"].split()))
    word = next(w for w in product["title"].split() if w.isalpha() and len(w) >= 4)

    b = ctx["browser"](DESKTOP)
    b.get(server.base + "/#/login")
    focus_on_heading(b)
    tab_to(b, "input[name=email]").send_keys(email)
    press(b, Keys.TAB)
    check(b.switch_to.active_element.get_attribute("name") == "password", "Tab goes from the e-mail to the password")
    press(b, password, Keys.ENTER)
    css(b, "[data-testid=who]")
    focus_on_heading(b)
    tab_to(b, "[data-testid=search]")
    press(b, word)
    # The list of the whole word, not of a prefix typed before a pause: a later answer would replace the focused card.
    css(b, f'[data-testid=products][data-query="{word}"]')
    wait(b).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"[data-product-id='{product['id']}']"))
    tab_to(b, f"[data-product-id='{product['id']}'] [data-testid=add-to-cart]")
    press(b, Keys.ENTER)
    e2e.toast_ok(b, product["title"])
    tab_to(b, "#nav a[href='#/cart']", backwards=True)
    press(b, Keys.ENTER)
    text_in(b, "[data-testid=cart-lines]", product["title"])
    focus_on_heading(b)
    wait(b).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=coupon-select] option")) > 1)
    tab_to(b, "[data-testid=coupon-select]")
    press(b, Keys.ARROW_DOWN)
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=coupon-select]").get_attribute("value") == coupon["id"])
    tab_to(b, "[data-testid=checkout]")
    screens.shot(b, "keyboard-cart")
    press(b, Keys.ENTER)
    css(b, "[data-testid=order-confirmation]")
    focus_on_heading(b)
    screens.shot(b, "keyboard-order")
    order_id = b.current_url.split("#/orders/")[1].split("?")[0]
    order = buyer.ok("GET", f"/v1/orders/{order_id}")
    check(order["coupon_id"] == coupon["id"] and order["discount_cents"] > 0, f"the order used the coupon: {order}")
    no_console_errors(b, "the keyboard journey")


def test_reflow_320(ctx):
    """No page scrolls sideways (WCAG 1.4.10, 1.4.4) at 320 CSS px, at 640 (a 1280 px window at 200% zoom) and at
    1280 px with the text alone at 200% (the browser's font size setting, which rem and em follow): every page of
    every role, signed out, as shopper, host, merchant, agent and admin. Rows made to scroll on their own (the menu,
    the category chips, a data table's wrapper) do not count; the page itself must not."""
    server = ctx["server"]
    world = setup_world(ctx)
    accounts = ctx["accounts"]
    wide, views = [], 0
    for role in (None, "anna", "host", "merchant", "agent", "admin"):
        b = ctx["browser"](PHONE)
        if role:
            login(b, server, accounts[role]["email"], accounts[role]["password"])
        for page in pages_for(role, world):
            go(b, server, page)
            for width, text in ((320, 100), (640, 100), (1280, 200)):
                b.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                  {"width": width, "height": 700, "deviceScaleFactor": 1, "mobile": width < 400})
                b.execute_script("document.documentElement.style.fontSize = arguments[0]", f"{text}%")
                settle(b)
                views += 1
                extra = b.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if extra > 0:
                    culprits = b.execute_script("""
                        const w = document.documentElement.clientWidth;
                        return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 0.5
                          && !e.closest('.nav, .chips.scroll, .table-wrap')).slice(0, 4).map((e) => e.tagName + '.' + e.className);""")
                    wide.append(f"{role or 'signed out'} {page} at {width} px, text {text}%: {extra} px too wide {culprits}")
            b.execute_script("document.documentElement.style.fontSize = ''")
            b.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        no_console_errors(b, f"the pages of {role or 'a signed-out visitor'} at 320 px")
        b.quit()
    print(f"    reflow: {views} page views")
    for line in wide:
        print("    " + line)
    check(not wide, f"{len(wide)} page views scroll sideways at 320 px, 640 px or with 200% text")


def test_keyboard_live_and_games(ctx):
    """With key presses only: open a live show from the list, buy its flash deal and send a chat message (the focus
    stays in the composer while messages arrive); spin the wheel and play the scratch card (revealed by keyboard), each
    result written in text."""
    server, screens = ctx["server"], ctx["screens"]
    host_api, live = started_show(ctx, "Keyboard show")
    product = cheap_products(e2e.Client(server.base), 1)[0]
    host_api.ok("POST", f"/v1/live-sessions/{live['id']}/pins",
                {"product_id": product["id"], "flash_price_cents": max(1, product["price_cents"] // 2), "flash_quantity": 2,
                 "duration_seconds": 600})
    buyer, email, password = new_shopper(server, "Lena Live", top_up_cents=20000)
    b = ctx["browser"](PHONE)
    login(b, server, email, password)
    go(b, server, "#/live")
    focus_on_heading(b)
    tab_to(b, f"main a[href='#/live/{live['id']}']")
    press(b, Keys.ENTER)
    css(b, "[data-testid=pins] [data-testid=buy-now]")
    focus_on_heading(b)
    tab_to(b, "[data-testid=pins] [data-testid=buy-now]")
    press(b, Keys.ENTER)
    css(b, "[data-testid=live-order-link]")
    tab_to(b, "[data-testid=chat-input]")
    press(b, "Hello by keyboard", Keys.ENTER)
    text_in(b, "[data-testid=chat]", "Hello by keyboard")
    host_api.ok("POST", f"/v1/live-sessions/{live['id']}/messages", {"text": "Welcome, keyboard friend"})
    text_in(b, "[data-testid=chat]", "Welcome, keyboard friend")
    check(b.switch_to.active_element.get_attribute("data-testid") == "chat-input",
          "an arriving message leaves the focus in the composer")
    check(buyer.ok("GET", "/v1/orders")["data"], "the flash deal was bought")
    screens.shot(b, "keyboard-live")

    games = buyer.ok("GET", "/v1/games")["data"]
    for kind in ("wheel", "scratch"):
        game = next((g for g in games if g["kind"] == kind), None)
        if game is None:
            continue
        go(b, server, f"#/games/{game['id']}")
        focus_on_heading(b)
        tab_to(b, "[data-testid=play]")
        press(b, Keys.ENTER)
        if kind == "scratch":
            # The card takes the focus to its "reveal everything" button: Enter uncovers it.
            wait(b).until(lambda d: d.switch_to.active_element.get_attribute("data-testid") == "reveal")
            press(b, Keys.ENTER)
        wait(b, 30).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=result]").get_attribute("data-done") == "true")
        result = b.find_element(By.CSS_SELECTOR, "[data-testid=result]")
        check(result.get_attribute("aria-live") == "polite" and result.text.strip(), f"the {kind}'s result is text in a polite region")
        screens.shot(b, f"keyboard-{kind}")
    no_console_errors(b, "live and games by keyboard")


def test_admin_charts_without_mouse(ctx):
    """The admin's feedback charts have their figures as tables too: reached with Tab, opened with Enter, with column
    and row headers, and the same numbers the charts draw (the NPS per week of the trend, the three figures of each
    group). The signal rules' bars and the experiment chart are pictures of numbers written beside them or in a table
    before them, so they are hidden from screen readers rather than read twice."""
    server, screens = ctx["server"], ctx["screens"]
    require(e2e.Client(server.base), ("GET", "/v1/admin/feedback/report"))
    admin = ctx["accounts"]["admin"]
    b = ctx["browser"](PHONE)
    login(b, server, admin["email"], admin["password"])
    go(b, server, "#/admin/feedback")
    settle(b)
    focus_on_heading(b)
    tab_to(b, "[data-testid=groups-data] summary")
    press(b, Keys.ENTER)
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=groups-table]").is_displayed())
    table = b.find_element(By.CSS_SELECTOR, "[data-testid=groups-table]")
    check(len(table.find_elements(By.CSS_SELECTOR, "thead th[scope=col]")) == 5, "a header per column")
    for group in ("promoter", "passive", "detractor"):
        for metric in ("average_order_cents", "refund_rate", "repeat_purchase_rate"):
            drawn = b.execute_script("""
                const rect = document.querySelector(`[data-metric='${arguments[1]}'] rect[data-group='${arguments[0]}']`);
                return rect.nextElementSibling.textContent;""", group, metric)
            cell = table.find_element(By.CSS_SELECTOR, f"tr[data-group={group}] td[data-metric={metric}]").text
            check(cell == drawn, f"{group} {metric}: the table says {cell!r}, the chart {drawn!r}")
    tab_to(b, "[data-testid=trend-data] summary")
    press(b, Keys.ENTER)
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=trend-table]").is_displayed())
    rows = b.find_elements(By.CSS_SELECTOR, "[data-testid=trend-table] tbody tr")
    check(len(rows) == 8 and all(r.find_element(By.CSS_SELECTOR, "th").get_attribute("scope") == "row" for r in rows),
          f"eight weeks, each a row header: {len(rows)}")
    label = b.find_element(By.CSS_SELECTOR, "[data-testid=nps-trend]").get_attribute("aria-label")
    drawn = [part.split(": ")[1] for part in label.split(": ", 1)[1].split(", ")]
    listed = [r.find_element(By.CSS_SELECTOR, "[data-testid=week-nps]").text for r in rows]
    check(listed == drawn, f"the weeks' NPS as the chart has them: {listed} vs {drawn}")
    fits(b, "the feedback page with its tables open")
    screens.shot(b, "admin-feedback-tables")
    check(all(e.get_attribute("aria-hidden") == "true" for e in b.find_elements(By.CSS_SELECTOR, ".compare .bar, .exp-chart")),
          "bars beside their numbers are hidden from screen readers")
    no_console_errors(b, "the admin charts by keyboard")


def test_keyboard_survey_card(ctx):
    """With key presses only a survey card in the inbox is answered (Tab to a score, Enter); the focus moves to the
    answer's note, not to the top of the page."""
    server = ctx["server"]
    require(e2e.Client(server.base), ("GET", "/v1/surveys/pending"), ("POST", "/v1/surveys/invitations/x/responses"),
            ("POST", "/v1/conversations"))
    from test_web_service import csat_invitation, resolved_support_case
    buyer, email, password = new_shopper(server, "Sven Survey")
    invitation = csat_invitation(buyer, resolved_support_case(buyer))
    b = ctx["browser"](PHONE)
    login(b, server, email, password)
    go(b, server, "#/inbox")
    card = f"[data-testid=survey][data-invitation-id='{invitation['id']}']"
    css(b, card)
    focus_on_heading(b)
    tab_to(b, f"{card} button.score[data-score='4']")
    press(b, Keys.ENTER)
    text_in(b, f"{card} [data-testid=survey-done]", "4")
    check(b.switch_to.active_element.get_attribute("data-testid") == "survey-done",
          "the focus is on the answer's note: " + b.execute_script("return document.activeElement.outerHTML.slice(0, 200)"))
    check(not any(i["id"] == invitation["id"] for i in buyer.ok("GET", "/v1/surveys/pending")["data"]), "answered")
    no_console_errors(b, "the survey card by keyboard")


TESTS = [test_axe_every_page, test_reduced_motion, test_statement_and_footer, test_countdown_not_announced,
         test_keyboard_journey, test_keyboard_live_and_games, test_keyboard_survey_card, test_reflow_320,
         test_admin_charts_without_mouse]
