"""folium/branca elements of the map document: inlined assets, safe GeoJSON layers, the app shell.

Every layer the page knows registers itself by key (``TumenAtlas.registerOverlay``/``registerBase``):
the page never looks layers up by their generated variable names.
"""

from __future__ import annotations

from branca.element import Element, MacroElement
from jinja2 import Template

from layers.assets import (  # noqa: F401
    app_css, app_js, font_awesome_css, leaflet_css, leaflet_js, markercluster_css, markercluster_js, safe_json, script_safe, style_safe,
)
from layers.style import icons


def _json_of(value, encoded: str | None, name: str) -> str:
    """``encoded`` (JSON already made by :func:`safe_json`), else ``value`` encoded: exactly one of
    the two is given (``name`` names the value in the error)."""
    if (value is None) == (encoded is None):
        raise TypeError(f"give one of {name} and {name}_json")
    return safe_json(value) if encoded is None else encoded


class Raw(Element):
    """Markup that reaches the page exactly as given.

    branca's ``Element(text)`` compiles ``text`` as a Jinja template: article text or a title holding
    ``{{ ... }}`` or ``{% ... %}`` would be evaluated as template code (or break the build), and every
    layer's data would be lexed by Jinja on every build. This element is never compiled.
    """

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.markup = markup

    def render(self, **kwargs) -> str:
        return self.markup


class RawMacroElement(MacroElement):
    """A :class:`MacroElement` whose rendered ``header``/``html``/``script`` macros are added to the
    page as :class:`Raw` markup (branca's own ``render`` compiles each of them as a new template)."""

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        module = self._template.module
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = getattr(module, part, None)
            if macro is not None:
                target.add_child(Raw(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class InlineAssets(Element):
    """Leaflet, the Font Awesome icons it uses and the atlas's own CSS/JS, inlined in the page header
    (no CDN, no file beside it). ``leaflet=False`` leaves Leaflet to the host map (a user's own
    ``folium.Map``, which loads it itself)."""

    def __init__(self, *, leaflet: bool = True, cluster: bool = False) -> None:
        super().__init__()
        self._name = "InlineAssets"
        self.leaflet = leaflet
        self.cluster = cluster  #: Leaflet.markercluster too (a map of many places)

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        css = style_safe((leaflet_css() + "\n" if self.leaflet else "") + (markercluster_css() + "\n" if self.cluster else "")
                         + font_awesome_css(icons()) + "\n" + app_css())
        js = script_safe((leaflet_js() + "\n" if self.leaflet else "") + (markercluster_js() + "\n" if self.cluster else "") + app_js())
        figure.header.add_child(Raw(f"<style>{css}</style>\n<script>{js}</script>"), name="inline_assets")


class _JsonLayer(RawMacroElement):
    """A layer whose data is a JSON block of the page, read by ``TumenAtlas.<factory>``."""

    factory = ""
    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="{{ this.get_name() }}-data">{{ this.data_json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = TumenAtlas.{{ this.factory }}(TumenAtlas.json("{{ this.get_name() }}-data"), {{ this.options_json }});
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str, options: dict, name: str) -> None:
        super().__init__()
        self._name = name
        self.data_json = data_json
        self.options_json = safe_json(options)


class SafeGeoJson(_JsonLayer):
    """A GeoJSON layer whose data reaches the page only as escaped JSON; its features' properties
    follow :class:`layers.contract.FeatureProps`."""

    factory = "featureLayer"

    def __init__(self, data: dict | None, *, interactive: bool = True, pane: str | None = None, name: str = "SafeGeoJson",
                 options: dict | None = None, data_json: str | None = None) -> None:
        """``data``: a FeatureCollection; or ``data_json``, one already made by :func:`safe_json`."""
        super().__init__(_json_of(data, data_json, "data"),
                         {"interactive": interactive, "pane": pane} | (options or {}), name)


class FlatShapes(_JsonLayer):
    """A basemap layer: :class:`layers.contract.FlatShape` data, already encoded with
    :func:`safe_json`, drawn without interaction by ``TumenAtlas.flatLayer``."""

    factory = "flatLayer"

    def __init__(self, data_json: str, *, pane: str | None = None, name: str = "FlatShapes") -> None:
        super().__init__(data_json, {"pane": pane}, name)


class InitialView(RawMacroElement):
    """Sets the map's first view (from the link's hash, else the data's bounds) right after the map
    is made, before any layer is added: every path is then projected once, for that view."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        TumenAtlas.initialView({{ this._parent.get_name() }}, {{ this.bounds_json }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list | None = None, *, bounds_json: str | None = None) -> None:
        """``bounds``: [[south, west], [north, east]]; or ``bounds_json``, made by :func:`safe_json`."""
        super().__init__()
        self._name = "InitialView"
        self.bounds_json = _json_of(bounds, bounds_json, "bounds")


class Register(RawMacroElement):
    """Registers its parent layer with the page under a key: ``kind`` is "overlay" or "base"."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        TumenAtlas.register{{ this.kind|capitalize }}({{ this.key_json }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, kind: str, key: str) -> None:
        super().__init__()
        if kind not in ("overlay", "base"):
            raise ValueError(f"kind must be overlay or base, got {kind!r}")
        self._name = f"Register_{kind}"
        self.kind = kind
        self.key_json = safe_json(key)


class AtlasApp(RawMacroElement):
    """The reader panel, legend, layer control, search, labels, fullscreen, scale and URL-hash state."""

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

    def __init__(self, data: dict | None = None, *, data_json: str | None = None) -> None:
        """``data``: the page's data document; or ``data_json``, made by :func:`safe_json`."""
        super().__init__()
        self._name = "AtlasApp"
        self.data_json = _json_of(data, data_json, "data")
