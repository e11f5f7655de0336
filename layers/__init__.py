"""Tumen Atlas map layers: GeoDataFrames to folium layers, the map document and its exports."""

from __future__ import annotations

__all__ = ["build_map", "write_map", "atlas_data", "render_html"]


def __getattr__(name: str):  # lazy: `import layers` loads neither folium nor the pipeline
    if name in ("build_map", "render_html"):
        from layers import mapdoc

        return getattr(mapdoc, name)
    if name == "write_map":
        from layers.page import write_map

        return write_map
    if name == "atlas_data":
        from geo.atlas import atlas_data

        return atlas_data
    raise AttributeError(name)
