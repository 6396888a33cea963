"""README's promise: « configuration (every environment variable) ». Every variable the
settings that run Maillage read (dev, production, and the base they share) is in README's table,
written as `NAME`; a variable added to the settings without its line fails here. The test and
bench settings' own variables (xdist's worker id) are the tools', not the installer's."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNNING_SETTINGS = ("base.py", "dev.py", "production.py")
# os.environ.get("NAME" …), os.environ["NAME"], os.getenv("NAME" …), with either quotes.
READ = re.compile(r"""(?:environ(?:\.get)?\(|environ\[|getenv\()\s*["']([A-Z][A-Z0-9_]+)["']""")


def variables_read() -> set[str]:
    names = set()
    for name in RUNNING_SETTINGS:
        names |= set(READ.findall((ROOT / "union" / "settings" / name).read_text()))
    return names


def test_the_settings_read_variables_at_all():
    # The pattern itself: a rewrite of how settings read the environment must not empty the check.
    assert {"SECRET_KEY", "DATABASE_URL", "TIME_ZONE", "STATIC_ROOT", "PORT"} <= variables_read()


def test_every_variable_the_settings_read_is_in_readme():
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in variables_read() if f"`{name}`" not in readme)
    assert missing == []
