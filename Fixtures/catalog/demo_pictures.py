"""Drawn pictures for the demo catalog: one small flat SVG per product kind, written to Content/web/ as
`demo-<slug>.svg` so that `GET /web/{file}` serves them (no network, no failed image loads).

Each motif is a function of two colours that returns SVG shapes on a 160 x 160 canvas; `picture()` puts it on a
rounded tile in the category's background colour. Used by generate_demo_catalog.py.
"""

INK = "#1f1d2b"
OUTLINE = {"stroke": INK, "stroke-width": 3, "stroke-linejoin": "round", "stroke-linecap": "round"}


def shape(tag, fill="none", **attrs):
    """One SVG element outlined in ink unless `attrs` say otherwise; names use _ for - (stroke_width)."""
    merged = {"fill": fill, **OUTLINE, **{k.replace("_", "-"): v for k, v in attrs.items()}}
    return f"<{tag} " + " ".join(f'{k}="{v}"' for k, v in merged.items()) + "/>"


def rect(x, y, w, h, fill, r=6, **attrs):
    return shape("rect", fill, x=x, y=y, width=w, height=h, rx=r, **attrs)


def circle(cx, cy, r, fill, **attrs):
    return shape("circle", fill, cx=cx, cy=cy, r=r, **attrs)


def ellipse(cx, cy, rx, ry, fill, **attrs):
    return shape("ellipse", fill, cx=cx, cy=cy, rx=rx, ry=ry, **attrs)


def path(d, fill="none", **attrs):
    return shape("path", fill, d=d, **attrs)


def line(x1, y1, x2, y2, **attrs):
    return shape("line", "none", x1=x1, y1=y1, x2=x2, y2=y2, **attrs)


# MARK: - motifs (a, b: main and accent colour)

def teapot(a, b):
    return "".join([
        path("M44 72 C30 72 24 84 34 96 L46 104"),
        path("M116 80 L140 62 L136 76 L120 100"),
        path("M46 70 C46 120 114 120 114 70 Z", a),
        ellipse(80, 70, 34, 8, b),
        circle(80, 56, 6, b),
        path("M56 92 C70 98 90 98 104 92", stroke_width=2),
    ])


def tea_set(a, b):
    return teapot(a, b) + "".join([
        path("M22 120 L26 140 L46 140 L50 120 Z", b),
        path("M110 120 L114 140 L134 140 L138 120 Z", b),
        line(16, 142, 146, 142),
    ])


def tin(a, b):
    return "".join([
        rect(52, 40, 56, 92, a, r=8),
        rect(48, 32, 64, 14, b, r=5),
        path("M80 64 C64 76 68 98 80 108 C92 98 96 76 80 64 Z", b),
        line(80, 72, 80, 104, stroke_width=2),
    ])


def bag(a, b):
    return "".join([
        path("M46 40 L114 40 L122 136 L38 136 Z", a),
        path("M46 40 L56 28 L104 28 L114 40", b),
        rect(58, 70, 44, 36, b, r=4),
        ellipse(80, 88, 9, 12, "#6b3e26"),
        path("M80 78 C76 86 84 90 80 98", stroke_width=2),
    ])


def french_press(a, b):
    return "".join([
        rect(52, 46, 52, 86, a, r=6),
        rect(60, 60, 36, 64, "#6b3e26", r=3),
        path("M104 60 C124 60 124 104 104 104", stroke_width=5),
        rect(48, 38, 60, 10, b, r=3),
        line(78, 38, 78, 22, stroke_width=4),
        circle(78, 20, 5, b),
        line(44, 134, 112, 134),
    ])


def frother(a, b):
    return "".join([
        rect(70, 24, 20, 60, a, r=8),
        line(80, 84, 80, 118, stroke_width=3),
        circle(80, 124, 9, b),
        path("M56 104 L60 140 L100 140 L104 104 Z", "#fff7dd"),
    ])


def cheese(a, b, holes=True):
    parts = [path("M28 112 L132 112 L132 80 L28 112 Z", b), path("M28 112 L132 80 L132 130 L28 130 Z", a)]
    if holes:
        parts += [circle(64, 120, 5, b), circle(100, 104, 7, b), circle(118, 122, 4, b)]
    return "".join(parts)


def cheese_round(a, b):
    return "".join([
        ellipse(80, 100, 52, 20, a),
        path("M28 100 L28 84 C28 58 132 58 132 84 L132 100", a),
        ellipse(80, 84, 52, 20, b),
        path("M70 78 C74 70 84 72 86 80", stroke_width=2, stroke="#2f7a3a"),
    ])


def fondue(a, b):
    return "".join([
        path("M36 70 L124 70 L116 114 L44 114 Z", a),
        ellipse(80, 70, 44, 10, "#ffd166"),
        line(58, 116, 50, 140), line(102, 116, 110, 140), line(44, 140, 116, 140),
        line(66, 30, 78, 70, stroke_width=2), line(98, 26, 86, 70, stroke_width=2),
        circle(66, 30, 4, b), circle(98, 26, 4, b),
    ])


def bottle(a, b):
    return "".join([
        path("M68 22 L92 22 L92 46 C110 56 110 64 110 76 L110 134 L50 134 L50 76 C50 64 50 56 68 46 Z", a),
        rect(66, 14, 28, 12, b, r=3),
        rect(56, 86, 48, 30, "#fffaf5", r=4),
        line(64, 96, 96, 96, stroke_width=2), line(64, 106, 88, 106, stroke_width=2),
    ])


def jar(a, b):
    return "".join([
        rect(44, 52, 72, 82, a, r=14),
        rect(50, 34, 60, 20, b, r=5),
        rect(56, 80, 48, 28, "#fffaf5", r=4),
        circle(80, 94, 6, b),
    ])


def chocolate(a, b):
    cells = "".join(rect(46 + 24 * (i % 3), 44 + 24 * (i // 3), 20, 20, a, r=3) for i in range(9))
    return rect(40, 38, 80, 86, a, r=6) + cells + path("M40 110 L120 86 L120 130 L40 130 Z", b)


def pan(a, b):
    return "".join([
        ellipse(66, 96, 46, 26, a),
        ellipse(66, 92, 36, 18, b),
        path("M108 84 L148 64", stroke_width=9),
    ])


def knife(a, b):
    return "".join([
        path("M20 104 L104 70 L108 92 L24 110 Z", a),
        rect(104, 74, 42, 16, b, r=6, transform="rotate(-20 104 82)"),
        path("M36 104 L96 80", stroke_width=1.5, stroke_dasharray="4 4"),
    ])


def board(a, b):
    return "".join([
        rect(24, 50, 104, 72, a, r=12),
        circle(140, 86, 10, a), circle(140, 86, 4, "#fffaf5"),
        path("M36 68 C60 74 80 62 116 72", stroke_width=2),
        path("M36 100 C64 106 88 94 116 104", stroke_width=2),
        path("M56 58 L40 40 M62 36 L70 58", stroke=b),
    ])


def scale(a, b):
    return "".join([
        rect(30, 80, 100, 52, a, r=10),
        rect(56, 96, 48, 20, "#d8f3dc", r=3),
        ellipse(80, 72, 54, 10, b),
        line(64, 106, 96, 106, stroke_width=2),
    ])


def pasta_machine(a, b):
    return "".join([
        rect(40, 54, 70, 62, a, r=8),
        rect(50, 66, 50, 8, b, r=3),
        path("M110 80 L134 80 L134 56", stroke_width=4), circle(134, 52, 6, b),
        path("M54 116 L50 144 M64 116 L62 144 M74 116 L74 144 M84 116 L86 144 M94 116 L98 144", stroke="#e9b949"),
        line(30, 116, 120, 116),
    ])


def bowl(a, b):
    return "".join([
        path("M24 78 L136 78 C136 124 112 138 80 138 C48 138 24 124 24 78 Z", a),
        ellipse(80, 78, 56, 12, b),
        circle(64, 70, 8, "#6bbf59"), circle(84, 66, 9, "#e8505b"), circle(100, 72, 7, "#6bbf59"),
    ])


def moka(a, b):
    return "".join([
        path("M52 86 L108 86 L116 136 L44 136 Z", a),
        path("M56 86 L62 50 L98 50 L104 86 Z", a),
        path("M62 50 L58 40 L102 40 L98 50", b),
        path("M104 58 C124 58 124 84 108 84", stroke_width=5),
        path("M62 50 L48 56", stroke_width=4),
        line(48, 86, 112, 86),
    ])


def tray(a, b):
    return "".join([
        path("M18 92 L34 72 L126 72 L142 92 L126 112 L34 112 Z", a),
        rect(42, 80, 76, 24, b, r=4),
        circle(56, 92, 5, "#e9b949"), circle(80, 92, 5, "#e9b949"), circle(104, 92, 5, "#e9b949"),
    ])


def mill(a, b):
    return "".join([
        path("M62 54 C52 80 52 110 58 136 L102 136 C108 110 108 80 98 54 Z", a),
        rect(64, 34, 32, 20, b, r=6),
        circle(80, 24, 7, b),
        line(64, 96, 96, 96, stroke_width=2),
    ])


def headphones(a, b):
    return "".join([
        path("M36 96 C36 36 124 36 124 96", stroke_width=8),
        rect(26, 86, 26, 44, a, r=10),
        rect(108, 86, 26, 44, a, r=10),
        rect(34, 94, 10, 28, b, r=4), rect(116, 94, 10, 28, b, r=4),
    ])


def charger(a, b):
    return "".join([
        rect(44, 52, 60, 64, a, r=12),
        line(62, 52, 62, 34, stroke_width=6), line(86, 52, 86, 34, stroke_width=6),
        rect(64, 82, 8, 12, b, r=2), rect(78, 82, 8, 12, b, r=2),
        path("M104 88 C128 88 120 130 142 130", stroke_width=4),
    ])


def powerbank(a, b):
    return "".join([
        rect(50, 30, 60, 104, a, r=12),
        path("M86 58 L70 84 L82 84 L74 108 L92 78 L80 78 Z", b),
        circle(64, 122, 3, "#6bbf59"), circle(74, 122, 3, "#6bbf59"), circle(84, 122, 3, b),
    ])


def speaker(a, b):
    return "".join([
        rect(46, 30, 68, 104, a, r=26),
        circle(80, 92, 22, b), circle(80, 92, 8, a),
        circle(80, 50, 6, b),
    ])


def keyboard(a, b):
    keys = "".join(rect(30 + 14 * (i % 8), 64 + 14 * (i // 8), 10, 10, b, r=2, stroke_width=1.5) for i in range(24))
    return rect(22, 56, 116, 58, a, r=8) + keys


def mouse(a, b):
    return "".join([
        path("M80 40 C112 40 116 70 116 96 C116 124 100 138 80 138 C60 138 44 124 44 96 C44 70 48 40 80 40 Z", a),
        line(80, 42, 80, 76), rect(76, 54, 8, 14, b, r=3),
        path("M80 40 C80 26 96 22 110 24", stroke_width=2),
    ])


def webcam(a, b):
    return "".join([
        circle(80, 70, 34, a), circle(80, 70, 16, b), circle(80, 70, 6, INK),
        circle(106, 48, 3, "#e8505b"),
        path("M66 104 L58 130 L102 130 L94 104"), line(48, 130, 112, 130),
    ])


def ereader(a, b):
    return "".join([
        rect(42, 24, 76, 112, a, r=10),
        rect(52, 36, 56, 80, "#f6f1ea", r=3),
        line(60, 50, 100, 50, stroke_width=2), line(60, 62, 100, 62, stroke_width=2),
        line(60, 74, 94, 74, stroke_width=2), line(60, 86, 100, 86, stroke_width=2),
        circle(80, 126, 4, b),
    ])


def tracker(a, b):
    return "".join([
        rect(64, 16, 32, 128, a, r=12),
        rect(56, 56, 48, 48, b, r=12),
        path("M64 82 L72 82 L76 72 L82 92 L86 80 L96 80", stroke="#fff", stroke_width=2.5),
    ])


def lamp(a, b):
    return "".join([
        path("M56 132 L104 132", stroke_width=6),
        path("M80 132 L66 90 L96 52", stroke_width=5),
        path("M86 40 L126 36 L118 70 Z", a),
        circle(96, 52, 5, b),
        path("M120 80 L128 92 M108 84 L110 98", stroke="#e9b949"),
    ])


def scarf(a, b):
    return "".join([
        path("M40 40 C70 60 90 60 120 40 L124 58 C90 80 70 80 36 58 Z", a),
        path("M88 70 L98 136 L78 136 L72 74 Z", a),
        path("M78 136 L76 146 M86 136 L86 146 M94 136 L96 146", stroke=b),
        line(76, 96, 92, 94, stroke=b, stroke_width=4), line(78, 112, 94, 110, stroke=b, stroke_width=4),
    ])


def jacket(a, b):
    return "".join([
        path("M58 30 L80 40 L102 30 L132 50 L124 84 L112 78 L112 136 L48 136 L48 78 L36 84 L28 50 Z", a),
        path("M66 32 C70 20 90 20 94 32", b),
        line(80, 40, 80, 136, stroke_width=2),
        rect(56, 96, 16, 12, b, r=2), rect(88, 96, 16, 12, b, r=2),
    ])


def gloves(a, b):
    def glove(dx, flip):
        t = f"translate({dx} 0)" + (" scale(-1 1) translate(-64 0)" if flip else "")
        return (f'<g transform="{t}">' + path(
            "M14 130 L14 70 C14 62 22 62 22 70 L22 90 L22 46 C22 38 30 38 30 46 L30 84 L30 40 C30 32 38 32 38 40 "
            "L38 84 L38 46 C38 38 46 38 46 46 L46 96 L52 84 C56 76 64 80 60 90 L48 130 Z", a)
            + rect(12, 126, 40, 14, b, r=3) + "</g>")
    return glove(16, False) + glove(80, True)


def beanie(a, b):
    return "".join([
        path("M36 108 C36 56 124 56 124 108 Z", a),
        rect(32, 104, 96, 22, b, r=6),
        circle(80, 44, 12, b),
        path("M60 70 L60 104 M80 64 L80 104 M100 70 L100 104", stroke_width=2),
    ])


def shoe(a, b):
    return "".join([
        path("M20 110 L24 70 L56 70 C70 86 96 92 124 94 C140 96 142 110 142 116 L20 116 Z", a),
        rect(18, 114, 126, 12, b, r=5),
        line(58, 80, 70, 76, stroke_width=2), line(66, 88, 78, 84, stroke_width=2), line(74, 94, 86, 90, stroke_width=2),
    ])


def jeans(a, b):
    return "".join([
        path("M46 28 L114 28 L118 136 L90 136 L80 66 L70 136 L42 136 Z", a),
        rect(46, 28, 68, 12, b, r=2),
        path("M56 40 C56 54 70 54 70 40 M104 40 C104 54 90 54 90 40", stroke="#e9b949", stroke_width=2),
    ])


def shirt(a, b):
    return "".join([
        path("M60 26 L80 36 L100 26 L134 46 L122 72 L110 66 L110 138 L50 138 L50 66 L38 72 L26 46 Z", a),
        path("M66 28 L80 50 L94 28", b),
        line(80, 50, 80, 138, stroke_width=2),
        circle(80, 70, 2.5, INK), circle(80, 90, 2.5, INK), circle(80, 110, 2.5, INK),
    ])


def belt(a, b):
    return "".join([
        path("M20 92 C20 60 140 60 140 92 C140 122 20 122 20 92 Z", "none", stroke_width=14, stroke=a),
        path("M20 92 C20 60 140 60 140 92 C140 122 20 122 20 92 Z"),
        rect(64, 104, 32, 24, "none", r=4, stroke=b, stroke_width=5),
    ])


def socks(a, b):
    def sock(dx, colour):
        return (f'<g transform="translate({dx} 0)">'
                + path("M20 26 L50 26 L50 96 C50 110 62 116 70 124 C78 134 66 146 52 138 L24 116 C18 110 20 100 20 92 Z", colour)
                + rect(20, 26, 30, 14, b, r=2) + "</g>")
    return sock(20, a) + sock(70, "#ffc145")


def sunglasses(a, b):
    return "".join([
        path("M22 70 L138 70", stroke_width=5),
        path("M26 70 L70 70 L66 100 C62 112 32 112 28 100 Z", a),
        path("M90 70 L134 70 L132 100 C128 112 98 112 94 100 Z", a),
        path("M70 78 C76 72 84 72 90 78", stroke_width=4),
        path("M36 80 L48 80 M100 80 L112 80", stroke=b, stroke_width=4),
    ])


def yoga_mat(a, b):
    return "".join([
        rect(20, 92, 92, 30, a, r=4),
        circle(118, 92, 28, a), circle(118, 92, 16, b), circle(118, 92, 6, a),
        path("M92 66 C104 40 130 40 140 66", stroke=b, stroke_width=4),
    ])


def flask(a, b):
    return "".join([
        rect(54, 40, 52, 100, a, r=16),
        rect(60, 22, 40, 20, b, r=6),
        path("M100 30 C118 30 118 52 100 52", stroke_width=4),
        line(58, 70, 102, 70, stroke_width=2), line(58, 110, 102, 110, stroke_width=2),
    ])


def backpack(a, b):
    return "".join([
        path("M60 40 C60 24 100 24 100 40", stroke_width=5),
        rect(40, 40, 80, 100, a, r=22),
        rect(52, 92, 56, 36, b, r=8),
        path("M40 64 C64 76 96 76 120 64", stroke_width=2),
        line(80, 92, 80, 104, stroke_width=2),
    ])


def jump_rope(a, b):
    return "".join([
        path("M44 60 C20 150 140 150 116 60", stroke=a, stroke_width=5),
        rect(36, 26, 16, 40, b, r=6), rect(108, 26, 16, 40, b, r=6),
    ])


def stove(a, b):
    return "".join([
        ellipse(80, 126, 34, 10, a),
        path("M52 126 L60 92 L100 92 L108 126", a),
        ellipse(80, 90, 40, 8, b),
        path("M64 80 C60 68 72 64 68 52 M80 80 C76 66 90 62 84 46 M96 80 C92 68 104 64 100 54", stroke="#e8505b"),
    ])


def lock(a, b):
    return "".join([
        path("M46 96 L46 56 C46 18 114 18 114 56 L114 96", stroke=b, stroke_width=10),
        path("M46 96 L46 56 C46 18 114 18 114 56 L114 96"),
        rect(30, 84, 100, 40, a, r=10),
        circle(80, 104, 7, b),
    ])


def racket(a, b):
    strings = "".join(line(54, 40 + 10 * i, 98, 40 + 10 * i, stroke_width=1) for i in range(5))
    return "".join([
        ellipse(76, 60, 28, 36, "#fffaf5"), strings,
        ellipse(76, 60, 28, 36, "none", stroke=a, stroke_width=6),
        line(76, 96, 76, 144, stroke=a, stroke_width=6),
        path("M120 98 L112 122 L128 122 Z", "#fffaf5"), circle(120, 126, 6, b),
    ])


def hammock(a, b):
    return "".join([
        line(22, 36, 22, 140, stroke="#6b3e26", stroke_width=6),
        line(138, 36, 138, 140, stroke="#6b3e26", stroke_width=6),
        path("M22 60 C40 120 120 120 138 60 L128 70 C110 100 50 100 32 70 Z", a),
        path("M52 86 C70 96 92 96 110 86", stroke=b, stroke_width=4),
    ])


def bands(a, b):
    return "".join([
        ellipse(64, 82, 40, 26, "none", stroke=a, stroke_width=8),
        ellipse(96, 92, 40, 26, "none", stroke=b, stroke_width=8),
        ellipse(80, 104, 40, 22, "none", stroke="#6bbf59", stroke_width=8),
    ])


EMBLEMS = {
    "pot": lambda c: path("M62 84 L98 84 L94 104 L66 104 Z", c) + line(56, 84, 104, 84),
    "wave": lambda c: path("M56 96 C64 86 72 106 80 96 C88 86 96 106 104 96", stroke=c, stroke_width=4),
    "anchor": lambda c: path("M80 74 L80 110 M68 84 L92 84 M64 98 C66 112 94 112 96 98", stroke=c, stroke_width=4),
    "magnifier": lambda c: circle(76, 90, 12, "none", stroke=c, stroke_width=4) + line(85, 99, 98, 112, stroke=c, stroke_width=5),
    "leaf": lambda c: path("M66 110 C66 84 86 76 100 76 C100 96 90 110 66 110 Z", c),
    "moon": lambda c: path("M88 76 C70 78 66 106 90 110 C74 104 74 82 88 76 Z", c),
    "city": lambda c: rect(62, 88, 12, 22, c, r=1) + rect(76, 76, 12, 34, c, r=1) + rect(90, 92, 10, 18, c, r=1),
    "bird": lambda c: path("M62 96 C74 98 84 92 98 78 C92 96 86 104 68 108 C74 104 66 100 62 96 Z", c),
    "grid": lambda c: rect(64, 80, 32, 32, "none", r=0, stroke=c) + line(75, 80, 75, 112, stroke=c, stroke_width=2)
    + line(85, 80, 85, 112, stroke=c, stroke_width=2) + line(64, 91, 96, 91, stroke=c, stroke_width=2)
    + line(64, 101, 96, 101, stroke=c, stroke_width=2),
    "mountain": lambda c: path("M58 110 L74 84 L82 96 L90 82 L104 110 Z", c),
}


def book(a, b, emblem):
    return "".join([
        rect(44, 26, 76, 112, a, r=4),
        rect(36, 26, 14, 112, b, r=3),
        rect(58, 40, 50, 10, "#fffaf5", r=2),
        EMBLEMS[emblem]("#fffaf5"),
    ])


def train(a, b):
    return "".join([
        rect(26, 68, 54, 44, a, r=6), rect(52, 46, 28, 24, b, r=4), rect(30, 56, 14, 14, a, r=2),
        rect(88, 78, 48, 34, b, r=6),
        line(80, 100, 88, 100),
        circle(40, 118, 10, "#fffaf5"), circle(66, 118, 10, "#fffaf5"),
        circle(100, 118, 9, "#fffaf5"), circle(124, 118, 9, "#fffaf5"),
        line(16, 130, 146, 130, stroke="#6b3e26"),
    ])


def puzzle(a, b):
    piece = ("M0 0 L18 0 C18 -10 34 -10 34 0 L52 0 L52 18 C62 18 62 34 52 34 L52 52 L34 52 C34 42 18 42 18 52 "
             "L0 52 Z")
    return (f'<g transform="translate(30 40)">{path(piece, a)}</g>'
            + f'<g transform="translate(82 62) rotate(12)">{path(piece, b)}</g>')


def blocks(a, b):
    def brick(x, y, w, colour):
        studs = "".join(rect(x + 6 + 16 * i, y - 7, 10, 8, colour, r=2, stroke_width=2) for i in range(w))
        return studs + rect(x, y, 16 * w + 4, 26, colour, r=3)
    return brick(30, 106, 4, a) + brick(90, 106, 2, b) + brick(50, 72, 3, b) + brick(70, 38, 2, "#6bbf59")


def bear(a, b):
    return "".join([
        circle(50, 46, 14, a), circle(110, 46, 14, a),
        ellipse(80, 112, 34, 30, a),
        circle(80, 66, 32, a),
        ellipse(80, 76, 14, 10, b),
        circle(68, 60, 3.5, INK), circle(92, 60, 3.5, INK), circle(80, 72, 4, INK),
        ellipse(80, 116, 16, 14, b),
    ])


def board_game(a, b):
    return "".join([
        path("M20 100 L80 70 L140 100 L80 130 Z", a),
        path("M50 100 L80 85 L110 100 L80 115 Z", b),
        rect(96, 34, 30, 30, "#fffaf5", r=6),
        circle(104, 42, 3, INK), circle(118, 56, 3, INK), circle(111, 49, 3, INK),
        path("M40 70 L44 56 L48 70 Z", "#e8505b"), circle(44, 54, 4, "#e8505b"),
    ])


def kite(a, b):
    return "".join([
        path("M80 20 L120 62 L80 110 L40 62 Z", a),
        path("M80 20 L80 110 M40 62 L120 62", stroke_width=2),
        path("M80 62 L120 62 L80 20 Z", b),
        path("M80 110 C70 124 94 130 82 144", stroke_width=2),
        path("M78 122 L86 118 M80 134 L88 132", stroke="#e8505b", stroke_width=4),
    ])


def fruit(a, b):
    return "".join([
        circle(60, 96, 28, a), path("M60 68 C60 58 66 54 72 52", stroke_width=3),
        path("M64 64 C74 54 86 58 88 62 C80 70 70 70 64 64 Z", "#6bbf59"),
        path("M108 60 C96 60 100 84 92 100 C84 118 96 136 108 136 C120 136 132 118 124 100 C116 84 120 60 108 60 Z", b),
        line(108, 60, 110, 48, stroke_width=3),
    ])


def paintbox(a, b):
    colours = ["#e8505b", "#ffc145", "#6bbf59", "#3a86ff", "#9b5de5", "#fffaf5"]
    pans = "".join(ellipse(46 + 22 * (i % 3), 80 + 24 * (i // 3), 8, 8, colours[i]) for i in range(6))
    return (rect(30, 62, 100, 60, a, r=6) + pans
            + line(112, 118, 146, 44, stroke="#6b3e26", stroke_width=5) + path("M146 44 L152 30 L140 40 Z", b))


def car(a, b):
    return "".join([
        path("M20 104 L28 80 L52 76 L66 56 L106 56 L122 76 L140 82 L140 104 Z", a),
        path("M72 62 L100 62 L110 76 L64 76 Z", "#d8f3dc"),
        circle(48, 108, 14, "#3a3a3a"), circle(112, 108, 14, "#3a3a3a"),
        circle(48, 108, 5, b), circle(112, 108, 5, b),
        line(104, 40, 110, 56, stroke_width=2), circle(102, 36, 3, b),
    ])


def marble_run(a, b):
    return "".join([
        rect(28, 24, 12, 116, a, r=3), rect(120, 24, 12, 116, a, r=3),
        path("M40 44 L120 60", stroke=b, stroke_width=6), path("M120 80 L40 96", stroke=b, stroke_width=6),
        path("M40 116 L120 130", stroke=b, stroke_width=6),
        circle(62, 40, 7, "#3a86ff"), circle(96, 80, 7, "#e8505b"), circle(70, 114, 7, "#6bbf59"),
    ])


def watering_can(a, b):
    return "".join([
        path("M44 64 L104 64 L110 132 L38 132 Z", a),
        path("M104 110 L142 62 L148 68", stroke_width=6),
        ellipse(146, 64, 6, 10, b, transform="rotate(-40 146 64)"),
        path("M54 64 C54 34 94 34 94 64", stroke_width=6),
        line(46, 84, 106, 84, stroke_width=2),
    ])


def seed_packet(a, b):
    return "".join([
        path("M40 30 L120 30 L120 134 L40 134 Z", a),
        path("M40 30 L46 22 L52 30 L58 22 L64 30 L70 22 L76 30 L82 22 L88 30 L94 22 L100 30 L106 22 L112 30 L118 22 L120 30"),
        rect(52, 50, 56, 56, "#fffaf5", r=6),
        path("M80 100 L80 74", stroke="#2f7a3a"),
        path("M80 78 C66 78 62 66 62 60 C72 60 80 66 80 78 Z", "#6bbf59"),
        path("M80 84 C94 84 98 72 98 66 C88 66 80 72 80 84 Z", "#6bbf59"),
        line(56, 120, 104, 120, stroke=b, stroke_width=4),
    ])


def raised_bed(a, b):
    return "".join([
        rect(22, 88, 116, 40, a, r=3),
        line(22, 108, 138, 108, stroke_width=2),
        path("M22 88 L138 88", stroke="#6b3e26", stroke_width=6),
        path("M44 86 C40 70 50 62 56 60 M56 86 C60 70 70 64 78 64 M96 86 C92 66 104 58 112 58", stroke=b, stroke_width=4),
        circle(56, 60, 6, "#e8505b"), circle(112, 58, 7, "#ffc145"),
        line(30, 128, 30, 140, stroke_width=4), line(130, 128, 130, 140, stroke_width=4),
    ])


def birdhouse(a, b):
    return "".join([
        line(80, 110, 80, 146, stroke="#6b3e26", stroke_width=6),
        rect(46, 60, 68, 56, a, r=3),
        path("M36 66 L80 28 L124 66 Z", b),
        circle(80, 86, 11, INK),
        line(80, 102, 80, 110, stroke_width=3), line(72, 104, 88, 104, stroke_width=3),
    ])


def solar_light(a, b):
    return "".join([
        line(80, 92, 80, 146, stroke_width=5),
        path("M56 60 L104 60 L98 92 L62 92 Z", "#fff7dd"),
        rect(50, 48, 60, 14, a, r=3),
        line(62, 55, 98, 55, stroke=b, stroke_width=2),
        path("M80 20 L80 32 M54 28 L60 38 M106 28 L100 38", stroke="#e9b949", stroke_width=4),
    ])


def shears(a, b):
    return "".join([
        path("M82 76 L132 34 L126 52 Z", "#c9c1b8"),
        path("M82 76 L138 58 L124 70 Z", "#c9c1b8"),
        path("M82 76 L40 120 C30 132 44 144 54 132 L84 84 Z", a),
        path("M82 76 L32 96 C18 102 24 118 38 114 L86 82 Z", b),
        circle(82, 78, 4, INK),
    ])


def soil_bag(a, b):
    return "".join([
        path("M34 44 L126 44 L132 136 L28 136 Z", a),
        path("M34 44 C60 34 100 34 126 44", b),
        path("M54 96 C54 76 80 72 80 60 C80 72 106 76 106 96 Z", "#6bbf59"),
        rect(50, 100, 60, 20, b, r=4),
    ])


def compost_bin(a, b):
    return "".join([
        rect(34, 54, 92, 82, a, r=4),
        rect(28, 42, 104, 16, b, r=4),
        line(34, 80, 126, 80, stroke_width=2), line(34, 108, 126, 108, stroke_width=2),
        path("M60 94 L70 86 L80 94 L90 86 L100 94", stroke="#fffaf5", stroke_width=3),
    ])


def hose_reel(a, b):
    return "".join([
        circle(72, 84, 44, a), circle(72, 84, 30, "none", stroke=b, stroke_width=6),
        circle(72, 84, 20, "none", stroke=b, stroke_width=6), circle(72, 84, 8, INK),
        path("M112 100 C130 110 132 130 146 132", stroke=b, stroke_width=6),
        line(46, 128, 98, 128, stroke_width=6),
    ])


def tube(a, b):
    return "".join([
        path("M40 40 L120 40 L104 118 L56 118 Z", a),
        rect(64, 116, 32, 22, b, r=4),
        rect(36, 34, 88, 10, b, r=3),
        rect(60, 62, 40, 28, "#fffaf5", r=4),
        circle(80, 76, 6, b),
    ])


def soap(a, b):
    return "".join([
        rect(26, 86, 60, 40, a, r=10), rect(70, 70, 64, 40, b, r=10),
        circle(52, 60, 10, "#dbe7ff"), circle(40, 44, 6, "#dbe7ff"), circle(110, 46, 8, "#dbe7ff"),
        path("M86 84 C94 80 108 80 116 84", stroke_width=2),
    ])


def lip_balm(a, b):
    return "".join([
        path("M62 40 C62 26 76 20 80 20 C84 20 98 26 98 40 L98 56 L62 56 Z", "#e8505b"),
        rect(56, 56, 48, 20, b, r=3),
        rect(54, 74, 52, 66, a, r=6),
        path("M70 100 C70 92 80 88 80 88 C80 88 90 92 90 100 C90 108 70 108 70 100 Z", "#ffc145"),
    ])


def dropper(a, b):
    return "".join([
        rect(52, 64, 56, 76, a, r=12),
        rect(66, 44, 28, 22, b, r=4),
        rect(72, 18, 16, 28, "#3a3a3a", r=8),
        rect(62, 88, 36, 30, "#fffaf5", r=4),
        path("M80 94 C74 102 74 110 80 112 C86 110 86 102 80 94 Z", b),
    ])


def brush(a, b):
    bristles = "".join(line(52 + 8 * i, 40, 52 + 8 * i, 28, stroke_width=2) for i in range(8))
    return bristles + rect(44, 40, 72, 40, a, r=18) + rect(70, 78, 20, 64, b, r=8)


def candle(a, b):
    return "".join([
        path("M44 70 L116 70 L112 136 L48 136 Z", a),
        ellipse(80, 70, 36, 8, "#fffaf5"),
        line(80, 70, 80, 56, stroke_width=2),
        path("M80 26 C70 40 72 54 80 56 C88 54 90 40 80 26 Z", "#ffc145"),
        line(48, 100, 112, 100, stroke=b, stroke_width=6),
    ])


MOTIFS = {fn.__name__: fn for fn in (
    teapot, tea_set, tin, bag, french_press, frother, cheese, cheese_round, fondue, bottle, jar, chocolate, pan, knife,
    board, scale, pasta_machine, bowl, moka, tray, mill, headphones, charger, powerbank, speaker, keyboard, mouse,
    webcam, ereader, tracker, lamp, scarf, jacket, gloves, beanie, shoe, jeans, shirt, belt, socks, sunglasses,
    yoga_mat, flask, backpack, jump_rope, stove, lock, racket, hammock, bands, train, puzzle, blocks, bear, board_game,
    kite, fruit, paintbox, car, marble_run, watering_can, seed_packet, raised_bed, birdhouse, solar_light, shears,
    soil_bag, compost_bin, hose_reel, tube, soap, lip_balm, dropper, brush, candle,
)}


def picture(motif, background, a, b, emblem=None):
    """The SVG document for one product kind: `motif` (a name in MOTIFS, or "book") in colours `a` and `b` on a
    rounded tile of `background`."""
    body = book(a, b, emblem) if motif == "book" else MOTIFS[motif](a, b)
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 160" width="320" height="320">'
            f'<rect width="160" height="160" rx="18" fill="{background}"/>{body}</svg>\n')
