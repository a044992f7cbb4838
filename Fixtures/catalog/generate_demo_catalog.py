#!/usr/bin/env python3
"""Generates Fixtures/demo/catalog.json, the demo catalog `basar serve --demo` loads, and the products' pictures
(Content/web/demo-<slug>.svg, drawn by demo_pictures.py, served by `GET /web/{file}`).

Run once from the repository root: `python3 Fixtures/catalog/generate_demo_catalog.py`. Seeded, so the output
is the same every time; edit the lists below and run it again to change the catalog. Every text is German, one
language per field, like the category names.
"""
import glob
import json
import os
import random
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from demo_pictures import picture  # noqa: E402

random.seed(20261123)

# category slug -> (tile colour, base items: title, description, price range in cents, picture: motif and colours)
CATALOG = {
    "kaffee-tee": ("#fdebd3", [
        ("Tee-Set", "Porzellan-Teeservice mit Kanne und vier Tassen", (2490, 8990), ("tea_set", "#ffffff", "#3a86ff")),
        ("Teekanne", "Glas-Teekanne mit Edelstahlsieb, 1,2 Liter", (1590, 4490), ("teapot", "#dbe7ff", "#c9c1b8")),
        ("Grüner Tee Sencha", "Japanischer Sencha, loser Tee, 100 g", (690, 1890), ("tin", "#6bbf59", "#2f7a3a")),
        ("Earl-Grey-Schwarztee", "Schwarztee mit Bergamotte, lose, 250 g", (590, 1490), ("tin", "#3d405b", "#e9b949")),
        ("Kaffeebohnen Espresso", "Ganze Bohnen, dunkle Röstung, 1 kg", (1290, 2990), ("bag", "#6b3e26", "#e8c39e")),
        ("Filterkaffee gemahlen", "Mild geröstet, 500 g", (490, 1190), ("bag", "#c0392b", "#fdebd3")),
        ("Chai-Latte-Pulver", "Gewürzte Chai-Mischung, 400 g", (450, 990), ("tin", "#e07a5f", "#f2cc8f")),
        ("Kräutertee Pfefferminze", "Bio-Pfefferminzblätter, 80 g", (290, 790), ("tin", "#95d5b2", "#2f7a3a")),
        ("Stempelkanne", "Kaffeebereiter aus Edelstahl, 1 Liter", (1990, 4990), ("french_press", "#dbe7ff", "#8d99ae")),
        ("Milchaufschäumer", "Elektrischer Milchschäumer für Cappuccino", (2490, 6990), ("frother", "#8d99ae", "#c9c1b8")),
    ]),
    "kaese-feinkost": ("#fff3c4", [
        ("Bergkäse", "Würziger Alpkäse, 12 Monate gereift, 300 g", (590, 1490), ("cheese_round", "#e9b949", "#ffe08a")),
        ("Käse-Fondue-Set", "Fonduetopf mit Rechaud und sechs Gabeln", (2990, 7990), ("fondue", "#c0392b", "#3a86ff")),
        ("Emmentaler Käse", "Mild-nussig, am Stück, 400 g", (490, 990), ("cheese", "#ffd166", "#fff1b8")),
        ("Ziegenkäse", "Frischer Ziegenkäse mit Kräutern, 150 g", (390, 890), ("cheese_round", "#fffaf5", "#f6f1ea")),
        ("Alter Gouda", "Holländischer Gouda, 24 Monate gereift, 250 g", (690, 1590), ("cheese", "#f4a259", "#ffd166")),
        ("Olivenöl nativ extra", "Kaltgepresst aus Kreta, 500 ml", (890, 2290), ("bottle", "#a7c957", "#386641")),
        ("Trüffelsalz", "Meersalz mit schwarzem Trüffel, 100 g", (790, 1690), ("jar", "#f6f1ea", "#3d405b")),
        ("Honig aus der Lüneburger Heide", "Heidehonig, cremig, 500 g", (690, 1490), ("jar", "#f4a259", "#e9b949")),
        ("Balsamico-Essig aus Modena", "Gereifter Balsamessig, 250 ml", (990, 2490), ("bottle", "#4a1c1c", "#c9a227")),
        ("Schokolade Zartbitter", "70 % Kakao, fair gehandelt, 100 g", (190, 490), ("chocolate", "#6b3e26", "#3a86ff")),
    ]),
    "kueche": ("#e3f2fd", [
        ("Gusseisenpfanne", "Vorgeheizt für Steaks, 28 cm", (2990, 6990), ("pan", "#3a3a3a", "#5c5c5c")),
        ("Kochmesser", "Damaszener Stahl, Klinge 20 cm", (4990, 14990), ("knife", "#c9c1b8", "#6b3e26")),
        ("Schneidebrett Eiche", "Massivholz, geölt, 40 x 25 cm", (1990, 4990), ("board", "#d4a373", "#6bbf59")),
        ("Küchenwaage digital", "Bis 5 kg, auf das Gramm genau", (990, 2990), ("scale", "#ffffff", "#c9c1b8")),
        ("Nudelmaschine", "Für Spaghetti, Tagliatelle und Lasagne", (3490, 8990), ("pasta_machine", "#c9c1b8", "#8d99ae")),
        ("Salatschüssel", "Aus Bambus, mit Salatbesteck", (1490, 3490), ("bowl", "#d4a373", "#b5835a")),
        ("Schüssel-Set", "Fünf Rührschüsseln aus Edelstahl", (1990, 3990), ("bowl", "#c9c1b8", "#e5e5e5")),
        ("Espressokocher", "Aluminium, für 6 Tassen", (1490, 3990), ("moka", "#c9c1b8", "#3a3a3a")),
        ("Backblech", "Antihaftbeschichtet, 40 x 30 cm", (890, 2490), ("tray", "#5c5c5c", "#3a3a3a")),
        ("Gewürzmühle", "Keramikmahlwerk, für Pfeffer und Salz", (990, 2990), ("mill", "#b5835a", "#3a3a3a")),
    ]),
    "elektronik": ("#e8eaf6", [
        ("Bluetooth-Kopfhörer", "Ohrumschließend, mit Geräuschunterdrückung", (4990, 24990), ("headphones", "#3d405b", "#e8505b")),
        ("USB-C-Ladegerät", "Schnellladegerät mit 65 W und zwei Anschlüssen", (1990, 4990), ("charger", "#ffffff", "#3a3a3a")),
        ("Powerbank", "20.000 mAh mit USB-C, für Reisen", (2490, 5990), ("powerbank", "#3a86ff", "#ffc145")),
        ("WLAN-Lautsprecher", "Mit Sprachsteuerung", (3990, 12990), ("speaker", "#3d405b", "#8d99ae")),
        ("Mechanische Tastatur", "Deutsches Layout, braune Schalter", (6990, 15990), ("keyboard", "#3a3a3a", "#f6f1ea")),
        ("Kabellose Maus", "Ergonomisch, mit leisen Tasten", (1490, 4990), ("mouse", "#8d99ae", "#3a86ff")),
        ("Webcam Full HD", "1080p mit Mikrofon für Videokonferenzen", (2990, 8990), ("webcam", "#3a3a3a", "#3a86ff")),
        ("E-Book-Reader", "6 Zoll, blendfrei, wasserdicht", (8990, 17990), ("ereader", "#3d405b", "#8d99ae")),
        ("Fitness-Armband", "Misst Puls, Schlaf und Schritte", (2990, 9990), ("tracker", "#e8505b", "#3a3a3a")),
        ("LED-Tischlampe", "Dimmbar, mit USB-Ladeanschluss", (1990, 5990), ("lamp", "#3a86ff", "#ffc145")),
    ]),
    "mode": ("#fce4ec", [
        ("Wollschal", "Merinowolle, weich und warm", (1990, 5990), ("scarf", "#e8505b", "#ffffff")),
        ("Regenjacke", "Wasserdicht, atmungsaktiv, klein verpackbar", (4990, 14990), ("jacket", "#ffc145", "#3d405b")),
        ("Lederhandschuhe", "Lammleder, gefüttert", (2990, 6990), ("gloves", "#6b3e26", "#b5835a")),
        ("Strickmütze", "Grobstrick mit Bommel", (990, 2990), ("beanie", "#3a86ff", "#ffffff")),
        ("Segeltuchschuhe", "Klassische flache Turnschuhe", (3990, 8990), ("shoe", "#e8505b", "#ffffff")),
        ("Jeans mit geradem Bein", "Bio-Baumwolle, dunkelblau", (4990, 9990), ("jeans", "#34568b", "#2a4470")),
        ("Leinenhemd", "Luftig für den Sommer", (2990, 6990), ("shirt", "#f6f1ea", "#dbe7ff")),
        ("Ledergürtel", "Vollnarbenleder, Messingschnalle", (1990, 4990), ("belt", "#6b3e26", "#c9a227")),
        ("Socken im Fünferpack", "Baumwollsocken, bunt gemischt", (990, 1990), ("socks", "#6bbf59", "#3a86ff")),
        ("Sonnenbrille", "Polarisiert, UV400", (1990, 7990), ("sunglasses", "#3a3a3a", "#8d99ae")),
    ]),
    "sport-freizeit": ("#e0f7e9", [
        ("Yogamatte", "Rutschfest, 6 mm, mit Tragegurt", (1990, 4990), ("yoga_mat", "#9b5de5", "#c8b6ff")),
        ("Trinkflasche Edelstahl", "Isoliert, hält 24 Stunden kalt, 750 ml", (1490, 3490), ("flask", "#3a86ff", "#3a3a3a")),
        ("Laufschuhe", "Leichte Laufschuhe für Waldwege", (5990, 13990), ("shoe", "#3a86ff", "#ffc145")),
        ("Wanderrucksack", "30 Liter, mit Regenhülle", (3990, 11990), ("backpack", "#2f7a3a", "#6bbf59")),
        ("Springseil", "Kugelgelagert, verstellbar", (690, 1990), ("jump_rope", "#e8505b", "#3a3a3a")),
        ("Campingkocher", "Kompakter Gaskocher zum Wandern", (2490, 6990), ("stove", "#8d99ae", "#5c5c5c")),
        ("Fahrradschloss", "Bügelschloss mit zwei Schlüsseln", (1990, 5990), ("lock", "#3a3a3a", "#ffc145")),
        ("Badminton-Set", "Zwei Schläger, drei Federbälle", (1490, 3990), ("racket", "#e8505b", "#3a86ff")),
        ("Hängematte", "Fallschirmseide, bis 200 kg", (1990, 4990), ("hammock", "#ff9f1c", "#2ec4b6")),
        ("Fitnessbänder", "Fünf Trainingsbänder im Set", (990, 2990), ("bands", "#e8505b", "#3a86ff")),
    ]),
    "buecher": ("#f3e5f5", [
        ("Kochbuch Süddeutsche Küche", "Über 100 Rezepte von Spätzle bis Strudel", (1990, 3490), ("book", "#e07a5f", "#b5523b", "pot")),
        ("Reiseführer Ostsee", "Mit Karten und Insidertipps", (1290, 2490), ("book", "#3a86ff", "#2a5fb8", "wave")),
        ("Roman: Der stille Hafen", "Eine Familiensaga an der Nordseeküste", (990, 2490), ("book", "#3d405b", "#2a2c40", "anchor")),
        ("Krimi aus München", "Kommissarin Huber ermittelt", (990, 1990), ("book", "#4a1c1c", "#2e1010", "magnifier")),
        ("Gartenbuch für Einsteiger", "Gemüse, Kräuter und Blumen", (1490, 2990), ("book", "#6bbf59", "#2f7a3a", "leaf")),
        ("Bilderbuch vom kleinen Fuchs", "Gute-Nacht-Geschichten für Kinder", (790, 1690), ("book", "#f4a259", "#c97c2e", "moon")),
        ("Sachbuch Geschichte der Städte", "Von Rom bis Rotterdam", (1990, 3990), ("book", "#8d99ae", "#5c677d", "city")),
        ("Programmieren mit Swift", "Von den Grundlagen bis zur Nebenläufigkeit", (2990, 4990), ("book", "#f05138", "#b83a26", "bird")),
        ("Rätselbuch", "200 Sudokus und Kreuzworträtsel", (590, 1290), ("book", "#ffc145", "#c9952c", "grid")),
        ("Fotobuch Alpen", "Bildband mit Panoramen", (2490, 4990), ("book", "#2a9d8f", "#1d6f65", "mountain")),
    ]),
    "spielzeug": ("#fff0e0", [
        ("Holzeisenbahn", "Starterset mit Brücke, 40 Teile", (2990, 7990), ("train", "#e8505b", "#3a86ff")),
        ("Puzzle 1000 Teile", "Motiv: Hamburger Hafen", (990, 2490), ("puzzle", "#3a86ff", "#ffc145")),
        ("Bausteine", "Kreativ-Set, 500 Teile", (1990, 5990), ("blocks", "#e8505b", "#3a86ff")),
        ("Plüschbär", "Kuschelweich, 35 cm", (1290, 2990), ("bear", "#b5835a", "#e8c39e")),
        ("Brettspiel Familienabend", "Für 2 bis 6 Spieler ab 8 Jahren", (1990, 4490), ("board_game", "#6bbf59", "#ffc145")),
        ("Drachen", "Einleiner-Drachen für Anfänger", (1490, 3490), ("kite", "#e8505b", "#ffc145")),
        ("Kaufladen-Zubehör", "Obst, Gemüse und Käse aus Holz", (1490, 3990), ("fruit", "#e8505b", "#a7c957")),
        ("Malkasten", "24 Farben mit Pinseln", (790, 1990), ("paintbox", "#3d405b", "#ffc145")),
        ("Ferngesteuertes Auto", "Geländewagen mit Akku", (2990, 7990), ("car", "#e8505b", "#c9c1b8")),
        ("Murmelbahn", "Bausatz aus Buchenholz", (2490, 6990), ("marble_run", "#d4a373", "#e9c46a")),
    ]),
    "garten": ("#e6f4d7", [
        ("Gießkanne", "Verzinkt, 10 Liter", (1990, 4490), ("watering_can", "#8d99ae", "#5c677d")),
        ("Kräutersamen-Set", "Basilikum, Petersilie, Schnittlauch", (490, 1490), ("seed_packet", "#ffc145", "#2f7a3a")),
        ("Gartenhandschuhe", "Robust, mit Griffnoppen", (690, 1990), ("gloves", "#6bbf59", "#2f7a3a")),
        ("Hochbeet", "Lärchenholz, 120 x 60 cm", (8990, 19990), ("raised_bed", "#d4a373", "#2f7a3a")),
        ("Vogelhäuschen", "Zum Aufhängen, aus Kiefer", (1490, 3990), ("birdhouse", "#e9c46a", "#e8505b")),
        ("Solarleuchten", "Sechs Gartenleuchten mit Solarzelle", (1990, 4990), ("solar_light", "#3d405b", "#3a86ff")),
        ("Rosenschere", "Bypass-Schere mit Feder", (1490, 3990), ("shears", "#e8505b", "#c0392b")),
        ("Blumenerde", "Torffrei, 40 Liter", (690, 1490), ("soil_bag", "#6b3e26", "#a7c957")),
        ("Kompostbehälter", "300 Liter, wetterfest", (3990, 8990), ("compost_bin", "#2f7a3a", "#3a3a3a")),
        ("Schlauchtrommel", "Mit 20 m Gartenschlauch", (3490, 7990), ("hose_reel", "#ffc145", "#2f7a3a")),
    ]),
    "beauty": ("#fdeef4", [
        ("Handcreme", "Mit Sheabutter, 75 ml", (390, 990), ("tube", "#f6f1ea", "#e8505b")),
        ("Naturseife", "Handgemachte Olivenölseife, 3 Stück", (690, 1490), ("soap", "#a7c957", "#f2cc8f")),
        ("Lippenbalsam", "Bienenwachs und Honig", (290, 690), ("lip_balm", "#f2cc8f", "#c9c1b8")),
        ("Shampoo für trockenes Haar", "Ohne Silikone, 250 ml", (490, 1290), ("bottle", "#9b5de5", "#c8b6ff")),
        ("Bartöl", "Zeder und Bergamotte, 30 ml", (990, 2490), ("dropper", "#6b3e26", "#e9b949")),
        ("Gesichtsserum", "Mit Hyaluronsäure, 30 ml", (1490, 3990), ("dropper", "#dbe7ff", "#3a86ff")),
        ("Badesalz Lavendel", "Aus dem Toten Meer, 500 g", (590, 1490), ("jar", "#c8b6ff", "#9b5de5")),
        ("Haarbürste Holz", "Naturborsten, antistatisch", (990, 2490), ("brush", "#d4a373", "#b5835a")),
        ("Sonnencreme LSF 50", "Wasserfest, 200 ml", (890, 1990), ("tube", "#ffc145", "#3a86ff")),
        ("Duftkerze Zimt", "Sojawachs, 40 Stunden Brenndauer", (990, 2490), ("candle", "#e07a5f", "#b5523b")),
    ]),
}

VARIANTS = [
    ("", ""),
    (" – Klassik", " Die klassische Ausführung."),
    (" – Premium", " Premium-Ausführung im Geschenkkarton."),
]
EXTRA_WORDS = ["Geschenkidee", "Bestseller", "Neu im Sortiment", "Limitierte Auflage", "Aus Europa", "Handgemacht"]
PICTURES = "Content/web"


def ascii_fold(text):
    return unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore").decode()


def sku_part(text):
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_fold(text)).strip("-").upper()[:24]


def price(low, high):
    cents = random.randint(low // 10, high // 10) * 10
    return cents - 1 if cents % 100 == 0 else cents  # prices such as 12.99 or 24.90


def slug(text):
    """A file-name part: ASCII letters, digits and dashes, lower case (`Grüner Tee Sencha` → `gruner-tee-sencha`)."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


products = []
pictures = {}
for category, (tile, items) in CATALOG.items():
    for index, (title, description, (low, high), drawing) in enumerate(items):
        image = f"demo-{slug(title)}.svg"
        pictures[image] = picture(drawing[0], tile, *drawing[1:])
        for variant_index, (suffix, extra) in enumerate(VARIANTS):
            factor = 1 + variant_index * 0.35
            products.append({
                "sku": f"{category[:4].upper()}-{sku_part(title)}-{variant_index + 1}",
                "title": title + suffix,
                "description": description + "." + extra + (" " + random.choice(EXTRA_WORDS) + "." if random.random() < 0.3 else ""),
                "price_cents": price(int(low * factor), int(high * factor)),
                "stock": random.choice([0, 3, 8, 12, 25, 40, 60, 100, 250]) if random.random() > 0.05 else 0,
                "category": category,
                "image_url": f"/web/{image}",
            })

assert len(products) >= 200 and len({p["sku"] for p in products}) == len(products)
assert len(pictures) == sum(len(items) for _, items in CATALOG.values()), "two products share a picture name"
document = {
    "_comment": "Generated by Fixtures/catalog/generate_demo_catalog.py; loaded by `basar serve --demo`.",
    "wallet_top_up_cents": 50000,
    "products": products,
}
with open("Fixtures/demo/catalog.json", "w", encoding="utf-8") as out:
    json.dump(document, out, ensure_ascii=False, indent=1)
    out.write("\n")
for stale in glob.glob(os.path.join(PICTURES, "demo-*.svg")):
    if os.path.basename(stale) not in pictures:
        os.remove(stale)
for name, svg in pictures.items():
    with open(os.path.join(PICTURES, name), "w", encoding="utf-8") as out:
        out.write(svg)
print(f"{len(products)} products in {len(CATALOG)} categories, {len(pictures)} pictures in {PICTURES}")
