#!/usr/bin/env python3
"""Generates Fixtures/demo/catalog.json, the demo catalog `basar serve --demo` loads.

Run once from the repository root: `python3 Fixtures/catalog/generate_demo_catalog.py`. Seeded, so the output
is the same every time; edit the lists below and run it again to change the catalog.
"""
import json
import random
import re
import unicodedata

random.seed(20261123)

# category slug -> (base items (title, description, price range in cents), variants)
CATALOG = {
    "kaffee-tee": [
        ("Tee-Set", "Porzellan-Teeservice mit Kanne und vier Tassen", (2490, 8990)),
        ("Teekanne", "Glas-Teekanne mit Edelstahlsieb, 1,2 Liter", (1590, 4490)),
        ("Grüner Tee Sencha", "Japanischer Sencha, loser Tee, 100 g", (690, 1890)),
        ("Earl Grey Tea", "Black tea with bergamot, loose leaf, 250 g", (590, 1490)),
        ("Kaffeebohnen Espresso", "Ganze Bohnen, dunkle Röstung, 1 kg", (1290, 2990)),
        ("Filterkaffee gemahlen", "Mild geröstet, 500 g", (490, 1190)),
        ("Chai Latte Mix", "Spiced chai powder, 400 g", (450, 990)),
        ("Kräutertee Pfefferminze", "Bio-Pfefferminzblätter, 80 g", (290, 790)),
        ("French Press", "Stainless steel coffee press, 1 l", (1990, 4990)),
        ("Milchaufschäumer", "Elektrischer Milchschäumer für Cappuccino", (2490, 6990)),
    ],
    "kaese-feinkost": [
        ("Bergkäse", "Würziger Alpkäse, 12 Monate gereift, 300 g", (590, 1490)),
        ("Käse-Fondue-Set", "Fonduetopf mit Rechaud und sechs Gabeln", (2990, 7990)),
        ("Emmentaler Käse", "Mild-nussig, am Stück, 400 g", (490, 990)),
        ("Ziegenkäse", "Frischer Ziegenkäse mit Kräutern, 150 g", (390, 890)),
        ("Aged Gouda", "Dutch gouda aged 24 months, 250 g", (690, 1590)),
        ("Olivenöl extra vergine", "Kaltgepresst aus Kreta, 500 ml", (890, 2290)),
        ("Trüffelsalz", "Meersalz mit schwarzem Trüffel, 100 g", (790, 1690)),
        ("Honig aus der Lüneburger Heide", "Heidehonig, cremig, 500 g", (690, 1490)),
        ("Balsamico di Modena", "Aged balsamic vinegar, 250 ml", (990, 2490)),
        ("Schokolade Zartbitter", "70 % Kakao, fair gehandelt, 100 g", (190, 490)),
    ],
    "kueche": [
        ("Gusseisenpfanne", "Vorgeheizt für Steaks, 28 cm", (2990, 6990)),
        ("Chef's Knife", "Damascus steel chef's knife, 20 cm", (4990, 14990)),
        ("Schneidebrett Eiche", "Massivholz, geölt, 40 x 25 cm", (1990, 4990)),
        ("Küchenwaage digital", "Bis 5 kg, auf das Gramm genau", (990, 2990)),
        ("Nudelmaschine", "Für Spaghetti, Tagliatelle und Lasagne", (3490, 8990)),
        ("Salad Bowl", "Bamboo salad bowl with servers", (1490, 3490)),
        ("Schüssel-Set", "Fünf Rührschüsseln aus Edelstahl", (1990, 3990)),
        ("Espressokocher", "Aluminium, für 6 Tassen", (1490, 3990)),
        ("Baking Tray", "Non-stick baking tray, 40 x 30 cm", (890, 2490)),
        ("Gewürzmühle", "Keramikmahlwerk, für Pfeffer und Salz", (990, 2990)),
    ],
    "elektronik": [
        ("Bluetooth-Kopfhörer", "Over-Ear mit Geräuschunterdrückung", (4990, 24990)),
        ("USB-C Charger", "65 W fast charger with two ports", (1990, 4990)),
        ("Powerbank", "20.000 mAh mit USB-C, für Reisen", (2490, 5990)),
        ("Smart Speaker", "Wi-Fi speaker with voice control", (3990, 12990)),
        ("Mechanische Tastatur", "Deutsches Layout, braune Schalter", (6990, 15990)),
        ("Wireless Mouse", "Ergonomic mouse, silent clicks", (1490, 4990)),
        ("Webcam Full HD", "1080p mit Mikrofon für Videokonferenzen", (2990, 8990)),
        ("E-Book-Reader", "6 Zoll, blendfrei, wasserdicht", (8990, 17990)),
        ("Fitness Tracker", "Heart rate, sleep and step tracking", (2990, 9990)),
        ("Tischlampe LED", "Dimmbar, mit USB-Ladeanschluss", (1990, 5990)),
    ],
    "mode": [
        ("Wollschal", "Merinowolle, weich und warm", (1990, 5990)),
        ("Rain Jacket", "Waterproof, breathable, packable", (4990, 14990)),
        ("Lederhandschuhe", "Lammleder, gefüttert", (2990, 6990)),
        ("Strickmütze", "Grobstrick mit Bommel", (990, 2990)),
        ("Canvas Sneakers", "Classic low-top sneakers", (3990, 8990)),
        ("Jeans Straight Fit", "Bio-Baumwolle, dunkelblau", (4990, 9990)),
        ("Leinenhemd", "Luftig für den Sommer", (2990, 6990)),
        ("Leather Belt", "Full-grain leather belt, brass buckle", (1990, 4990)),
        ("Socken 5er-Pack", "Baumwollsocken, bunt gemischt", (990, 1990)),
        ("Sonnenbrille", "Polarisiert, UV400", (1990, 7990)),
    ],
    "sport-freizeit": [
        ("Yogamatte", "Rutschfest, 6 mm, mit Tragegurt", (1990, 4990)),
        ("Trinkflasche Edelstahl", "Isoliert, hält 24 h kalt, 750 ml", (1490, 3490)),
        ("Running Shoes", "Lightweight trail running shoes", (5990, 13990)),
        ("Wanderrucksack", "30 Liter, mit Regenhülle", (3990, 11990)),
        ("Springseil", "Kugelgelagert, verstellbar", (690, 1990)),
        ("Camping Stove", "Compact gas stove for hiking", (2490, 6990)),
        ("Fahrradschloss", "Bügelschloss mit zwei Schlüsseln", (1990, 5990)),
        ("Badminton-Set", "Zwei Schläger, drei Federbälle", (1490, 3990)),
        ("Hängematte", "Fallschirmseide, bis 200 kg", (1990, 4990)),
        ("Resistance Bands", "Set of five training bands", (990, 2990)),
    ],
    "buecher": [
        ("Kochbuch Süddeutsche Küche", "Über 100 Rezepte von Spätzle bis Strudel", (1990, 3490)),
        ("Reiseführer Ostsee", "Mit Karten und Insidertipps", (1290, 2490)),
        ("Novel: The Quiet Harbour", "A family saga on the North Sea coast", (990, 2490)),
        ("Krimi aus München", "Kommissarin Huber ermittelt", (990, 1990)),
        ("Gartenbuch für Einsteiger", "Gemüse, Kräuter und Blumen", (1490, 2990)),
        ("Children's Picture Book", "Bedtime stories about a small fox", (790, 1690)),
        ("Sachbuch Geschichte der Städte", "Von Rom bis Rotterdam", (1990, 3990)),
        ("Programming in Swift", "From basics to concurrency", (2990, 4990)),
        ("Rätselbuch", "200 Sudokus und Kreuzworträtsel", (590, 1290)),
        ("Fotobuch Alpen", "Bildband mit Panoramen", (2490, 4990)),
    ],
    "spielzeug": [
        ("Holzeisenbahn", "Starterset mit Brücke, 40 Teile", (2990, 7990)),
        ("Puzzle 1000 Teile", "Motiv: Hamburger Hafen", (990, 2490)),
        ("Building Blocks", "Creative brick set, 500 pieces", (1990, 5990)),
        ("Plüschbär", "Kuschelweich, 35 cm", (1290, 2990)),
        ("Brettspiel Familienabend", "Für 2 bis 6 Spieler ab 8 Jahren", (1990, 4490)),
        ("Kite", "Single-line kite for beginners", (1490, 3490)),
        ("Kaufladen-Zubehör", "Obst, Gemüse und Käse aus Holz", (1490, 3990)),
        ("Malkasten", "24 Farben mit Pinseln", (790, 1990)),
        ("Remote Control Car", "Off-road RC car, rechargeable", (2990, 7990)),
        ("Murmelbahn", "Bausatz aus Buchenholz", (2490, 6990)),
    ],
    "garten": [
        ("Gießkanne", "Verzinkt, 10 Liter", (1990, 4490)),
        ("Kräutersamen-Set", "Basilikum, Petersilie, Schnittlauch", (490, 1490)),
        ("Garden Gloves", "Durable gloves with grip", (690, 1990)),
        ("Hochbeet", "Lärchenholz, 120 x 60 cm", (8990, 19990)),
        ("Vogelhäuschen", "Zum Aufhängen, aus Kiefer", (1490, 3990)),
        ("Solar Lights", "Set of six solar garden lights", (1990, 4990)),
        ("Rosenschere", "Bypass-Schere mit Feder", (1490, 3990)),
        ("Blumenerde", "Torffrei, 40 Liter", (690, 1490)),
        ("Kompostbehälter", "300 Liter, wetterfest", (3990, 8990)),
        ("Hose Reel", "Garden hose reel with 20 m hose", (3490, 7990)),
    ],
    "beauty": [
        ("Handcreme", "Mit Sheabutter, 75 ml", (390, 990)),
        ("Natural Soap", "Handmade olive oil soap, 3 bars", (690, 1490)),
        ("Lippenbalsam", "Bienenwachs und Honig", (290, 690)),
        ("Shampoo für trockenes Haar", "Ohne Silikone, 250 ml", (490, 1290)),
        ("Bartöl", "Zeder und Bergamotte, 30 ml", (990, 2490)),
        ("Face Serum", "Hyaluronic acid serum, 30 ml", (1490, 3990)),
        ("Badesalz Lavendel", "Aus dem Toten Meer, 500 g", (590, 1490)),
        ("Haarbürste Holz", "Naturborsten, antistatisch", (990, 2490)),
        ("Sunscreen SPF 50", "Water-resistant, 200 ml", (890, 1990)),
        ("Duftkerze Zimt", "Sojawachs, 40 Stunden Brenndauer", (990, 2490)),
    ],
}

VARIANTS = [
    ("", ""),
    (" – Klassik", " Die klassische Ausführung."),
    (" – Premium", " Premium edition in a gift box."),
]
EXTRA_WORDS = ["Geschenkidee", "Bestseller", "Neu im Sortiment", "Limited edition", "Aus Europa", "Handmade"]


def sku_part(text):
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").upper()[:24]


def price(low, high):
    cents = random.randint(low // 10, high // 10) * 10
    return cents - 1 if cents % 100 == 0 else cents  # prices such as 12.99 or 24.90


products = []
for category, items in CATALOG.items():
    for index, (title, description, (low, high)) in enumerate(items):
        for variant_index, (suffix, extra) in enumerate(VARIANTS):
            factor = 1 + variant_index * 0.35
            products.append({
                "sku": f"{category[:4].upper()}-{sku_part(title)}-{variant_index + 1}",
                "title": title + suffix,
                "description": description + "." + extra + (" " + random.choice(EXTRA_WORDS) + "." if random.random() < 0.3 else ""),
                "price_cents": price(int(low * factor), int(high * factor)),
                "stock": random.choice([0, 3, 8, 12, 25, 40, 60, 100, 250]) if random.random() > 0.05 else 0,
                "category": category,
                "image_url": f"https://images.basar.example/{category}/{sku_part(title).lower()}-{variant_index + 1}.jpg",
            })

assert len(products) >= 200 and len({p["sku"] for p in products}) == len(products)
document = {
    "_comment": "Generated by Fixtures/catalog/generate_demo_catalog.py; loaded by `basar serve --demo`.",
    "wallet_top_up_cents": 50000,
    "products": products,
}
with open("Fixtures/demo/catalog.json", "w", encoding="utf-8") as out:
    json.dump(document, out, ensure_ascii=False, indent=1)
    out.write("\n")
print(f"{len(products)} products in {len(CATALOG)} categories")
