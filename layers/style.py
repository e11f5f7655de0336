"""One style table for the map's features and its legend (they cannot disagree).

Colours are the Okabe–Ito palette, distinguishable with the common colour-vision deficiencies.
Status shows in the dash pattern; an inferred course is drawn lighter than a documented one.
"""

from __future__ import annotations

OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
}

#: Route kinds: colour and legend label.
KIND_STYLE: dict[str, dict] = {
    "pipeline": {"label": "Gas pipeline", "color": OKABE_ITO["vermillion"]},
    "railway": {"label": "Railway", "color": OKABE_ITO["blue"]},
    "power_line": {"label": "Energy bridge (power line)", "color": OKABE_ITO["orange"]},
    "sea_route": {"label": "Sea route", "color": OKABE_ITO["sky"]},
    "road": {"label": "Road", "color": OKABE_ITO["green"]},
}

#: Route statuses: line pattern and legend label.
STATUS_STYLE: dict[str, dict] = {
    "existing": {"label": "Existing", "dashArray": None, "weight": 4.0},
    "refurbished": {"label": "Refurbished", "dashArray": None, "weight": 5.0},
    "proposed": {"label": "Proposed", "dashArray": "10 7", "weight": 4.0},
    "planned": {"label": "Planned", "dashArray": "4 6", "weight": 4.0},
    "stalled": {"label": "Stalled", "dashArray": "1 6", "weight": 4.0},
    "alternative_considered": {"label": "Alternative considered", "dashArray": "2 8", "weight": 2.5},
    # reported by the articles of a user's corpus (the evidence finder's status words); in the legend when drawn
    "under_construction": {"label": "Under construction", "dashArray": "12 4", "weight": 4.0, "extra": True},
    "suspended": {"label": "Suspended", "dashArray": "1 4 6 4", "weight": 3.0, "extra": True},
    "halted": {"label": "Halted", "dashArray": "1 9", "weight": 3.0, "extra": True},
}

#: Course of a segment: documented by the articles, or inferred by the project (lighter).
COURSE_STYLE: dict[str, dict] = {
    "documented": {"label": "Course documented by the articles", "opacity": 0.95},
    "inferred": {"label": "Course inferred (see popup)", "opacity": 0.5},
}

#: Places: circle colour by country (others grey); radius grows with the mention count.
COUNTRY_COLOURS: dict[str, str] = {
    "RU": OKABE_ITO["purple"], "KP": OKABE_ITO["vermillion"], "KR": OKABE_ITO["blue"],
    "CN": OKABE_ITO["orange"], "JP": OKABE_ITO["green"], "US": OKABE_ITO["sky"],
}
OTHER_COUNTRY = "#777777"
COUNTRY_LABELS = {"RU": "Russia", "KP": "North Korea", "KR": "South Korea", "CN": "China", "JP": "Japan", "US": "United States"}

#: Sites: Font Awesome icon and colour.
SITE_STYLE: dict[str, dict] = {
    "sez": {"label": "Special economic zone", "color": OKABE_ITO["purple"], "icon": "industry"},
    "port": {"label": "Port", "color": OKABE_ITO["sky"], "icon": "anchor"},
    "air_base": {"label": "Air base", "color": OKABE_ITO["black"], "icon": "plane"},
    "island_development": {"label": "Island development", "color": OKABE_ITO["green"], "icon": "tree"},
    "gas_field": {"label": "Gas field", "color": OKABE_ITO["vermillion"], "icon": "fire-flame-simple"},
    "border": {"label": "Border river", "color": OKABE_ITO["blue"], "icon": "water"},
    "bridge": {"label": "Bridge", "color": OKABE_ITO["black"], "icon": "bridge", "extra": True},
}
#: Icons of the map's own buttons.
BUTTON_ICONS = {"reader": "book-open", "fullscreen": "expand"}


def icons() -> tuple[str, ...]:
    """Every Font Awesome icon the map uses (inlined into the page, nothing else)."""
    return tuple(sorted({v["icon"] for v in SITE_STYLE.values()} | set(BUTTON_ICONS.values())))


BORDER_STYLE = {"color": "#444444", "weight": 1.6, "dashArray": "6 3 1 3", "opacity": 0.9}
RIVER_STYLE = {"color": "#2b7bb9", "weight": 3.0, "opacity": 0.9}
OTHER_RIVER_STYLE = {"color": "#6d9ec7", "weight": 1.6, "opacity": 0.8}

#: The overlays, in the order of the layer control: key, label, group, shown on load.
OVERLAYS: list[tuple[str, str, str, bool]] = [
    ("pipeline", "Gas pipeline", "Corridors", True),
    ("railway", "Railways", "Corridors", True),
    ("power_line", "Energy bridge", "Corridors", True),
    ("sea_route", "Sea routes", "Corridors", True),
    ("road", "Roads", "Corridors", True),
    ("alternatives", "Alternatives considered", "Corridors", False),
    ("areas", "Countries, provinces, seas", "Evidence", True),
    ("places", "Places mentioned", "Evidence", True),
    ("sites", "Sites", "Evidence", True),
    ("borders", "Borders and rivers", "Geography", True),
]


def route_style(kind: str, status: str, course: str = "documented") -> dict:
    """Leaflet path options for one segment."""
    k, s, c = KIND_STYLE[kind], STATUS_STYLE[status], COURSE_STYLE[course]
    style = {"color": k["color"], "weight": s["weight"], "opacity": c["opacity"], "lineCap": "round", "lineJoin": "round"}
    if s["dashArray"]:
        style["dashArray"] = s["dashArray"]
    return style


def route_overlay(kind: str, status: str) -> str:
    """The overlay a route belongs to."""
    return "alternatives" if status == "alternative_considered" else kind


#: A place's symbol: radius ``r0 + k * sqrt(mentions)`` pixels, so its area grows with the count
#: (as the eye reads a symbol's size), up to ``rmax``: a place mentioned two thousand times is a
#: large dot, not a disk over a continent. The page computes the same sizes for the counts of a
#: filter or a date (``TumenAtlas.placeRadius``).
PLACE_SCALE = {"r0": 3.0, "k": 1.6, "rmax": 22.0}


def place_radius(mentions: int) -> float:
    """Circle radius in pixels: area grows with the number of mentions, capped."""
    s = PLACE_SCALE
    return round(min(s["rmax"], s["r0"] + s["k"] * mentions ** 0.5), 2)


#: Areal places (countries, continents, seas) drawn as their shapes: one colour, shaded by
#: mentions (fill opacity from ``omin`` to ``omax`` on a log scale of the largest count).
AREA_SCALE = {"omin": 0.06, "omax": 0.4}
AREA_COLOUR = "#7a6a4f"


def area_opacity(mentions: int, most: int) -> float:
    """Fill opacity of an area with ``mentions`` when the most mentioned area has ``most``."""
    import math

    s = AREA_SCALE
    if mentions <= 0:
        return 0.0
    f = math.log1p(mentions) / math.log1p(max(most, 1))
    return round(s["omin"] + (s["omax"] - s["omin"]) * f, 3)


def area_style(kind: str, mentions: int, most: int) -> dict:
    """Leaflet path options of an areal place: water outlined in blue, land in the area colour;
    a continent only outlined and faintly shaded, under the countries it holds."""
    water = kind in ("sea", "ocean")
    colour = "#2f6f9f" if water else AREA_COLOUR
    op = area_opacity(mentions, most)
    if kind == "continent":
        return {"color": colour, "weight": 1.2, "opacity": 0.6, "dashArray": "4 4", "fillColor": colour, "fillOpacity": round(op / 5, 3)}
    return {"color": colour, "weight": 0.8, "opacity": 0.55, "fillColor": colour, "fillOpacity": op}


def place_style(country: str | None, mentions: int) -> dict:
    color = COUNTRY_COLOURS.get(country or "", OTHER_COUNTRY)
    return {"radius": place_radius(mentions), "color": "#222222", "weight": 1, "fillColor": color, "fillOpacity": 0.75}


def site_style(kind: str) -> dict:
    s = SITE_STYLE[kind]
    return {"radius": 9, "color": s["color"], "weight": 3, "fillColor": "#ffffff", "fillOpacity": 0.9}


#: The legend's section titles, and the layers each explains.
LEGEND_TITLES = {
    "corridors": "Corridors", "status": "Status", "course": "Course", "places": "Places mentioned (size: mentions)", "areas": "Countries, provinces and seas (shade: mentions)",
    "sites": "Sites", "geography": "Geography",
}
LEGEND_OF = {
    "corridors": (LEGEND_TITLES["corridors"], LEGEND_TITLES["status"], LEGEND_TITLES["course"]),
    "places": (LEGEND_TITLES["places"],), "areas": (LEGEND_TITLES["areas"],), "sites": (LEGEND_TITLES["sites"],), "borders": (LEGEND_TITLES["geography"],),
}


def legend(drawn: set[str] | frozenset[str] = frozenset()) -> list[dict]:
    """The legend's sections, built from the same tables as the features; a status or site kind
    marked ``extra`` is listed only when ``drawn`` holds it."""
    shown = lambda k, v: not v.get("extra") or k in drawn  # noqa: E731
    return [
        {"title": "Corridors", "items": [{"label": v["label"], "line": route_style(k, "existing")} for k, v in KIND_STYLE.items()]},
        {"title": "Status", "items": [{"label": v["label"], "line": route_style("railway", k) | {"color": "#333333"}} for k, v in STATUS_STYLE.items() if shown(k, v)]},
        {"title": "Course", "items": [{"label": v["label"], "line": route_style("railway", "existing", k) | {"color": "#333333"}} for k, v in COURSE_STYLE.items()]},
        {"title": "Places mentioned (size: mentions)", "items": [
            {"label": COUNTRY_LABELS[c], "circle": {"fillColor": col, "color": "#222222"}} for c, col in COUNTRY_COLOURS.items()
        ] + [{"label": "Other", "circle": {"fillColor": OTHER_COUNTRY, "color": "#222222"}}]},
        {"title": "Countries, provinces and seas (shade: mentions)", "items": [
            {"label": "Country, province or continent", "area": area_style("country", 1, 1)},
            {"label": "Sea or ocean", "area": area_style("sea", 1, 1)},
        ]},
        {"title": "Sites", "items": [{"label": v["label"], "icon": v["icon"], "color": v["color"]} for k, v in SITE_STYLE.items() if shown(k, v)]},
        {"title": "Geography", "items": [{"label": "International border", "line": BORDER_STYLE}, {"label": "Tumen River", "line": RIVER_STYLE}, {"label": "Other rivers named", "line": OTHER_RIVER_STYLE}]},
    ]


#: Label classes, from the most to the least prominent: size (px at 96 dpi), weight, colour,
#: italic (water), capitals and letter spacing (em). The page's CSS and the static maps both
#: read this table; every label has a white halo.
LABEL_STYLE: dict[str, dict] = {
    "country": {"size": 13, "weight": 700, "color": "#6b6259", "italic": False, "upper": True, "spacing": 0.12},
    "sea": {"size": 13, "weight": 400, "color": "#2f6f9f", "italic": True, "upper": False, "spacing": 0.04},
    "strait": {"size": 11, "weight": 400, "color": "#2f6f9f", "italic": True, "upper": False, "spacing": 0.02},
    "river": {"size": 11, "weight": 400, "color": "#2b6fa8", "italic": True, "upper": False, "spacing": 0.02},
    "city": {"size": 13, "weight": 700, "color": "#1a1a1a", "italic": False, "upper": False, "spacing": 0},
    "place": {"size": 12, "weight": 600, "color": "#262626", "italic": False, "upper": False, "spacing": 0},
    "site": {"size": 11, "weight": 600, "color": "#3a3a3a", "italic": False, "upper": False, "spacing": 0},
    "region": {"size": 10.5, "weight": 600, "color": "#8a7a63", "italic": False, "upper": True, "spacing": 0.1},
    "minor": {"size": 10.5, "weight": 400, "color": "#404040", "italic": False, "upper": False, "spacing": 0},
    "peak": {"size": 10, "weight": 400, "color": "#6b5a3a", "italic": True, "upper": False, "spacing": 0},
}
LABEL_HALO = "#ffffff"

#: How a name is placed beside what it names, read by the web map (the page's ``placement``, in
#: layers/static/js/labels.js) and by the static exports (layers/export.py) alike: px kept clear
#: around a label; half a site icon's size (its 26 px and border), outside which a point under it
#: is named; the gap between a symbol and its name; and the candidate positions, in order, each
#: ``[gx, gy, wx, hy]``: the label's top-left corner at ``(x + gx*g + wx*w, y + gy*g + hy*h)`` in
#: screen space (y down) for a ``w``×``h`` label at a symbol of radius ``o`` (``g = o + gap``):
#: right, left, above, below, then the four diagonals. A place with no symbol is centred.
PLACEMENT: dict = {
    "pad": 2, "site_half": 14, "gap": 3,
    "beside": [[1, 0, 0, -0.5], [-1, 0, -1, -0.5], [0, -1, -0.5, -1], [0, 1, -0.5, 0],
               [0.7, -0.7, 0, -1], [0.7, 0.7, 0, 0], [-0.7, -0.7, -1, -1], [-0.7, 0.7, -1, 0]],
    "centred": [[0, 0, -0.5, -0.5]],
}


def label_css() -> str:
    """CSS for the page's label classes, from :data:`LABEL_STYLE`."""
    halo = ",".join(f"{x}px {y}px 1px {LABEL_HALO}" for x, y in ((-1, -1), (1, -1), (-1, 1), (1, 1), (0, 0))) + f",0 0 3px {LABEL_HALO}"
    rules = [
        ".ta-label{position:absolute;left:0;top:0;white-space:nowrap;line-height:1.15;pointer-events:none;"
        f"font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;text-shadow:{halo}}}"
    ]
    for cls, st in LABEL_STYLE.items():
        rules.append(
            f".ta-label-{cls}{{font-size:{st['size']}px;font-weight:{st['weight']};color:{st['color']};"
            f"font-style:{'italic' if st['italic'] else 'normal'};text-transform:{'uppercase' if st['upper'] else 'none'};"
            f"letter-spacing:{st['spacing']}em}}"
        )
    return "\n".join(rules)
