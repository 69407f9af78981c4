#!/usr/bin/env python3
"""The two commands of the README, for a fresh machine with nothing but Python 3.11+.

    python3 dev.py run     install everything, migrate, seed the demo county if empty, serve on :8000
    python3 dev.py test    install everything and run the whole test suite

Anything after the command is passed on (to `partyedu demo` or to pytest).
"""

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
BOOTSTRAP = ROOT / "var" / "uv-bootstrap"


def find_uv() -> str:
    """uv if the machine has it; otherwise one installed with pip into a private venv under var/."""
    found = shutil.which("uv")
    if found:
        return found
    uv = BOOTSTRAP / "bin" / "uv"
    if not uv.exists():
        print("首次运行：正在安装 uv（Python 包管理工具）……", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(BOOTSTRAP)
        subprocess.run([BOOTSTRAP / "bin" / "python", "-m", "pip", "install", "--quiet", "uv"], check=True)
    return str(uv)


def sync(uv: str) -> None:
    subprocess.run([uv, "sync", "--frozen", "--quiet"], cwd=ROOT, check=True)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 — dev.py runs before any venv, on whatever python3 is
        print("需要 Python 3.11 或更高版本 / Python 3.11+ is required", file=sys.stderr)
        return 2
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    uv = find_uv()
    sync(uv)
    env = dict(os.environ)
    if command == "run":
        env.setdefault("DEBUG", "1")
        return subprocess.call([uv, "run", "--frozen", "partyedu", "demo", *rest], cwd=ROOT, env=env)
    return subprocess.call([uv, "run", "--frozen", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
