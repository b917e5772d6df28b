"""The release wheel: built from the source tree, installed into a fresh environment, run there.

The fresh environment is a new virtualenv without the source checkout on its path: Gongkai is
installed from the wheel alone (``pip install --no-deps``) and its third-party dependencies are
made visible from the test venv, since the test machine may have no network. That proves the
wheel is complete (code, migrations, templates, static files, compiled translations, shipped
data) and that its declared dependencies are exactly what the platform needs: every import it
makes at run time must come from a ``Requires-Dist`` of the wheel, which the test checks too.
"""

from __future__ import annotations

import email
import os
import shutil
import site
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import uuid
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from packaging.requirements import Requirement

import gongkai as gongkai_package
from gongkai.core.testing import scratch_database_url

REPO = Path(settings.REPO_DIR)
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "var", "build", "dist", "test-artifacts", "__pycache__", "*.pyc", "*.mo",
    "*.egg-info", ".pytest_cache", ".ruff_cache", ".mypy_cache", ".hypothesis",
)  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.read().decode("utf-8")


@pytest.mark.django_db
def test_wheel_builds_installs_and_serves_from_a_fresh_environment(tmp_path):
    # 1. Build from a copy of the source tree (no compiled catalogues, no build leftovers).
    src = tmp_path / "src"
    shutil.copytree(REPO, src, ignore=SKIP)
    built = subprocess.run(
        ["bash", str(src / "scripts" / "build_wheel.sh"), str(tmp_path / "dist")],
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("gongkai-*-py3-none-any.whl")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    version = gongkai_package.__version__  # the single source of the version number
    assert wheel.name == f"gongkai-{version}-py3-none-any.whl"

    # 2. The wheel carries every runtime file of the source tree, and compiled catalogues.
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta = email.message_from_bytes(zf.read(f"gongkai-{version}.dist-info/METADATA"))
        entry_points = zf.read(f"gongkai-{version}.dist-info/entry_points.txt")
    runtime = [
        p.relative_to(REPO).as_posix()
        for p in (REPO / "gongkai").rglob("*")
        if p.is_file()
        and "tests" not in p.relative_to(REPO).parts
        and "__pycache__" not in p.parts
        and p.suffix not in {".pyc", ".mo"}
    ]
    assert len(runtime) > 300
    assert not [p for p in runtime if p not in names]
    catalogues = [p for p in runtime if p.endswith("/LC_MESSAGES/django.po")]
    assert len(catalogues) >= 2
    assert not [p for p in catalogues if p[:-3] + ".mo" not in names]
    assert b"gongkai = gongkai.cli:main" in entry_points

    # 3. Declared dependencies are the project's, and this machine satisfies each of them.
    required = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]
    base = [r for r in required if r.marker is None]
    assert sorted(str(r) for r in base) == sorted(
        str(Requirement(d)) for d in project["dependencies"]
    )
    for req in base:
        assert req.specifier.contains(metadata.version(req.name), prereleases=True), str(req)

    # 4. A fresh virtualenv: the wheel installed alone; dependencies visible, the checkout not.
    venv = tmp_path / "venv"
    subprocess.run(
        [sys._base_executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    py = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps",
         "--no-index", str(wheel)],
        check=True, timeout=300,
    )  # fmt: skip
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(purelib, "deps.pth").write_text(site.getsitepackages()[0] + "\n")

    with scratch_database_url(tmp_path) as db_url:
        _run_installed(venv, purelib, db_url, tmp_path)


def _run_installed(venv: Path, purelib: str, db_url: str, tmp_path: Path) -> None:
    """Migrate, check and serve the installed wheel from outside the checkout."""
    py = venv / "bin" / "python"
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "GONGKAI_", "PYTHON", "VIRTUAL_ENV", "DATABASE_"))
    }
    env.update(
        DATABASE_URL=db_url,
        XDG_DATA_HOME=str(tmp_path / "data"),
        DEBUG="false",
        SECRET_KEY="wheel-test-" + uuid.uuid4().hex * 2,
        ALLOWED_HOSTS="127.0.0.1",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        CACHE_URL="dbcache://gongkai_cache",  # production refuses a per-process cache
        PATH=f"{venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}",
    )
    gongkai = str(venv / "bin" / "gongkai")

    def run(*args: str) -> str:
        done = subprocess.run(
            [*args], cwd=work, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        assert done.returncode == 0, (
            " ".join(args) + "\n" + done.stdout[-2000:] + done.stderr[-3000:]
        )
        return done.stdout

    server = None
    try:
        located = run(str(py), "-c", "import gongkai; print(gongkai.__file__)")
        assert located.strip().startswith(purelib), located
        run(gongkai, "migrate", "--noinput", "-v", "0")
        run(gongkai, "createcachetable")
        run(gongkai, "collectstatic", "--noinput", "-v", "0")
        run(gongkai, "check", "--deploy", "--fail-level", "ERROR")
        # With no GONGKAI_VAR_DIR outside a checkout, data goes to the user's data directory.
        var = tmp_path / "data" / "gongkai"
        assert (var / "field_keys").exists()  # local keys: none came from the environment
        assert (var / "static" / "staticfiles.json").exists()

        port = _free_port()
        server = subprocess.Popen(
            [str(py), "-m", "gunicorn", "gongkai.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
            cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        assert server.stdout is not None
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = _get(base_url + "/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()[-3000:]
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        assert status == 200
        status, ready = _get(base_url + "/readyz")
        assert status == 200 and '"status": "ok"' in ready
        status, home = _get(base_url + "/", **{"Accept-Language": "zh-CN"})
        assert status == 200 and "政府信息公开" in home
        # The compiled English catalogue shipped in the wheel is served.
        status, english = _get(base_url + "/", **{"Accept-Language": "en"})
        assert status == 200 and 'lang="en"' in english
        with translation.override("en"):
            skip_link = translation.gettext("跳到主要内容")
        assert skip_link != "跳到主要内容" and "跳到主要内容" in home
        assert skip_link in english and "跳到主要内容" not in english
        # Static files referenced by the page come from the wheel (hashed names via the manifest).
        css = [part.split('"')[0] for part in home.split('href="/static/')[1:]]
        assert css
        status, _ = _get(f"{base_url}/static/{css[0]}")
        assert status == 200
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
            if server.stdout is not None:
                server.stdout.close()
