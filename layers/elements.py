"""folium/branca elements of the map document: inlined assets, safe GeoJSON layers, the app shell."""

from __future__ import annotations

import json

from branca.element import Element, MacroElement
from jinja2 import Template

from layers.assets import font_awesome_css, leaflet_css, leaflet_js, script_safe, static_text, style_safe
from layers.style import icons


def safe_json(obj) -> str:
    """JSON for embedding in HTML/JS: sorted keys, and no character that could end a script or start markup."""
    s = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


class InlineAssets(Element):
    """Leaflet, the Font Awesome icons it uses and the atlas's own CSS/JS, inlined in the page header
    (no CDN, no file beside it)."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "InlineAssets"

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        css = style_safe(leaflet_css() + "\n" + font_awesome_css(icons()) + "\n" + static_text("tumen.css"))
        js = script_safe(leaflet_js() + "\n" + static_text("tumen.js"))
        figure.header.add_child(Element(f"<style>{css}</style>\n<script>{js}</script>"), name="inline_assets")


class SafeGeoJson(MacroElement):
    """A GeoJSON layer whose data reaches the page only as escaped JSON.

    Each feature's ``_style`` gives its path options, ``_popup`` the key of its (pre-escaped) popup
    in the app data, ``_tooltip`` its plain-text tooltip and ``_key`` the registry key the reader
    and search use to find it.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = TumenAtlas.featureLayer({{ this.data_json }}, {{ this.options_json }});
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, *, interactive: bool = True, pane: str | None = None, name: str = "SafeGeoJson") -> None:
        super().__init__()
        self._name = name
        self.data_json = safe_json(data)
        self.options_json = safe_json({"interactive": interactive, "pane": pane})


class AtlasApp(MacroElement):
    """The reader panel, legend, layer control, search, fullscreen, scale and URL-hash state."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="tumen-atlas-data">{{ this.data_json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        TumenAtlas.init({{ this._parent.get_name() }}, JSON.parse(document.getElementById("tumen-atlas-data").textContent));
        {% endmacro %}
        """
    )

    def __init__(self, data: dict) -> None:
        super().__init__()
        self._name = "AtlasApp"
        self.data_json = safe_json(data)
