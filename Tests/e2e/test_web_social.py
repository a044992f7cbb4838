"""Browser tests of the social pages (issues 20, 21 and 23): following a host and the host page, a community with its
members-only chat, moderation and event stream, red packets with the in-browser check of their split, team deals
with share links, the invite landing page and "my invitations", live auctions with soft close, and replays. Run by
test_web.py, whose helpers they use; each test SKIPs until its routes exist."""
import hashlib
import hmac
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import basar_e2e as e2e
from basar_e2e import css, click, fill, go, login, text_in, wait, PHONE, DESKTOP
from test_web import (Skip, require, check, no_console_errors, new_shopper, fits, count, cheap_products, started_show, euros,
                      pretend_missing)


def split(seed_hex, total, count_):
    """API.md §20's split, written again here from the contract (not from the page or the server)."""
    seed, remaining, shares = bytes.fromhex(seed_hex), total, []
    for index in range(count_):
        left = count_ - index
        if left < 2:
            shares.append(remaining)
            break
        u = int.from_bytes(hmac.new(seed, str(index).encode(), hashlib.sha256).digest()[:8], "big")
        share = 1 + (u * (2 * remaining // left - 1) >> 64)
        shares.append(share)
        remaining -= share
    return shares


def demo(ctx, name):
    account = ctx["accounts"].get(name)
    if not account:
        raise Skip(f"no demo account '{name}' in Fixtures/demo/accounts.json")
    return account


def api_for(ctx, name):
    account = demo(ctx, name)
    return e2e.Client(ctx["server"].base).login(account["email"], account["password"])


def key():
    return e2e.unique_email("k")


def text(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector).text


# MARK: - follows and the host page (§20)

def test_follow_host_and_host_page(ctx):
    """From a live show a viewer opens the host's page, follows (the count goes up, the host is under "Hosts you
    follow"), and unfollows again; in German at 390 px without sideways scrolling."""
    server, screens = ctx["server"], ctx["screens"]
    client = e2e.Client(server.base)
    require(client, ("PUT", "/v1/me/following/x"), ("GET", "/v1/hosts/x"), ("GET", "/v1/me/following"))
    host_api, live = started_show(ctx, "E2E follow show")
    host_id = host_api.ok("GET", "/v1/me")["id"]
    fan, email, password = new_shopper(server, "Fritzi Fan")
    before = client.ok("GET", f"/v1/hosts/{host_id}")["followers"]

    b = ctx["browser"](PHONE, "de-DE")
    login(b, server, email, password)
    go(b, server, f"#/live/{live['id']}")
    click(b, "[data-testid=host-link]")
    text_in(b, "[data-testid=followers]", f"{before} Follower")
    css(b, "[data-testid=host-live] a")  # the show that is on now
    check(b.find_element(By.CSS_SELECTOR, "[data-testid=follow]").get_attribute("aria-pressed") == "false", "not followed yet")
    click(b, "[data-testid=follow]")
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=follow]").get_attribute("aria-pressed") == "true")
    text_in(b, "[data-testid=followers]", f"{before + 1} Follower")
    check(any(f["account_id"] == host_id for f in fan.ok("GET", "/v1/me/following")["data"]), "the server has the follow")
    fits(b, "the host page")
    screens.shot(b, "host-page-followed")
    go(b, server, "#/communities")
    css(b, f"[data-testid=following] [data-host-id='{host_id}']")
    # The live page knows it too, and unfollows.
    go(b, server, f"#/live/{live['id']}")
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=follow]").get_attribute("aria-pressed") == "true")
    click(b, "[data-testid=follow]")
    wait(b).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=follow]").get_attribute("aria-pressed") == "false")
    check(client.ok("GET", f"/v1/hosts/{host_id}")["followers"] == before, "unfollowed on the server")
    no_console_errors(b, "following a host")


# MARK: - communities and red packets (§20)

def test_community_chat_moderation_and_red_packets(ctx):
    """The host creates a community on the page; a shopper joins, chats (the owner sees it live), the owner deletes a
    message (gone on the shopper's page too); the shopper sends a red packet that appears live for the owner, both
    open a share, the seed is revealed and the packet page recomputes the shares exactly as the contract's rule does;
    a reload still shows the packet; a muted member is told so. 390 px, no console errors."""
    server, screens = ctx["server"], ctx["screens"]
    client = e2e.Client(server.base)
    require(client, ("GET", "/v1/communities"), ("POST", "/v1/red-packets"), ("POST", "/v1/event-tickets"))
    host = demo(ctx, "host")
    member, email, password = new_shopper(server, "Mia Member", top_up_cents=5000)

    owner = ctx["browser"](PHONE)
    login(owner, server, host["email"], host["password"])
    go(owner, server, "#/communities")
    fill(owner, "[data-testid=community-name]", "E2E Teekränzchen")
    fill(owner, "textarea[name=description]", "Tee, Tassen und gute Laune")
    click(owner, "[data-testid=community-create]")
    text_in(owner, "main h1", "E2E Teekränzchen")
    css(owner, "[data-testid=owner-badge]")
    css(owner, "#main .conn.ok")
    community_id = owner.execute_script("return location.hash.split('/').pop()")

    b = ctx["browser"](PHONE)
    login(b, server, email, password)
    go(b, server, f"#/communities/{community_id}")
    css(b, "[data-testid=members-only]")
    click(b, "[data-testid=join]")
    css(b, "#main .conn.ok")
    text_in(b, "[data-testid=member-count]", "2")
    fill(b, "[data-testid=chat-input]", "Hallo zusammen!")
    click(b, ".chat-form button[type=submit]")
    text_in(owner, "[data-testid=community-chat]", "Hallo zusammen!")  # over the owner's event stream
    message = member.ok("GET", f"/v1/communities/{community_id}/messages")["data"][0]
    # The owner deletes it; the member's page drops it through its own stream.
    click(owner, f"[data-message-id='{message['id']}'] [data-testid=delete-message]")
    wait(b).until(lambda d: not d.find_elements(By.CSS_SELECTOR, f"[data-message-id='{message['id']}']"))

    # A red packet of 3.00 in two shares, sent on the page.
    click(b, "[data-testid=packet-send-open]")
    fill(b, "[data-testid=packet-total]", "3.00")
    fill(b, "[data-testid=packet-count]", "2")
    fill(b, "[data-testid=packet-message]", "Für den nächsten Tee")
    click(b, "[data-testid=send-packet]")
    css(b, ".packet-send .notice-ok")
    packet_card = "[data-testid=packets] [data-packet-id]"
    css(owner, packet_card)  # red_packet.created over the stream
    packet_id = owner.find_element(By.CSS_SELECTOR, packet_card).get_attribute("data-packet-id")
    fits(owner, "the community with a red packet")
    screens.shot(owner, "community-packet")
    click(owner, f"[data-packet-id='{packet_id}'] [data-testid=open-packet]")
    css(owner, f"[data-packet-id='{packet_id}'] [data-testid=packet-got]")
    text_in(b, f"[data-packet-id='{packet_id}'] [data-testid=packet-progress]", "1")  # red_packet.claimed
    click(b, f"[data-packet-id='{packet_id}'] [data-testid=open-packet]")
    got = css(b, f"[data-packet-id='{packet_id}'] [data-testid=packet-got]").text
    packet = member.ok("GET", f"/v1/red-packets/{packet_id}")
    check(packet["server_seed"] and packet["shares"], f"both shares taken: the seed is revealed: {packet}")
    expected = split(packet["server_seed"], 300, 2)
    check(expected == packet["shares"], f"the server split by the contract's rule: {expected} vs {packet['shares']}")
    check(hashlib.sha256(bytes.fromhex(packet["server_seed"])).hexdigest() == packet["server_seed_hash"], "the commitment holds")
    check(any(euros(s) in got for s in expected), f"the member's share is one of the shares: {got} {expected}")

    # The packet page checks the split in the browser.
    click(b, f"[data-packet-id='{packet_id}'] [data-testid=packet-details]")
    css(b, "[data-testid=packet-seed]")
    click(b, "[data-testid=verify]")
    verdict = css(b, "[data-testid=verdict]")
    check(verdict.get_attribute("data-ok") == "true", f"the page verified the split: {verdict.text}")
    shown = [e.text for e in b.find_elements(By.CSS_SELECTOR, "[data-testid=recomputed] [data-testid=share]")]
    check(len(shown) == 2 and all(euros(s) in t for s, t in zip(expected, shown)), f"recomputed shares shown: {shown} vs {expected}")
    check(b.find_elements(By.CSS_SELECTOR, "[data-testid=recomputed] tr.mine"), "the member's own share is marked")
    fits(b, "the red packet page")
    screens.shot(b, "red-packet-proof")

    # A reload still shows the packet (the stream replayed from its start), opened by this tab.
    go(b, server, f"#/communities/{community_id}")
    css(b, f"[data-packet-id='{packet_id}'] [data-testid=packet-got]")

    # The owner mutes the member: the member is told so when writing.
    member.ok("POST", f"/v1/communities/{community_id}/messages", {"text": "Noch eine Nachricht"})
    click(owner, "[data-testid=community-chat] [data-testid=mute]")
    text_in(owner, "#toasts", "Mia")
    time.sleep(1.1)  # the chat's one message a second (API.md §9)
    fill(b, "[data-testid=chat-input]", "Darf ich noch?")
    click(b, ".chat-form button[type=submit]")
    text_in(b, ".community-chat .notice-error", "muted")
    no_console_errors(b, "the member's community page")
    no_console_errors(owner, "the owner's community page")


def test_red_packet_sealed_and_not_member(ctx):
    """Before every share is taken the packet page shows the commitment and says when the seed comes; a member who
    sends more than the wallet holds is told so; someone outside the community sees neither chat nor packet."""
    server = ctx["server"]
    client = e2e.Client(server.base)
    require(client, ("GET", "/v1/communities"), ("POST", "/v1/red-packets"))
    host_api = api_for(ctx, "host")
    community = host_api.ok("POST", "/v1/communities", {"name": "E2E Stille Runde"})
    packet = host_api.ok("POST", "/v1/red-packets", {"total_cents": 500, "count": 5, "community_id": community["id"]}, key=key())
    member, email, password = new_shopper(server, "Paul Poor", top_up_cents=100)
    member.ok("POST", f"/v1/communities/{community['id']}/members")

    b = ctx["browser"](PHONE, "de-DE")
    login(b, server, email, password)
    go(b, server, f"#/red-packets/{packet['id']}")
    text_in(b, "[data-testid=packet-commitment]", packet["server_seed_hash"])
    css(b, "[data-testid=packet-sealed]")
    check(not b.find_elements(By.CSS_SELECTOR, "[data-testid=verify]"), "nothing to verify before the seed is revealed")
    go(b, server, f"#/communities/{community['id']}")
    css(b, f"[data-packet-id='{packet['id']}']")  # sent before the page opened: from the replayed stream
    click(b, "[data-testid=packet-send-open]")
    fill(b, "[data-testid=packet-total]", "50")
    fill(b, "[data-testid=packet-count]", "3")
    click(b, "[data-testid=send-packet]")
    text_in(b, ".packet-send .notice-error", "Guthaben")  # 402 in German
    fits(b, "the community page in German")

    outsider, o_email, o_password = new_shopper(server, "Olga Outside")
    o = ctx["browser"](PHONE)
    login(o, server, o_email, o_password)
    go(o, server, f"#/communities/{community['id']}")
    css(o, "[data-testid=members-only]")
    check(not o.find_elements(By.CSS_SELECTOR, "[data-testid=community-chat]"), "no chat for non-members")
    go(o, server, f"#/red-packets/{packet['id']}")
    text_in(o, "main .notice", "not joined")
    no_console_errors(b, "a sealed packet")
    no_console_errors(o, "an outsider")


# MARK: - team buys, share links, referrals (§20)

def team_deal(ctx, team_size=2, price_floor=1500, price_ceiling=10000):
    """A team deal on a product whose team price a shopper topped up with €200 can pay: demo products share one
    creation second, so the list's order (and its last product) changes from run to run."""
    merchant = api_for(ctx, "merchant")
    client = e2e.Client(ctx["server"].base)
    products = [p for p in client.ok("GET", "/v1/products?limit=100")["data"]
                if p["stock"] >= 5 and price_floor <= p["price_cents"] <= price_ceiling]
    if not products:
        raise Skip("no product with stock and a price for a team deal")
    product = products[-1]
    deal = merchant.ok("POST", "/v1/team-deals", {"product_id": product["id"], "team_price_cents": product["price_cents"] - 300,
                                                  "team_size": team_size, "window_seconds": 600})
    return merchant, product, deal


def test_team_deal_share_and_invite(ctx):
    """The product page offers "alone or with a team"; a shopper starts a team (countdown, one of two), shares its
    link; a new person opens the link, signs up with the invitation, tops up and joins: the team completes, both
    pages say so with a link to the order, and the sharer's invitations count the sign-up."""
    server, screens = ctx["server"], ctx["screens"]
    client = e2e.Client(server.base)
    require(client, ("GET", "/v1/team-deals"), ("GET", "/v1/teams/x"), ("GET", "/v1/shares/x"), ("GET", "/v1/me/referrals"))
    merchant, product, deal = team_deal(ctx)
    opener, email, password = new_shopper(server, "Tom Team", top_up_cents=20000)

    a = ctx["browser"](PHONE)
    login(a, server, email, password)
    go(a, server, f"#/product/{product['id']}")
    line = css(a, f"[data-deal-id='{deal['id']}'] [data-testid=deal-line]").text
    check(euros(product["price_cents"]) in line and euros(deal["team_price_cents"]) in line, f"alone or team: {line}")
    fits(a, "the product page with a team deal")
    screens.shot(a, "product-team-deal")
    click(a, "[data-testid=start-team]")
    text_in(a, "[data-testid=team-progress]", "1 of 2")
    seconds = int(css(a, "[data-testid=team-countdown]").get_attribute("data-seconds"))
    check(500 < seconds <= 600, f"the countdown runs from the deal's window: {seconds}")
    team_id = a.execute_script("return location.hash.split('/').pop()")
    click(a, "[data-testid=share]")
    link = css(a, "[data-testid=share-link]").get_attribute("value")
    check("#/s/" in link, f"a share link: {link}")
    fits(a, "the team page")
    screens.shot(a, "team-forming")

    # A new person opens the link, signs up with it, and joins.
    b = ctx["browser"](PHONE, "de-DE")
    b.get(link)
    text_in(b, "[data-testid=invite-title]", "Tom")
    click(b, "[data-testid=signup-with-invite]")
    check(css(b, "[data-testid=referral-code]").get_attribute("value") == link.split("#/s/")[1], "the invitation is in the form")
    fill(b, "input[name=display_name]", "Nina Neu")
    fill(b, "input[name=email]", e2e.unique_email("nina"))
    fill(b, "input[name=password]", "a long enough password")
    click(b, "[data-testid=signup-submit]")
    css(b, "[data-testid=join-team]")
    newcomer = e2e.Client(server.base, b.execute_script("return sessionStorage.getItem('basar.token')"))
    newcomer.ok("POST", "/v1/wallet/top-ups", {"amount_cents": 20000, "method": "sandbox"}, key=key())
    click(b, "[data-testid=join-team]")
    css(b, "[data-testid=team-order]")
    text_in(b, "[data-testid=team-status]", "Komplett")
    # The opener's page follows within its polling interval.
    css(a, "[data-testid=team-order]", timeout=15)
    order_id = a.find_element(By.CSS_SELECTOR, "[data-testid=team-order]").get_attribute("href").split("/")[-1]
    order = opener.ok("GET", f"/v1/orders/{order_id}")
    check(order["total_cents"] == deal["team_price_cents"], f"one paid order at the team price: {order['total_cents']}")
    fits(b, "the completed team in German")
    screens.shot(b, "team-completed")

    go(a, server, "#/referrals")
    counts = opener.ok("GET", "/v1/me/referrals")
    check(counts["signed_up"] >= 1, f"the sign-up counts: {counts}")
    text_in(a, "[data-testid=signed-up]", str(counts["signed_up"]))
    text_in(a, "[data-testid=rewarded]", str(counts["rewarded"]))
    css(a, "[data-testid=my-links] [data-testid=share-link]")
    fits(a, "my invitations")
    screens.shot(a, "my-invitations")
    no_console_errors(a, "the team opener")
    no_console_errors(b, "the invited person")


def test_invite_unknown_code_and_product_share(ctx):
    """An unknown share code says so calmly; a product's share link lands on the product with its sharer's name."""
    server = ctx["server"]
    client = e2e.Client(server.base)
    require(client, ("GET", "/v1/shares/x"), ("POST", "/v1/shares"))
    sharer, email, password = new_shopper(server, "Sara Sharer")
    product = cheap_products(client, 1)[0]
    share = sharer.ok("POST", "/v1/shares", {"target_type": "product", "target_id": product["id"]})
    b = ctx["browser"](PHONE)
    go(b, server, "#/s/NOSUCHCODE1")
    css(b, "[data-testid=invite-unknown]")
    go(b, server, f"#/s/{share['code']}")
    text_in(b, "[data-testid=invite-title]", "Sara")
    text_in(b, "[data-testid=invite-target]", product["title"])
    css(b, "[data-testid=signup-with-invite]")
    fits(b, "the invite landing page")
    no_console_errors(b, "invite landing pages")


# MARK: - live auctions and replays (§22)

def wait_seconds_left(driver, at_most, timeout=40):
    wait(driver, timeout).until(lambda d: 0 < int(d.find_element(By.CSS_SELECTOR, "[data-testid=auction-clock]").get_attribute("data-seconds") or 99) <= at_most)


def test_auction_bids_and_soft_close(ctx):
    """The host starts an auction from the pin form; a viewer bids with one tap and leads, is outbid live, sets a
    maximum and leads again at the proxy price; a bid in the last seconds makes the countdown jump back; the viewer
    wins and gets the order link. The host's page shows the auction."""
    server, screens = ctx["server"], ctx["screens"]
    client = e2e.Client(server.base)
    require(client, ("POST", "/v1/live-sessions/x/pins/y/bids"), ("POST", "/v1/event-tickets"))
    host = demo(ctx, "host")
    host_api, live = started_show(ctx, "E2E auction show")
    product = cheap_products(client, 1, stock=2)[0]

    h = ctx["browser"](DESKTOP)
    login(h, server, host["email"], host["password"])
    go(h, server, f"#/host/{live['id']}")
    css(h, "[data-testid=pin-product][data-query='']")
    Select(css(h, "[data-testid=pin-product]")).select_by_value(product["id"])
    click(h, "[data-testid=pin-auction]")
    fill(h, "[data-testid=auction-start]", "5.00")
    fill(h, "[data-testid=auction-step]", "1.00")
    fill(h, "[data-testid=auction-duration]", "20")
    click(h, "[data-testid=pin-submit]")
    css(h, "[data-testid=host-auction]")
    pin = host_api.ok("GET", f"/v1/live-sessions/{live['id']}")["pins"][0]
    check(pin["auction"]["starting_bid_cents"] == 500 and pin["flash_price_cents"] is None, f"an auction pin: {pin}")

    viewer, email, password = new_shopper(server, "Berta Bieter", top_up_cents=5000)
    rival, _, _ = new_shopper(server, "Rolf Rival", top_up_cents=5000)
    b = ctx["browser"](PHONE)
    login(b, server, email, password)
    go(b, server, f"#/live/{live['id']}")
    css(b, "#main .conn.ok")
    card = f"[data-testid=auction][data-pin-id='{pin['id']}']"
    text_in(b, f"{card} [data-testid=current-bid]", "5.00")
    text_in(b, f"{card} [data-testid=bid]", "5.00")
    click(b, f"{card} [data-testid=bid]")
    text_in(b, f"{card} [data-testid=standing]", "You lead")
    bids_url = f"/v1/live-sessions/{live['id']}/pins/{pin['id']}/bids"
    rival.ok("POST", bids_url, {"amount_cents": 600}, key=key())
    text_in(b, f"{card} [data-testid=current-bid]", "6.00")  # auction.bid over the stream
    text_in(b, f"{card} [data-testid=leader]", "Rolf")
    text_in(b, f"{card} [data-testid=standing]", "outbid")
    click(b, f"{card} [data-testid=max-bid-open]")
    fill(b, f"{card} [data-testid=max-input]", "20")
    click(b, f"{card} [data-testid=max-bid]")
    text_in(b, f"{card} [data-testid=standing]", "You lead")
    text_in(b, f"{card} [data-testid=current-bid]", "7.00")
    fits(b, "the auction card")
    screens.shot(b, "auction-leading")

    # Soft close: the rival bids in the last seconds; the end moves to 10 s after that bid.
    wait_seconds_left(b, 6)
    rival.ok("POST", bids_url, {"amount_cents": 800}, key=key())
    text_in(b, f"{card} [data-testid=current-bid]", "9.00")  # the viewer's maximum answers at the proxy price
    css(b, f"{card} [data-testid=auction-clock].jumped")
    left = int(b.find_element(By.CSS_SELECTOR, f"{card} [data-testid=auction-clock]").get_attribute("data-seconds"))
    check(left >= 8, f"the countdown jumped back to about 10 s: {left}")
    text_in(b, f"{card} [data-testid=extended]", "extended")
    screens.shot(b, "auction-extended")
    css(b, f"{card} [data-testid=auction-order]", timeout=30)
    text_in(b, f"{card} [data-testid=standing]", "9.00")
    order_id = b.find_element(By.CSS_SELECTOR, f"{card} [data-testid=auction-order]").get_attribute("href").split("/")[-1]
    order = viewer.ok("GET", f"/v1/orders/{order_id}")
    check(order["total_cents"] == 900, f"the winner paid the proxy price: {order['total_cents']}")
    text_in(h, "[data-testid=stats]", "9.00", timeout=15)  # the auction's order counts in the show's revenue
    no_console_errors(b, "the auction viewer")
    no_console_errors(h, "the host's auction controls")


def test_replay_chapters(ctx):
    """Before the show ends its replay says it is not ready; after, the replay lists a chapter per pin with its
    orders, units and revenue, linked from the ended show; German at 390 px."""
    server, screens = ctx["server"], ctx["screens"]
    client = e2e.Client(server.base)
    require(client, ("GET", "/v1/live-sessions/x/replay"))
    host_api, live = started_show(ctx, "E2E replay show")
    first, second = cheap_products(client, 2, stock=3)
    pin = host_api.ok("POST", f"/v1/live-sessions/{live['id']}/pins", {"product_id": first["id"]})
    buyer, _, _ = new_shopper(server, "Rita Replay", top_up_cents=20000)
    buyer.ok("POST", "/v1/orders", {"items": [{"product_id": first["id"], "quantity": 2}], "live_session_id": live["id"],
                                    "pin_id": pin["id"]}, key=key())
    b = ctx["browser"](PHONE, "de-DE")
    go(b, server, f"#/replay/{live['id']}")
    css(b, "[data-testid=replay-not-yet]")
    time.sleep(1.1)  # the chapters' offsets count whole seconds
    host_api.ok("POST", f"/v1/live-sessions/{live['id']}/pins", {"product_id": second["id"]})
    host_api.ok("POST", f"/v1/live-sessions/{live['id']}/end")
    go(b, server, f"#/live/{live['id']}")
    click(b, "[data-testid=replay-link]")
    css(b, "[data-testid=chapters] .chapter")
    chapters = b.find_elements(By.CSS_SELECTOR, "[data-testid=chapters] .chapter")
    check(len(chapters) == 2, f"a chapter per pin: {len(chapters)}")
    check(chapters[0].get_attribute("data-pin-id") == pin["id"], "chapters in pin order")
    stats = chapters[0].find_element(By.CSS_SELECTOR, "[data-testid=chapter-stats]").text
    check("1 Bestellung" in stats and "2 Stück" in stats, f"the first chapter's orders and units: {stats}")
    check(count(b, ".timeline-bar .segment") == 2, "the chapters on the timeline")
    fits(b, "the replay")
    screens.shot(b, "replay")
    no_console_errors(b, "the replay")


# MARK: - a server without the social routes

def test_social_pages_without_their_routes(ctx):
    """A server without follows, communities, red packets, team buys, shares and replays: the pages say calmly that
    they are not available, the product page has no team deal, and nothing logs a console error."""
    server, screens = ctx["server"], ctx["screens"]
    client = e2e.Client(server.base)
    require(client, ("GET", "/v1/live-sessions"))
    _, email, password = new_shopper(server, "Olli Older")
    product = cheap_products(client, 1)[0]
    live = client.ok("GET", "/v1/live-sessions?status=live&limit=1")["data"] or client.ok("GET", "/v1/live-sessions?status=scheduled&limit=1")["data"]
    b = ctx["browser"](PHONE)
    pretend_missing(b, [r"^\/v1\/(hosts|communities|red-packets|team-deals|teams|shares)", r"^\/v1\/me\/(following|referrals|teams)",
                        r"^\/v1\/live-sessions\/[^/]+\/replay"])
    login(b, server, email, password)
    pages = ["#/communities", "#/communities/cmty_x", "#/hosts/acct_x", "#/red-packets/pkt_x", "#/teams/team_x", "#/s/ABCDEFGH",
             "#/referrals"]
    if live:
        pages.append(f"#/replay/{live[0]['id']}")
    for hash_path in pages:
        go(b, server, hash_path)
        check(not b.find_elements(By.CSS_SELECTOR, "main .notice-error"), f"{hash_path} shows no error: {text(b, 'main')[:200]}")
        text_in(b, "main", "not available yet")
    go(b, server, f"#/product/{product['id']}")
    css(b, "[data-testid=add-to-cart]")
    check(not b.find_element(By.CSS_SELECTOR, "[data-testid=team-deal]").is_displayed(), "no team deal without team buys")
    if live:
        go(b, server, f"#/live/{live[0]['id']}")
        css(b, "[data-testid=host-link]")
        wait(b).until(lambda d: not d.find_element(By.CSS_SELECTOR, "[data-testid=follow]").is_displayed())
    screens.shot(b, "social-without-routes")
    no_console_errors(b, "social pages without their routes")


TESTS = [test_follow_host_and_host_page, test_community_chat_moderation_and_red_packets, test_red_packet_sealed_and_not_member,
         test_team_deal_share_and_invite, test_invite_unknown_code_and_product_share, test_auction_bids_and_soft_close,
         test_replay_chapters, test_social_pages_without_their_routes]
