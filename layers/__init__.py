"""Tumen Atlas map layers: GeoDataFrames to folium layers, the map document and its exports."""

from __future__ import annotations

__all__ = ["build_map", "write_map", "atlas_data", "render_html"]


def __getattr__(name: str):
    if name in __all__:
        from layers import mapdoc

        return getattr(mapdoc, name)
    raise AttributeError(name)
