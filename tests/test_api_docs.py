"""The public API the README names is documented in numpydoc form, and the command line's --help stays
readable: the numpydoc sections of a command's docstring are for the Python reader only."""

from __future__ import annotations

import inspect
import re

import pytest
from click.testing import CliRunner
from numpydoc.validate import validate

from layers import cli

#: the commands, as they are named on the command line, and their functions (``callback``)
COMMANDS = {name: cmd for name, cmd in cli.app.commands.items()}

#: the README's Python API and the command line's functions
API = [
    "layers.mapdoc.build_map", "layers.page.write_map", "layers.page.render_page", "layers.export.export_static",
    "geo.geoparser.Geoparser", "layers.cli.app.callback",
    *(f"layers.cli.{cmd.callback.__name__}.callback" for cmd in COMMANDS.values()),
]

#: numpydoc's checks of a docstring against its signature: there is one (GL08), every parameter is
#: documented (PR01), none that is not one (PR02), in the signature's order (PR03), each with a
#: description (PR07) and a well-formed name line (PR10); what returns something says what (RT01, RT03)
CHECKS = {"GL08", "PR01", "PR02", "PR03", "PR07", "PR10", "RT01", "RT03"}


def test_the_cli_functions_are_the_commands():
    assert sorted(COMMANDS) == ["build", "check", "corpus", "evidence", "export", "geoparse", "places", "routes", "suggest"]


@pytest.mark.parametrize("name", API)
def test_the_public_api_has_a_numpydoc_parameters_section_matching_its_signature(name):
    found = validate(name)
    errors = [f"{code}: {msg}" for code, msg in found["errors"] if code in CHECKS]
    assert errors == [], name
    obj = _obj(name)
    params = [p for p in inspect.signature(obj.__init__ if inspect.isclass(obj) else obj).parameters if p != "self"]
    assert params, name
    assert re.search(r"^Parameters\n-{10}$", inspect.getdoc(obj), re.M), name


def _obj(name: str):
    import importlib

    mod, _, rest = name.partition(".")
    obj = importlib.import_module(mod)
    for part in rest.split("."):
        obj = getattr(obj, part) if hasattr(obj, part) else importlib.import_module(f"{obj.__name__}.{part}")
    return obj


def test_the_check_sees_a_parameter_left_undocumented(monkeypatch):
    """The validator reads the docstrings as written: a command whose docstring loses a parameter fails."""
    fn = COMMANDS["places"].callback
    monkeypatch.setattr(fn, "__doc__", fn.__doc__.replace("    keep_chrome\n        Geoparse site chrome too.\n", ""))
    codes = [code for code, _ in validate("layers.cli.places.callback")["errors"]]
    assert "PR01" in codes


@pytest.mark.parametrize("command", [[], *([name] for name in sorted(COMMANDS))], ids=lambda c: c[0] if c else "app")
def test_help_shows_the_summary_and_not_the_numpydoc_sections(command):
    result = CliRunner().invoke(cli.app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    # (click rewraps a docstring's paragraphs: a section's heading would not stand on a line of its own)
    assert not re.search(r"\b(Parameters|Returns)\b|-{4}", result.output), result.output
    assert "\f" not in result.output
    assert "Usage: " in result.output and "Options:" in result.output
    summary = inspect.getdoc(COMMANDS[command[0]].callback if command else cli.app.callback).split("\f")[0]
    assert " ".join(summary.split()[:6]) in " ".join(result.output.split())  # the docstring's summary is the help


def test_each_commands_docstring_cuts_its_numpydoc_sections_from_the_help():
    for fn in [cli.app.callback, *(c.callback for c in COMMANDS.values())]:
        doc = inspect.getdoc(fn)
        assert "\f" in doc and doc.index("\f") < doc.index("Parameters\n----------"), fn.__name__


#: the Python functions a command is the command line of, and its options named otherwise there
COUNTERPARTS = {
    "build": (["geo.atlas.atlas_data", "layers.page.render_page"], {}),
    "export": (["geo.atlas.atlas_data", "layers.export.export_static"], {"width": "width_in", "height": "height_in"}),
    "routes": (["geo.atlas.atlas_data"], {}),
    "places": (["geo.atlas.atlas_data"], {}),
    "check": (["geo.atlas.atlas_data"], {}),
    "suggest": (["geo.atlas.atlas_data"], {}),
    "evidence": (["geo.atlas.atlas_data"], {}),
    "corpus": (["geo.atlas.atlas_data"], {}),
}


@pytest.mark.parametrize("command", sorted(COUNTERPARTS))
def test_a_command_orders_its_arguments_as_the_python_api_does(command):
    """``articles, routes`` first (after a command's own positional argument), and the arguments a
    command shares with its Python function in that function's order (``as_of`` last, as in atlas_data)."""
    import importlib

    names, aliases = COUNTERPARTS[command]
    mine = [aliases.get(p, p) for p in inspect.signature(COMMANDS[command].callback).parameters]
    options = [p for p in mine if p not in ("route_id", "files")]
    assert options[: len({"articles", "routes"} & set(options))] == [p for p in ("articles", "routes") if p in options]
    for name in names:
        mod, _, attr = name.rpartition(".")
        theirs = list(inspect.signature(getattr(importlib.import_module(mod), attr)).parameters)
        shared = [p for p in mine if p in theirs]
        assert shared == [p for p in theirs if p in shared], (command, name)
    if "as_of" in mine:
        assert mine[-1] == "as_of"
