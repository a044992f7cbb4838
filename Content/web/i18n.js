// German and English. The language follows navigator.language until the person picks one with the switch
// (remembered in localStorage: a preference, not a secret). Every problem `code` of API.md §1 has a message.

const en = {
  'nav.shop': 'Shop', 'nav.live': 'Live', 'nav.games': 'Games', 'nav.coupons': 'Coupons', 'nav.cart': 'Cart',
  'nav.wallet': 'Wallet', 'nav.orders': 'Orders', 'nav.host': 'Host', 'nav.login': 'Log in', 'nav.signup': 'Sign up',
  'nav.logout': 'Log out', 'nav.language': 'Language', 'nav.label': 'Main', 'nav.skip': 'Skip to content',
  'common.loading': 'Loading…', 'common.more': 'Show more', 'common.amount_format': 'Use an amount such as 12.50',
  'error.title': 'Something went wrong', 'error.page_not_found': 'Page not found',
  'auth.login': 'Log in', 'auth.signup': 'Create account', 'auth.login_title': 'Log in', 'auth.signup_title': 'Create your account',
  'auth.no_account': 'New here?', 'auth.have_account': 'Already have an account?',
  'auth.password_hint': 'At least 10 characters.', 'auth.welcome': 'Welcome, {name}!', 'auth.logged_out': 'You are logged out.',
  'auth.demo_hint': 'Demo: anna@basar.test / basar-anna-pass, host@basar.test / basar-host-pass',
  'field.email': 'Email', 'field.password': 'Password', 'field.display_name': 'Display name', 'field.quantity': 'Quantity',
  'field.amount': 'Amount', 'field.amount_cents': 'Amount', 'field.code': 'Coupon code', 'field.reason': 'Reason',
  'field.title': 'Title', 'field.description': 'Description', 'field.product': 'Product', 'field.product_id': 'Product',
  'field.flash_price': 'Flash price', 'field.flash_price_cents': 'Flash price', 'field.flash_quantity': 'Flash units',
  'field.duration': 'Duration (seconds)', 'field.duration_seconds': 'Duration', 'field.campaign': 'Campaign',
  'field.campaign_id': 'Campaign', 'field.text': 'Message', 'field.coupon_id': 'Coupon', 'field.items': 'Items',
  'catalog.title': 'Shop', 'catalog.search': 'Search', 'catalog.search_hint': 'Words match from their start; accents do not matter.',
  'catalog.categories': 'Categories', 'catalog.all': 'All', 'catalog.nothing_found': 'Nothing found.',
  'product.in_stock': '{n} in stock', 'product.sold_out': 'Sold out', 'product.stock_short': '{n} in stock',
  'cart.title': 'Cart', 'cart.add': 'Add to cart', 'cart.added': '{title} is in your cart.', 'cart.empty': 'Your cart is empty.',
  'cart.subtotal': 'Subtotal', 'cart.checkout': 'Pay now from wallet', 'cart.coupon': 'Coupon', 'cart.no_coupon': 'No coupon',
  'cart.coupon_hint': 'The discount is applied when you pay.', 'cart.paid': 'Paid {total}. Thank you!',
  'cart.remove': 'Remove', 'cart.remove_of': 'Remove {title}', 'cart.quantity_of': 'Quantity of {title}',
  'cart.discount': 'Discount', 'cart.total': 'Total', 'cart.balance_after': 'Balance after paying',
  'cart.not_enough': 'Your balance of {balance} does not cover {total}.',
  'wallet.title': 'Wallet', 'wallet.balance': 'Balance', 'wallet.top_up': 'Top up', 'wallet.transactions': 'Transactions',
  'wallet.no_transactions': 'No transactions yet.', 'wallet.after': 'balance {amount}',
  'wallet.amount_hint': 'Between 1.00 and 1,000.00.', 'wallet.sandbox_hint': 'Sandbox payment: approved at once, no real money.',
  'wallet.topped_up': '{amount} added to your wallet.', 'wallet.placeholder': '25.00',
  'tx.top_up': 'Top-up', 'tx.payment': 'Payment', 'tx.refund': 'Refund', 'tx.transfer_in': 'Money received', 'tx.transfer_out': 'Money sent',
  'order.title': 'Orders', 'order.one': 'Order', 'order.none': 'No orders yet.', 'order.thanks': 'Thank you! Your order is paid.',
  'order.product': 'Product', 'order.unit': 'Unit price', 'order.line_total': 'Total', 'order.refunded': 'Refunded',
  'order.refund_now': 'Refund', 'order.discount': 'Discount', 'order.total': 'Total', 'order.refund': 'Ask for a refund',
  'order.refund_hint': 'Within 14 days of purchase.', 'order.refund_selected': 'Refund selected units',
  'order.refund_all': 'Refund everything', 'order.refund_qty_of': 'Units of {title} to refund',
  'order.refunded_ok': '{amount} went back to your wallet.', 'order.default_reason': 'Changed my mind',
  'order.pick_units': 'Pick at least one unit.', 'order.from_live': 'Bought in a live show',
  'order.status.paid': 'Paid', 'order.status.partially_refunded': 'Partly refunded', 'order.status.refunded': 'Refunded',
  'coupons.title': 'Coupons', 'coupons.mine': 'My coupons', 'coupons.claim': 'Claim', 'coupons.claim_title': 'Have a code?',
  'coupons.code_hint': 'Letter case does not matter.', 'coupons.claimed': 'Claimed: {what}', 'coupons.none': 'No coupons yet.',
  'coupons.off': '{value} off', 'coupons.min_spend': 'from {amount}', 'coupons.valid_until': 'valid until {date}', 'coupons.use': 'Use',
  'coupons.cap': 'up to {amount}',
  'coupons.status.available': 'Available', 'coupons.status.redeemed': 'Used', 'coupons.status.expired': 'Expired',
  'coupons.source.code': 'Code', 'coupons.source.game': 'Won in a game', 'coupons.source.live_drop': 'Live drop', 'coupons.source.grant': 'Gift',
  'coupons.source.signal': 'Special offer', 'coupons.source.referral': 'Referral', 'coupons.source.goodwill': 'Goodwill',
  'live.title': 'Live shows', 'live.filter': 'Show', 'live.none': 'No shows here right now.', 'live.viewers': '{n} watching', 'live.viewers_one': '1 watching',
  'live.status.live': 'Live', 'live.status.scheduled': 'Upcoming', 'live.status.ended': 'Ended',
  'live.stream': 'Live stream', 'live.open_stream': 'Open the stream', 'live.deals': 'Deals', 'live.no_pins': 'No products pinned yet.',
  'live.flash': 'Flash deal', 'live.units_left': '{n} left', 'live.sold_out': 'Sold out', 'live.buy_now': 'Buy now',
  'live.deal_over': 'Deal over', 'live.bought': 'You bought {title} for {total}.', 'live.see_order': 'See order',
  'live.chat': 'Chat', 'live.say': 'Say something…', 'live.send': 'Send', 'live.delete': 'Delete', 'live.mute': 'Mute',
  'live.muted': '{name} is muted for this show.', 'live.heart': 'Send a heart', 'live.login_to_like': 'Log in to send hearts.',
  'live.drop': 'Coupon drop!', 'live.drop_left': '{n} of {of} left', 'live.grab': 'Grab it', 'live.grabbed': 'Yours',
  'live.all_gone': 'All gone', 'live.grabbed_toast': 'The coupon is yours — see My coupons.', 'live.drop_started': 'A coupon drop started!',
  'live.someone_bought': '{name} bought {n}× {title}', 'live.connected': 'connected', 'live.reconnecting': 'reconnecting…',
  'live.ended_note': 'The show has ended.',
  'host.title': 'My shows', 'host.controls': 'Host controls', 'host.need_role': 'Hosting needs the host role.',
  'host.new': 'New show', 'host.create': 'Create show', 'host.none': 'No shows yet.', 'host.start': 'Go live', 'host.end': 'End show',
  'host.end_confirm': 'End the show for everyone?', 'host.started': 'You are live.', 'host.ended': 'The show has ended.',
  'host.open_viewer': 'Viewer page (chat moderation)', 'host.pins': 'Pinned products', 'host.unpin': 'Unpin',
  'host.until': 'until {time}', 'host.pin': 'Pin', 'host.pin_title': 'Pin a product', 'host.pinned': 'Pinned.',
  'host.drop': 'Drop coupons', 'host.drop_title': 'Coupon drop', 'host.dropped': '{n} coupons dropped.',
  'host.campaign_hint': 'The campaign id (cmp_…) from your merchant.',
  'host.choose_product': 'Choose a product', 'host.choose_campaign': 'Choose a campaign',
  'host.no_campaigns': 'No active campaign.', 'host.campaign_left': '{n} of {of} coupons left',
  'host.found': '{n} products found', 'host.found_one': '1 product found',
  'host.not_yours': 'This show belongs to {name}. Only its host can run it.', 'host.watch': 'Watch the show',
  'host.stats.title': 'Live statistics', 'host.stats.peak_viewers': 'Peak viewers', 'host.stats.unique_viewers': 'Unique viewers',
  'host.stats.messages': 'Messages', 'host.stats.likes': 'Hearts', 'host.stats.orders': 'Orders', 'host.stats.units_sold': 'Units sold',
  'host.stats.gmv': 'Revenue', 'host.stats.conversion': 'Conversion',
  'games.title': 'Games', 'games.plays_left': '{n} plays left today', 'games.plays_left_one': '1 play left today', 'games.odds': 'Odds', 'games.prize': 'Prize',
  'games.chance': 'Chance', 'games.gone': 'none left', 'games.wheel': 'Prize wheel', 'games.spin': 'Spin the wheel',
  'games.buy_card': 'Get a scratch card', 'games.scratch_intro': 'Get a card, then scratch it.', 'games.scratch_here': 'Scratch here',
  'games.reveal': 'Reveal all', 'games.won_coupon': 'You won a coupon: {what}.', 'games.no_coupon': 'No coupon this time.',
  'games.client_seed': 'Your seed', 'games.client_seed_label': 'Client seed (part of the draw; change it if you like)',
  'games.fairness': 'Fairness proof', 'games.fairness_intro': 'Before you play, the server commits to a secret seed by showing its SHA-256 hash. Rotate to reveal the seed; this page then recomputes each draw with Web Crypto.',
  'games.commitment': 'Commitment:', 'games.next_nonce': 'Next nonce:', 'games.rotate': 'Rotate seed and reveal',
  'games.revealed': 'Revealed seed:', 'games.hash_ok': '✓ The seed matches the commitment.', 'games.my_plays': 'My plays in this tab',
  'games.no_plays': 'No plays yet.', 'games.verify': 'Verify', 'games.rotate_first': 'rotate to verify',
  'games.verified': '✓ Verified: {label}', 'games.mismatch': '✗ Recomputed {label}, the server said {server}',
  'games.bad_commitment': '✗ The seed does not match the commitment',
  'games.feed': 'Feed', 'games.play_with': 'Play', 'games.level': 'Level {n}', 'games.xp': 'Experience', 'games.energy': 'Energy',
  'games.refill': 'More energy at {time}', 'games.level_coupon': 'Level up! You got a coupon: {what}.',
};

const de = {
  'nav.shop': 'Shop', 'nav.live': 'Live', 'nav.games': 'Spiele', 'nav.coupons': 'Gutscheine', 'nav.cart': 'Warenkorb',
  'nav.wallet': 'Guthaben', 'nav.orders': 'Bestellungen', 'nav.host': 'Moderation', 'nav.login': 'Anmelden', 'nav.signup': 'Registrieren',
  'nav.logout': 'Abmelden', 'nav.language': 'Sprache', 'nav.label': 'Hauptmenü', 'nav.skip': 'Zum Inhalt springen',
  'common.loading': 'Lädt …', 'common.more': 'Mehr anzeigen', 'common.amount_format': 'Gib einen Betrag wie 12,50 ein',
  'error.title': 'Etwas ist schiefgegangen', 'error.page_not_found': 'Seite nicht gefunden',
  'auth.login': 'Anmelden', 'auth.signup': 'Konto erstellen', 'auth.login_title': 'Anmelden', 'auth.signup_title': 'Konto erstellen',
  'auth.no_account': 'Neu hier?', 'auth.have_account': 'Schon ein Konto?',
  'auth.password_hint': 'Mindestens 10 Zeichen.', 'auth.welcome': 'Willkommen, {name}!', 'auth.logged_out': 'Du bist abgemeldet.',
  'auth.demo_hint': 'Demo: anna@basar.test / basar-anna-pass, host@basar.test / basar-host-pass',
  'field.email': 'E-Mail', 'field.password': 'Passwort', 'field.display_name': 'Anzeigename', 'field.quantity': 'Menge',
  'field.amount': 'Betrag', 'field.amount_cents': 'Betrag', 'field.code': 'Gutscheincode', 'field.reason': 'Grund',
  'field.title': 'Titel', 'field.description': 'Beschreibung', 'field.product': 'Produkt', 'field.product_id': 'Produkt',
  'field.flash_price': 'Blitzpreis', 'field.flash_price_cents': 'Blitzpreis', 'field.flash_quantity': 'Blitz-Stückzahl',
  'field.duration': 'Dauer (Sekunden)', 'field.duration_seconds': 'Dauer', 'field.campaign': 'Kampagne',
  'field.campaign_id': 'Kampagne', 'field.text': 'Nachricht', 'field.coupon_id': 'Gutschein', 'field.items': 'Artikel',
  'catalog.title': 'Shop', 'catalog.search': 'Suche', 'catalog.search_hint': 'Wörter passen ab ihrem Anfang; Akzente sind egal.',
  'catalog.categories': 'Kategorien', 'catalog.all': 'Alle', 'catalog.nothing_found': 'Nichts gefunden.',
  'product.in_stock': '{n} auf Lager', 'product.sold_out': 'Ausverkauft', 'product.stock_short': '{n} auf Lager',
  'cart.title': 'Warenkorb', 'cart.add': 'In den Warenkorb', 'cart.added': '{title} liegt im Warenkorb.', 'cart.empty': 'Dein Warenkorb ist leer.',
  'cart.subtotal': 'Zwischensumme', 'cart.checkout': 'Jetzt mit Guthaben bezahlen', 'cart.coupon': 'Gutschein', 'cart.no_coupon': 'Kein Gutschein',
  'cart.coupon_hint': 'Der Rabatt wird beim Bezahlen abgezogen.', 'cart.paid': '{total} bezahlt. Danke!',
  'cart.remove': 'Entfernen', 'cart.remove_of': '{title} entfernen', 'cart.quantity_of': 'Menge von {title}',
  'cart.discount': 'Rabatt', 'cart.total': 'Gesamt', 'cart.balance_after': 'Guthaben nach dem Bezahlen',
  'cart.not_enough': 'Dein Guthaben von {balance} reicht nicht für {total}.',
  'wallet.title': 'Guthaben', 'wallet.balance': 'Kontostand', 'wallet.top_up': 'Aufladen', 'wallet.transactions': 'Buchungen',
  'wallet.no_transactions': 'Noch keine Buchungen.', 'wallet.after': 'Stand {amount}',
  'wallet.amount_hint': 'Zwischen 1,00 und 1.000,00.', 'wallet.sandbox_hint': 'Sandbox-Zahlung: sofort bestätigt, kein echtes Geld.',
  'wallet.topped_up': '{amount} wurden gutgeschrieben.', 'wallet.placeholder': '25,00',
  'tx.top_up': 'Aufladung', 'tx.payment': 'Zahlung', 'tx.refund': 'Erstattung', 'tx.transfer_in': 'Geld erhalten', 'tx.transfer_out': 'Geld gesendet',
  'order.title': 'Bestellungen', 'order.one': 'Bestellung', 'order.none': 'Noch keine Bestellungen.', 'order.thanks': 'Danke! Deine Bestellung ist bezahlt.',
  'order.product': 'Produkt', 'order.unit': 'Stückpreis', 'order.line_total': 'Summe', 'order.refunded': 'Erstattet',
  'order.refund_now': 'Zu erstatten', 'order.discount': 'Rabatt', 'order.total': 'Gesamt', 'order.refund': 'Erstattung anfordern',
  'order.refund_hint': 'Innerhalb von 14 Tagen nach dem Kauf.', 'order.refund_selected': 'Ausgewählte Stücke erstatten',
  'order.refund_all': 'Alles erstatten', 'order.refund_qty_of': 'Zu erstattende Stück von {title}',
  'order.refunded_ok': '{amount} gingen zurück auf dein Guthaben.', 'order.default_reason': 'Meinung geändert',
  'order.pick_units': 'Wähle mindestens ein Stück.', 'order.from_live': 'In einer Live-Show gekauft',
  'order.status.paid': 'Bezahlt', 'order.status.partially_refunded': 'Teilweise erstattet', 'order.status.refunded': 'Erstattet',
  'coupons.title': 'Gutscheine', 'coupons.mine': 'Meine Gutscheine', 'coupons.claim': 'Einlösen', 'coupons.claim_title': 'Hast du einen Code?',
  'coupons.code_hint': 'Groß- und Kleinschreibung ist egal.', 'coupons.claimed': 'Eingelöst: {what}', 'coupons.none': 'Noch keine Gutscheine.',
  'coupons.off': '{value} Rabatt', 'coupons.min_spend': 'ab {amount}', 'coupons.valid_until': 'gültig bis {date}', 'coupons.use': 'Verwenden',
  'coupons.cap': 'höchstens {amount}',
  'coupons.status.available': 'Verfügbar', 'coupons.status.redeemed': 'Verwendet', 'coupons.status.expired': 'Abgelaufen',
  'coupons.source.code': 'Code', 'coupons.source.game': 'Im Spiel gewonnen', 'coupons.source.live_drop': 'Live-Drop', 'coupons.source.grant': 'Geschenk',
  'coupons.source.signal': 'Sonderaktion', 'coupons.source.referral': 'Empfehlung', 'coupons.source.goodwill': 'Kulanz',
  'live.title': 'Live-Shows', 'live.filter': 'Anzeigen', 'live.none': 'Gerade keine Shows.', 'live.viewers': '{n} schauen zu', 'live.viewers_one': '1 schaut zu',
  'live.status.live': 'Live', 'live.status.scheduled': 'Demnächst', 'live.status.ended': 'Beendet',
  'live.stream': 'Live-Stream', 'live.open_stream': 'Stream öffnen', 'live.deals': 'Angebote', 'live.no_pins': 'Noch keine Produkte angeheftet.',
  'live.flash': 'Blitzangebot', 'live.units_left': 'noch {n}', 'live.sold_out': 'Ausverkauft', 'live.buy_now': 'Jetzt kaufen',
  'live.deal_over': 'Angebot vorbei', 'live.bought': 'Du hast {title} für {total} gekauft.', 'live.see_order': 'Zur Bestellung',
  'live.chat': 'Chat', 'live.say': 'Schreib etwas …', 'live.send': 'Senden', 'live.delete': 'Löschen', 'live.mute': 'Stummschalten',
  'live.muted': '{name} ist für diese Show stummgeschaltet.', 'live.heart': 'Herz senden', 'live.login_to_like': 'Melde dich an, um Herzen zu senden.',
  'live.drop': 'Gutschein-Drop!', 'live.drop_left': 'noch {n} von {of}', 'live.grab': 'Schnappen', 'live.grabbed': 'Deiner',
  'live.all_gone': 'Alle weg', 'live.grabbed_toast': 'Der Gutschein gehört dir – siehe Meine Gutscheine.', 'live.drop_started': 'Ein Gutschein-Drop hat begonnen!',
  'live.someone_bought': '{name} hat {n}× {title} gekauft', 'live.connected': 'verbunden', 'live.reconnecting': 'verbinde neu …',
  'live.ended_note': 'Die Show ist beendet.',
  'host.title': 'Meine Shows', 'host.controls': 'Moderation', 'host.need_role': 'Zum Moderieren brauchst du die Host-Rolle.',
  'host.new': 'Neue Show', 'host.create': 'Show anlegen', 'host.none': 'Noch keine Shows.', 'host.start': 'Live gehen', 'host.end': 'Show beenden',
  'host.end_confirm': 'Die Show für alle beenden?', 'host.started': 'Du bist live.', 'host.ended': 'Die Show ist beendet.',
  'host.open_viewer': 'Zuschauerseite (Chat-Moderation)', 'host.pins': 'Angeheftete Produkte', 'host.unpin': 'Lösen',
  'host.until': 'bis {time}', 'host.pin': 'Anheften', 'host.pin_title': 'Produkt anheften', 'host.pinned': 'Angeheftet.',
  'host.drop': 'Gutscheine verteilen', 'host.drop_title': 'Gutschein-Drop', 'host.dropped': '{n} Gutscheine verteilt.',
  'host.campaign_hint': 'Die Kampagnen-ID (cmp_…) von deinem Händler.',
  'host.choose_product': 'Produkt wählen', 'host.choose_campaign': 'Kampagne wählen',
  'host.no_campaigns': 'Keine aktive Kampagne.', 'host.campaign_left': 'noch {n} von {of} Gutscheinen',
  'host.found': '{n} Produkte gefunden', 'host.found_one': '1 Produkt gefunden',
  'host.not_yours': 'Diese Show gehört {name}. Nur ihr Host kann sie moderieren.', 'host.watch': 'Show ansehen',
  'host.stats.title': 'Live-Statistik', 'host.stats.peak_viewers': 'Höchste Zuschauerzahl', 'host.stats.unique_viewers': 'Zuschauer insgesamt',
  'host.stats.messages': 'Nachrichten', 'host.stats.likes': 'Herzen', 'host.stats.orders': 'Bestellungen', 'host.stats.units_sold': 'Verkaufte Stück',
  'host.stats.gmv': 'Umsatz', 'host.stats.conversion': 'Konversion',
  'games.title': 'Spiele', 'games.plays_left': 'Heute noch {n} Spiele', 'games.plays_left_one': 'Heute noch 1 Spiel', 'games.odds': 'Gewinnchancen', 'games.prize': 'Gewinn',
  'games.chance': 'Chance', 'games.gone': 'vergriffen', 'games.wheel': 'Glücksrad', 'games.spin': 'Rad drehen',
  'games.buy_card': 'Rubbellos holen', 'games.scratch_intro': 'Hol dir ein Los und rubbel es frei.', 'games.scratch_here': 'Hier rubbeln',
  'games.reveal': 'Alles aufdecken', 'games.won_coupon': 'Du hast einen Gutschein gewonnen: {what}.', 'games.no_coupon': 'Diesmal kein Gutschein.',
  'games.client_seed': 'Dein Seed', 'games.client_seed_label': 'Client-Seed (Teil der Ziehung; du kannst ihn ändern)',
  'games.fairness': 'Fairness-Nachweis', 'games.fairness_intro': 'Vor dem Spiel legt sich der Server auf einen geheimen Seed fest und zeigt dessen SHA-256-Hash. Nach dem Wechseln wird der Seed aufgedeckt; diese Seite rechnet jede Ziehung mit Web Crypto nach.',
  'games.commitment': 'Festlegung:', 'games.next_nonce': 'Nächste Nonce:', 'games.rotate': 'Seed wechseln und aufdecken',
  'games.revealed': 'Aufgedeckter Seed:', 'games.hash_ok': '✓ Der Seed passt zur Festlegung.', 'games.my_plays': 'Meine Spiele in diesem Tab',
  'games.no_plays': 'Noch keine Spiele.', 'games.verify': 'Prüfen', 'games.rotate_first': 'zum Prüfen Seed wechseln',
  'games.verified': '✓ Bestätigt: {label}', 'games.mismatch': '✗ Nachgerechnet: {label}, der Server sagte {server}',
  'games.bad_commitment': '✗ Der Seed passt nicht zur Festlegung',
  'games.feed': 'Füttern', 'games.play_with': 'Spielen', 'games.level': 'Stufe {n}', 'games.xp': 'Erfahrung', 'games.energy': 'Energie',
  'games.refill': 'Neue Energie um {time}', 'games.level_coupon': 'Neue Stufe! Du hast einen Gutschein bekommen: {what}.',
};

/** Messages for every problem code of API.md §1, plus `network` (no answer) and `unknown`. */
const errors = {
  en: {
    invalid_request: 'Please check your input.', unauthenticated: 'Please log in again.',
    invalid_credentials: 'Email or password is wrong.', insufficient_funds: 'Your wallet balance is too low. Top up and try again.',
    forbidden: 'You are not allowed to do this.', not_found: 'This does not exist (any more).',
    method_not_allowed: 'This action is not possible here.', email_taken: 'An account with this email already exists. Log in instead?',
    sku_taken: 'This SKU is already used.', out_of_stock: 'Not enough in stock.', invalid_state: 'This is not possible right now.',
    idempotency_in_progress: 'Your previous request is still being processed. Please wait a moment.',
    daily_limit_reached: 'No plays left today. Come back tomorrow!', already_claimed: 'This has already been claimed.',
    sold_out: 'Sold out — too late this time.', limit_reached: 'You have reached the limit for this campaign.',
    already_refunded: 'These units were already refunded.', not_enough_energy: 'Not enough energy. Let your kitten rest.',
    key_taken: 'This key is already used.', request_timeout: 'The request took too long. Please try again.',
    payload_too_large: 'That is too much data.', uri_too_long: 'The address is too long.',
    unsupported_media_type: 'The request had the wrong format.', coupon_invalid: 'This coupon cannot be used.',
    idempotency_key_reused: 'This request conflicts with an earlier one. Please reload and try again.',
    refund_window_closed: 'The 14-day refund window has closed.', headers_too_large: 'The request headers are too large.',
    rate_limited: 'Too many attempts. Please wait a moment.', rate_limited_after: 'Too many attempts. Try again in {n} s.',
    internal: 'Something went wrong on our side. Please try again.', not_implemented: 'This is not available yet.',
    chat_muted: 'The host has muted you in this show.',
    network: 'No connection to the server. Check your network and try again.', unknown: 'Something went wrong.',
  },
  de: {
    invalid_request: 'Bitte prüfe deine Eingaben.', unauthenticated: 'Bitte melde dich erneut an.',
    invalid_credentials: 'E-Mail oder Passwort ist falsch.', insufficient_funds: 'Dein Guthaben reicht nicht. Lade es auf und versuche es erneut.',
    forbidden: 'Das darfst du nicht.', not_found: 'Das gibt es nicht (mehr).',
    method_not_allowed: 'Diese Aktion ist hier nicht möglich.', email_taken: 'Zu dieser E-Mail gibt es schon ein Konto. Lieber anmelden?',
    sku_taken: 'Diese Artikelnummer ist schon vergeben.', out_of_stock: 'Nicht genug auf Lager.', invalid_state: 'Das geht gerade nicht.',
    idempotency_in_progress: 'Deine vorige Anfrage läuft noch. Bitte einen Moment warten.',
    daily_limit_reached: 'Für heute keine Spiele mehr. Bis morgen!', already_claimed: 'Das wurde schon eingelöst.',
    sold_out: 'Ausverkauft – diesmal zu spät.', limit_reached: 'Du hast das Limit dieser Aktion erreicht.',
    already_refunded: 'Diese Stücke wurden schon erstattet.', not_enough_energy: 'Zu wenig Energie. Lass dein Kätzchen ausruhen.',
    key_taken: 'Dieser Schlüssel ist schon vergeben.', request_timeout: 'Die Anfrage hat zu lange gedauert. Bitte erneut versuchen.',
    payload_too_large: 'Das sind zu viele Daten.', uri_too_long: 'Die Adresse ist zu lang.',
    unsupported_media_type: 'Die Anfrage hatte das falsche Format.', coupon_invalid: 'Dieser Gutschein kann nicht verwendet werden.',
    idempotency_key_reused: 'Diese Anfrage widerspricht einer früheren. Bitte neu laden und erneut versuchen.',
    refund_window_closed: 'Die 14-tägige Erstattungsfrist ist abgelaufen.', headers_too_large: 'Die Kopfzeilen der Anfrage sind zu groß.',
    rate_limited: 'Zu viele Versuche. Bitte kurz warten.', rate_limited_after: 'Zu viele Versuche. Bitte in {n} s erneut versuchen.',
    internal: 'Bei uns ist etwas schiefgegangen. Bitte erneut versuchen.', not_implemented: 'Das gibt es noch nicht.',
    chat_muted: 'Der Host hat dich in dieser Show stummgeschaltet.',
    network: 'Keine Verbindung zum Server. Prüfe dein Netz und versuche es erneut.', unknown: 'Etwas ist schiefgegangen.',
  },
};

/** Why a coupon was refused (`reason` of `coupon_invalid`). */
const reasons = {
  en: {
    expired: 'This coupon has expired.', not_yet_valid: 'This coupon is not valid yet.',
    already_redeemed: 'This coupon was already used.', min_spend_not_met: 'Your order does not reach this coupon\'s minimum spend.',
    not_owner: 'This coupon does not belong to you.', paused: 'This campaign is paused.', ended: 'This campaign has ended.',
  },
  de: {
    expired: 'Dieser Gutschein ist abgelaufen.', not_yet_valid: 'Dieser Gutschein gilt noch nicht.',
    already_redeemed: 'Dieser Gutschein wurde schon verwendet.', min_spend_not_met: 'Deine Bestellung erreicht den Mindestwert des Gutscheins nicht.',
    not_owner: 'Dieser Gutschein gehört nicht dir.', paused: 'Diese Aktion ist pausiert.', ended: 'Diese Aktion ist beendet.',
  },
};

const dictionaries = { en, de };
export const languages = ['de', 'en'];
/** The language of the catalog's texts (product titles and descriptions): the demo catalog is German. */
export const catalogLang = 'de';
export const dictionaryFor = (code) => ({ ...dictionaries[code], ...Object.fromEntries(Object.entries(errors[code]).map(([k, v]) => [`error.${k}`, v])) });

let current = pick();

function pick() {
  const saved = localStorage.getItem('basar.lang');
  if (languages.includes(saved)) return saved;
  const preferred = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']);
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (languages.includes(base)) return base;
  }
  return 'en';
}

export function lang() { return current; }

export function setLang(code) {
  if (!languages.includes(code)) return;
  current = code;
  localStorage.setItem('basar.lang', code);
  document.documentElement.lang = code;
}

/** Looks up `key` and fills `{name}` placeholders; falls back to English, then to the key itself. */
export function t(key, vars = {}) {
  // The singular has its own entry (`…_one`) where the two languages need one.
  const one = vars.n === 1 ? dictionaries[current][`${key}_one`] : undefined;
  const text = one ?? dictionaries[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] !== undefined ? String(vars[name]) : `{${name}}`));
}

/** A person's message for an API error (ApiError or `{code, reason, retryAfter}`). */
export function errorMessage(error) {
  const table = errors[current];
  const code = error?.code || 'unknown';
  if (code === 'coupon_invalid' && error.reason) return reasons[current][error.reason] || table.coupon_invalid;
  if (code === 'rate_limited' && error.retryAfter) return table.rate_limited_after.replace('{n}', String(error.retryAfter));
  if (table[code]) return table[code];
  if (error?.status >= 500) return table.internal;
  return error?.detail || table.unknown;
}
