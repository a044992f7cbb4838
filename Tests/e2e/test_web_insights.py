"""Browser tests of recommendations and experiments (issue 22, API.md §21): "bought together" on a product page, "for
you" on the shop page with its reasons and the switch in the privacy centre, and the admin's experiment from creation
to the stop with its results and revealed salt. Run by test_web.py, whose helpers they use; each test SKIPs until its
routes exist. What the pages need (co-purchases, exposures, a conversion) is made over the API here."""
import hashlib

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import basar_e2e as e2e
from basar_e2e import css, click, fill, go, login, text_in, wait, PHONE, DESKTOP
from test_web import (Skip, require, check, no_console_errors, new_shopper, fits, count, cheap_products,
                      pretend_missing)


def key():
    return e2e.unique_email("k")


def admin_api(ctx):
    admin = ctx["accounts"]["admin"]
    return e2e.Client(ctx["server"].base).login(admin["email"], admin["password"])


def fresh_products(ctx, n):
    """n new products of the demo merchant, bought by nobody yet: what other tests bought together cannot reorder
    their recommendations."""
    merchant = ctx["accounts"]["merchant"]
    api = e2e.Client(ctx["server"].base).login(merchant["email"], merchant["password"])
    return [api.ok("POST", "/v1/products", {
        "sku": key().split("@")[0].upper(), "title": f"Teeschale {i + 1}", "description": "Steingut, handgemacht.",
        "price_cents": 990, "stock": 6, "category": "kaffee-tee"}) for i in range(n)]


def buy(client, *products):
    return client.ok("POST", "/v1/orders", {"items": [{"product_id": p["id"], "quantity": 1} for p in products]}, key=key())


def consent(client, purpose, granted=True):
    notices = {n["purpose"]: n for n in client.ok("GET", "/v1/privacy/notices")["data"]}
    client.ok("PUT", f"/v1/me/consents/{purpose}", {"granted": granted, "notice_version": notices[purpose]["version"]})


def co_purchases(ctx, pairs, times=2):
    """Each pair bought together `times` times by fresh shoppers, then the item-to-item table rebuilt at once (the
    server folds new orders in within 60 s; the admin's rebuild makes that now)."""
    for a, b in pairs:
        for i in range(times):
            shopper, _, _ = new_shopper(ctx["server"], f"Pat Pair{i}", top_up_cents=20000)
            buy(shopper, a, b)
    admin_api(ctx).ok("POST", "/v1/admin/recommendations/rebuild", {})


def fits_beside_scrollers(driver, where):
    """As fits(), except inside a row made to scroll sideways on its own (the shop's category chips)."""
    result = driver.execute_script("""
        const width = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > width + 0.5
          && !e.closest('.chips.scroll')).map((e) => e.tagName + '.' + e.className);
        return {page: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5)};""")
    check(result["page"] <= 0 and not result["wide"], f"{where} fits {driver.get_window_size()['width']} px: {result}")


def test_bought_together(ctx):
    """In German at 390 px a product page shows "Wird oft zusammen gekauft" with the product bought with it most often
    first; its link opens that product. Nothing sticks out sideways."""
    server, screens = ctx["server"], ctx["screens"]
    client = e2e.Client(server.base)
    require(client, ("GET", "/v1/products/x/recommendations"), ("POST", "/v1/admin/recommendations/rebuild"))
    a, b, c = fresh_products(ctx, 3)
    # b is bought with a twice, c once: b comes first (cosine 2/√(3·2) ≈ 0.82 against 1/√(3·1) ≈ 0.58).
    co_purchases(ctx, [(a, b)], times=2)
    co_purchases(ctx, [(a, c)], times=1)
    expected = [r["product"]["id"] for r in client.ok("GET", f"/v1/products/{a['id']}/recommendations?limit=4")["data"]
                if r["reason"] == "bought_together"]
    check(expected[:2] == [b["id"], c["id"]], f"the server ranks b before c: {expected}")

    br = ctx["browser"](PHONE, "de-DE")
    go(br, server, f"#/product/{a['id']}")
    section = "[data-testid=bought-together]"
    css(br, f"{section} [data-rec-id='{b['id']}']")
    text_in(br, f"{section} h2", "Wird oft zusammen gekauft")
    shown = [e.get_attribute("data-rec-id") for e in br.find_elements(By.CSS_SELECTOR, f"{section} [data-rec-id]")]
    check(shown[:len(expected)] == expected, f"the page keeps the server's order: {shown} vs {expected}")
    check(br.find_element(By.CSS_SELECTOR, f"{section} [data-rec-id='{b['id']}']").get_attribute("data-reason") == "bought_together",
          "the item says why it is there")
    fits(br, "the product page with bought together")
    screens.shot(br, "bought-together-de")
    click(br, f"{section} [data-rec-id='{b['id']}'] a")
    text_in(br, "main h1", b["title"])
    wait(br).until(lambda d: d.execute_script("return document.activeElement === document.querySelector('main h1')"))
    no_console_errors(br, "bought together")


def test_for_you_with_consent(ctx):
    """A signed-in shopper sees "For you" on the shop page: without the personalization consent the best sellers for
    everyone, said so, with a link to the privacy centre; after allowing it there, items from co-purchases of what
    they bought, each with its reason ("Because you bought …"). Switching it off again brings back the plain list."""
    server, screens = ctx["server"], ctx["screens"]
    client = e2e.Client(server.base)
    require(client, ("GET", "/v1/me/recommendations"), ("PUT", "/v1/me/consents/personalization"))
    products = cheap_products(client, 5, stock=6)
    if len(products) < 5:
        raise Skip("the demo catalog has too few products in stock")
    x, y = products[3], products[4]  # not the ones test_bought_together pairs
    co_purchases(ctx, [(x, y)], times=2)
    shopper, email, password = new_shopper(server, "Frieda Foryou", top_up_cents=20000)
    buy(shopper, x)
    admin_api(ctx).ok("POST", "/v1/admin/recommendations/rebuild", {})
    answer = shopper.ok("GET", "/v1/me/recommendations?limit=4")
    check(answer["personalized"] is False, "without the consent nothing is personal")

    b = ctx["browser"](PHONE)
    login(b, server, email, password)
    go(b, server, "#/")
    box = "[data-testid=for-you]"
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, box).get_attribute("data-personalized") == "false")
    text_in(b, f"{box} [data-testid=for-you-about]", "not chosen from what you bought")
    check(all(e.text == "Popular with everyone" for e in b.find_elements(By.CSS_SELECTOR, f"{box} [data-testid=rec-reason]")),
          "each popular item says so")
    fits_beside_scrollers(b, "the shop with for you")
    screens.shot(b, "for-you-popular")
    # The switch is one link away, and reached by keyboard.
    link = css(b, f"{box} [data-testid=for-you-privacy]")
    link.send_keys(Keys.ENTER)
    css(b, "[data-purpose=personalization]")
    click(b, "[data-purpose=personalization] [data-testid=consent-grant]")
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-purpose=personalization]").get_attribute("data-granted") == "true")

    go(b, server, "#/")
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, box).get_attribute("data-personalized") == "true")
    item = css(b, f"{box} [data-rec-id='{y['id']}']")
    check(item.get_attribute("data-reason") == "because_you_bought", "the item comes from a purchase")
    reason = item.find_element(By.CSS_SELECTOR, "[data-testid=rec-reason]").text
    check(reason == f"Because you bought {x['title']}", f"the reason names the purchase: {reason!r}")
    check(not b.find_elements(By.CSS_SELECTOR, f"{box} [data-rec-id='{x['id']}']"), "what was just bought is not suggested")
    text_in(b, f"{box} [data-testid=for-you-about]", "Chosen from what you bought")
    text_in(b, f"{box} .rec-switch", "Switch off personalisation")
    fits_beside_scrollers(b, "the shop with personal suggestions")
    screens.shot(b, "for-you-personal")

    consent(shopper, "personalization", granted=False)
    go(b, server, "#/live")
    go(b, server, "#/")
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, box).get_attribute("data-personalized") == "false")
    check(not b.find_elements(By.CSS_SELECTOR, f"{box} [data-reason=because_you_bought]"), "no personal item after the withdrawal")
    # A search shows its results first: the suggestions step aside.
    fill(b, "[data-testid=search]", x["title"].split()[0])
    wait(b).until(lambda d: not d.find_element(By.CSS_SELECTOR, box).is_displayed())
    no_console_errors(b, "for you")


def test_admin_experiment(ctx):
    """The admin creates an experiment in the browser (a wrong key is named first), sees it running with its salt
    hash and no salt, watches exposures and a conversion come in, stops it (with a confirmation) and sees the salt,
    checked against the hash in the browser; every figure is the server's. At 390 px nothing sticks out sideways."""
    server, screens = ctx["server"], ctx["screens"]
    client = e2e.Client(server.base)
    require(client, ("GET", "/v1/admin/experiments"), ("POST", "/v1/admin/experiments/x/stop"), ("GET", "/v1/me/experiments/x"))
    admin = ctx["accounts"]["admin"]
    exp_key = "e2e-" + key().split("@")[0].split("-")[-1]
    b = ctx["browser"](DESKTOP)
    login(b, server, admin["email"], admin["password"])
    go(b, server, "#/admin/experiments")
    text_in(b, "main h1", "Experiments")
    fill(b, "[data-testid=exp-key]", "Not A Key")
    fill(b, "[data-testid=exp-description]", "Checkout button colour")
    click(b, "[data-testid=exp-add-variant]")
    wait(b).until(lambda d: d.switch_to.active_element.get_attribute("data-testid") == "variant-key-2")
    b.switch_to.active_element.send_keys("green")
    fill(b, "[data-testid=variant-weight-0]", "2")
    click(b, "[data-testid=exp-create]")
    css(b, ".exp-form .notice-error")
    check(b.find_element(By.CSS_SELECTOR, "[data-testid=exp-key]").get_attribute("aria-invalid") == "true", "the key is marked")
    check(b.switch_to.active_element.get_attribute("data-testid") == "exp-key", "the focus is on the wrong field")
    fill(b, "[data-testid=exp-key]", exp_key)
    click(b, "[data-testid=exp-create]")
    text_in(b, "[data-testid=exp-title]", exp_key)
    wait(b).until(lambda d: d.execute_script("return document.activeElement === document.querySelector('main h1')"))
    api = admin_api(ctx)
    created = api.ok("GET", f"/v1/admin/experiments/{exp_key}")
    check([(v["key"], v["weight"]) for v in created["variants"]] == [("control", 2), ("treatment", 1), ("green", 1)],
          f"created as typed: {created['variants']}")
    check(css(b, "[data-testid=exp-status]").get_attribute("data-status") == "running", "running from the start")
    check(b.find_element(By.CSS_SELECTOR, "[data-testid=exp-salt-hash]").text == created["salt_hash"], "the committed hash")
    check(created["salt_hash"] not in b.find_element(By.CSS_SELECTOR, "[data-testid=exp-salt]").text
          and not b.find_elements(By.CSS_SELECTOR, "[data-testid=exp-salt] code"), "no salt while it runs")

    # Shoppers see it: four with the analytics consent (exposed), one without (not counted); one of them buys.
    shoppers = []
    for i in range(4):
        shopper, _, _ = new_shopper(server, f"Ed Exposed{i}", top_up_cents=10000)
        consent(shopper, "analytics")
        shopper.ok("GET", f"/v1/me/experiments/{exp_key}")
        shoppers.append(shopper)
    unconsented, _, _ = new_shopper(server, "Una Unexposed")
    check(unconsented.ok("GET", f"/v1/me/experiments/{exp_key}")["variant"] == "control", "without consent: the first variant")
    buy(shoppers[0], cheap_products(client, 1)[0])
    click(b, "[data-testid=exp-reload]")
    wait(b).until(lambda d: sum(int(e.text or 0) for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=exp-results] td[data-testid=exposed]")) == 4)
    results = api.ok("GET", f"/v1/admin/experiments/{exp_key}/results")
    for v in results["variants"]:
        row = f"[data-testid=exp-results] tr[data-variant='{v['key']}']"
        check(b.find_element(By.CSS_SELECTOR, f"{row} [data-testid=exposed]").text == str(v["exposed"]), f"exposed of {v['key']}")
        check(b.find_element(By.CSS_SELECTOR, f"{row} [data-testid=converted]").text == str(v["converted"]), f"converted of {v['key']}")
        conversion = b.find_element(By.CSS_SELECTOR, f"{row} [data-testid=conversion]").text
        check(("nobody exposed" in conversion) == (v["conversion_ci95"] is None), f"the interval of {v['key']}: {conversion}")
    check(sum(v["converted"] for v in results["variants"]) == 1, f"one conversion: {results}")
    srm = b.find_element(By.CSS_SELECTOR, "[data-testid=exp-srm]")
    check(srm.get_attribute("data-alert") == str(results["srm_alert"]).lower(), "the sample-ratio check as the server has it")
    screens.shot(b, "experiment-running")

    # The stop asks first; Cancel leaves it running, and the focus back on the stop button.
    click(b, "[data-testid=exp-stop]")
    check(b.switch_to.active_element.get_attribute("data-testid") == "exp-stop-yes", "the confirmation takes the focus")
    b.switch_to.active_element.send_keys(Keys.TAB, Keys.ENTER)
    wait(b).until(lambda d: d.switch_to.active_element.get_attribute("data-testid") == "exp-stop")
    check(api.ok("GET", f"/v1/admin/experiments/{exp_key}")["status"] == "running", "cancel stops nothing")
    click(b, "[data-testid=exp-stop]")
    click(b, "[data-testid=exp-stop-yes]")
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=exp-status]").get_attribute("data-status") == "stopped")
    stopped = api.ok("GET", f"/v1/admin/experiments/{exp_key}")
    salt = css(b, "[data-testid=exp-salt] code").text
    check(salt == stopped["salt"] and hashlib.sha256(salt.encode()).hexdigest() == stopped["salt_hash"], "the revealed salt")
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=exp-salt-check]").get_attribute("data-matches") == "true")
    check(not b.find_elements(By.CSS_SELECTOR, "[data-testid=exp-stop]"), "no stop button once stopped")
    screens.shot(b, "experiment-stopped")

    # The list names it as stopped; at 390 px the detail page's table becomes cards and nothing scrolls sideways.
    go(b, server, "#/admin/experiments")
    text_in(b, f"[data-experiment='{exp_key}'] [data-testid=exp-status]", "Stopped")
    b.set_window_size(*PHONE)
    go(b, server, f"#/admin/experiments/{exp_key}")
    css(b, "[data-testid=exp-results]")
    fits(b, "the experiment at 390 px")
    screens.shot(b, "experiment-phone")
    no_console_errors(b, "the experiment pages")


def test_experiment_pages_in_german(ctx):
    """The experiment pages speak German: the form's labels, a duplicate variant key named by the form, and the
    server's key_taken answer for a key that exists."""
    server = ctx["server"]
    require(e2e.Client(server.base), ("GET", "/v1/admin/experiments"))
    api = admin_api(ctx)
    taken = "e2e-taken-" + key().split("@")[0].split("-")[-1]
    api.ok("POST", "/v1/admin/experiments", {"key": taken, "variants": [{"key": "a", "weight": 1}, {"key": "b", "weight": 1}]})
    admin = ctx["accounts"]["admin"]
    b = ctx["browser"](PHONE, "de-DE")
    login(b, server, admin["email"], admin["password"])
    go(b, server, "#/admin/experiments")
    text_in(b, "main h1", "Experimente")
    text_in(b, ".exp-form", "Variante 1: Schlüssel")
    fill(b, "[data-testid=exp-key]", taken)
    fill(b, "[data-testid=variant-key-1]", "control")
    click(b, "[data-testid=exp-create]")
    text_in(b, ".exp-form .notice-error", "eigenen Schlüssel")
    check(b.find_element(By.CSS_SELECTOR, "[data-testid=variant-key-1]").get_attribute("aria-invalid") == "true", "the duplicate is marked")
    fill(b, "[data-testid=variant-key-1]", "treatment")
    click(b, "[data-testid=exp-create]")
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=exp-key]").get_attribute("aria-invalid") == "true")
    check(count(b, f"[data-experiment='{taken}']") == 1, "the taken key is listed once")
    fits(b, "the experiments page in German")
    no_console_errors(b, "the experiments page in German")


def test_experiment_srm_alert(ctx):
    """A failed sample-ratio check is flagged: with the results' answer changed in the browser to p = 0.00002 (a
    server does so when the exposed counts do not fit the weights; real accounts cannot be steered into variants), the
    page names the mismatch and says not to trust the figures."""
    server = ctx["server"]
    require(e2e.Client(server.base), ("GET", "/v1/admin/experiments"))
    api = admin_api(ctx)
    exp_key = "e2e-srm-" + key().split("@")[0].split("-")[-1]
    api.ok("POST", "/v1/admin/experiments", {"key": exp_key, "variants": [{"key": "a", "weight": 1}, {"key": "b", "weight": 1}]})
    b = ctx["browser"](PHONE)
    pretend_missing(b, [], otherwise="""
          const response = await real(input, init);
          if (!/\\/results$/.test(path) || !response.ok) return response;
          const data = await response.json();
          data.srm_p_value = 0.00002; data.srm_alert = true;
          return new Response(JSON.stringify(data), {status: 200, headers: response.headers});""")
    admin = ctx["accounts"]["admin"]
    login(b, server, admin["email"], admin["password"])
    go(b, server, f"#/admin/experiments/{exp_key}")
    srm = css(b, "[data-testid=exp-srm]")
    check(srm.get_attribute("data-alert") == "true" and "notice-error" in srm.get_attribute("class"), "flagged as an error")
    text_in(b, "[data-testid=exp-srm]", "Sample ratio mismatch")
    text_in(b, "[data-testid=exp-srm]", "do not trust these results")
    no_console_errors(b, "the sample-ratio alert")


def test_insights_pages_without_their_routes(ctx):
    """A server without the routes of §21: the shop and product pages show no suggestions and no error, and the
    experiments page says calmly that it is not available yet."""
    server = ctx["server"]
    admin = ctx["accounts"]["admin"]
    product = cheap_products(e2e.Client(server.base), 1)[0]
    b = ctx["browser"](PHONE)
    pretend_missing(b, [r"^\/v1\/products\/[^/]+\/recommendations", r"^\/v1\/me\/recommendations", r"^\/v1\/admin\/experiments"])
    login(b, server, admin["email"], admin["password"])
    for page, section in (("#/", "for-you"), (f"#/product/{product['id']}", "bought-together")):
        go(b, server, page)
        wait(b).until(lambda d: not d.find_elements(By.CSS_SELECTOR, f"[data-testid={section}]"))
        check(not b.find_elements(By.CSS_SELECTOR, "main .notice-error"), f"{page} shows no error")
    go(b, server, "#/admin/experiments")
    text_in(b, "main", "not available yet")
    check(not b.find_elements(By.CSS_SELECTOR, "main .notice-error"), "the experiments page shows no error")
    no_console_errors(b, "the insights pages without their routes")


TESTS = [test_bought_together, test_for_you_with_consent, test_admin_experiment, test_experiment_pages_in_german,
         test_experiment_srm_alert, test_insights_pages_without_their_routes]
