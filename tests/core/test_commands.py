"""The commands a county's IT person types: `partyedu demo`, `partyedu seed`, `partyedu serve`."""

import io
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from partyedu.orgs.models import Organization

ROOT = Path(__file__).resolve().parents[2]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "PARTYEDU_TESTING"}}
    env.update(DJANGO_SETTINGS_MODULE="partyedu.settings", PARTYEDU_VAR_DIR=str(tmp_path))
    for command in (["-m", "partyedu", "serve", "--no-migrate"], ["-c", "import partyedu.wsgi"]):
        result = subprocess.run(
            [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode != 0 and "SECRET_KEY" in result.stderr, command
    # with the key in the environment the same server starts (checked without binding a port)
    env["SECRET_KEY"] = "a-key-chosen-by-the-administrator-0123456789"
    result = subprocess.run(
        [sys.executable, "-c", "import partyedu.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("server", ["granian", "gunicorn"])
def test_serve_starts_the_production_server_which_answers_on_its_port(tmp_path, server):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PARTYEDU_TESTING", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="partyedu.settings",
        PARTYEDU_VAR_DIR=str(tmp_path),
        SECRET_KEY="a-key-chosen-by-the-administrator-0123456789",
    )
    argv = [sys.executable, "-m", "partyedu", "serve", "--server", server, "--bind", f"127.0.0.1:{port}"]
    server_process = subprocess.Popen(
        [*argv, "--no-migrate", "--no-collectstatic", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                    status = reply.status
            except OSError:  # not listening yet, or too busy starting to answer
                time.sleep(0.3)
        assert status == 200
        # a page needs a login: the anonymous visitor is sent to it, through the server's own application
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(f"http://127.0.0.1:{port}/", timeout=5)
        assert redirect.value.code == 302 and "/accounts/login/" in redirect.value.headers["Location"]
    finally:
        os.killpg(server_process.pid, 15)
        output = server_process.communicate(timeout=30)[0].decode()
    assert f"partyedu 正在 http://127.0.0.1:{port} 上运行（{server}" in output


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_management_commands_of_a_checkout_run_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "PARTYEDU_TESTING"}}
    env.update(DJANGO_SETTINGS_MODULE="partyedu.settings", PARTYEDU_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "partyedu", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_development_keeps_a_generated_secret_key_under_var(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "PARTYEDU_TESTING"}}
    env.update(DJANGO_SETTINGS_MODULE="partyedu.settings", PARTYEDU_VAR_DIR=str(tmp_path), DEBUG="1")
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "partyedu", "check"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) > 40 and oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_sqlite_runs_in_wal_mode_so_the_worker_and_server_can_share_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PARTYEDU_TESTING"}}
    env.update(DJANGO_SETTINGS_MODULE="partyedu.settings", PARTYEDU_VAR_DIR=str(tmp_path), DEBUG="1")
    code = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["wal", "20000"], result.stderr


@pytest.mark.django_db
def test_init_creates_the_committee_and_its_admin_for_a_production_start():
    out = io.StringIO()
    call_command(
        "init",
        "--committee",
        "某某县直属机关工作委员会",
        "--admin",
        "gw_admin",
        "--phone",
        "13800001111",
        stdout=out,
    )
    password = out.getvalue().split("初始密码 ")[1].split("（")[0]
    user = authenticate(username="13800001111", password=password)
    assert user is not None and user.username == "gw_admin"
    root = Organization.objects.get(parent__isnull=True)
    assert user.role_assignments.get().organization == root and root.kind == "working_committee"
    with pytest.raises(Exception, match="已存在"):
        call_command(
            "init", "--committee", "某某县直属机关工作委员会", "--admin", "other", stdout=io.StringIO()
        )
