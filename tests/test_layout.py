"""The layout of the design card holds: the package is found, and `platform` stays the standard library's."""
import configparser
import platform
import re
import sys
from pathlib import Path

import eurzad

ROOT = Path(__file__).resolve().parents[1]


def test_platform_is_the_standard_library_module():
    assert hasattr(platform, "python_version")
    assert Path(platform.__file__).parent == Path(sys.modules["os"].__file__).parent


def test_platform_folder_holds_only_the_package():
    assert not (ROOT / "platform" / "__init__.py").exists()
    assert not list((ROOT / "platform").glob("*.py"))
    assert Path(eurzad.__file__).resolve().parent == ROOT / "platform" / "eurzad"


def test_app_uses_the_top_level_templates_and_instance_folders(app):
    assert Path(app.template_folder).is_absolute()
    assert Path(app.template_folder) == ROOT / "templates"
    assert Path(app.instance_path).is_absolute()


PACKAGE = ROOT / "platform" / "eurzad"
SHAPE = {"__init__.py", "views.py", "forms.py", "models.py", "operations.py"}
# The identity-provider seam and the password rule; the inbox's queries (pure, measured by bench/inbox.py); the
# receipt's document (its content as the UPO XML), its printout (the PDF) and its commands (`eurzad keys`, …).
EXTRAS = {"auth": {"identity.py", "passwords.py"}, "clerk": {"inbox.py"},
          "receipts": {"document.py", "printout.py", "commands.py"}}


def test_every_area_has_the_same_shape_and_its_own_templates(app):
    """An area is a blueprint in its package's __init__.py with its routes in views.py; besides them only
    forms.py, models.py and operations.py (those it needs), and its templates in templates/<area>/."""
    for name, blueprint in app.blueprints.items():
        folder = PACKAGE / blueprint.import_name.split(".")[-1]
        modules = {path.name for path in folder.glob("*.py")}
        assert {"__init__.py", "views.py"} <= modules, name
        assert modules - SHAPE - EXTRAS.get(name, set()) == set(), f"{name} has modules outside the shape"
        assert (ROOT / "templates" / name).is_dir(), f"{name} has no templates/{name}/"


def test_no_code_outside_the_field_types_asks_which_widget_a_question_has():
    types = PACKAGE / "engine" / "types"
    sources = [*PACKAGE.rglob("*.py"), *(ROOT / "templates").rglob("*.html")]
    asking = [f"{path.relative_to(ROOT)}:{number}" for path in sources if types not in path.parents
              for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if re.search(r"\.widget\b", line)]
    assert asking == []


def test_the_package_ships_every_static_file_the_receipt_fonts_in_their_folder_too():
    """package_data globs as setuptools does (`static/*` takes no subfolder): the PDF receipt needs static/fonts/."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    shipped = {path for pattern in config["options.package_data"]["eurzad"].split() for path in PACKAGE.glob(pattern)}
    static = {path for path in (PACKAGE / "static").rglob("*") if path.is_file()}
    assert (PACKAGE / "static" / "fonts" / "DejaVuSans.ttf") in static and static - shipped == set()
