"""The layout of the design card holds: the package is found, and `platform` stays the standard library's."""
import platform
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
