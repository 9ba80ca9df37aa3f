"""tools/setup/ensure-venv.sh refuses an unsupported Python at once, in one sentence, touching nothing."""

import subprocess
import sys

from tools import REPO

ROOT = REPO
SCRIPT = ROOT / "tools" / "setup" / "ensure-venv.sh"


def run(python, venv):
    return subprocess.run(["bash", str(SCRIPT), str(python), str(venv)], capture_output=True, text=True)


def fake_python(tmp_path, version):
    """A stand-in interpreter that reports `version` the way the script asks for it."""
    major, minor, micro = version
    path = tmp_path / "python-fake"
    path.write_text(f"#!{sys.executable}\n"
                    "import sys\n"
                    f"sys.version_info = ({major}, {minor}, {micro})\n"
                    "code = sys.argv[2] if len(sys.argv) > 2 else ''\n"
                    "if 'platform' in code: print('%d.%d.%d' % sys.version_info); sys.exit(0)\n"
                    "if 'version_info' in code: sys.exit(sys.version_info < (3, 11))\n"
                    "sys.exit(3)\n")
    path.chmod(0o755)
    return path


def test_python_310_is_refused_with_the_supported_range(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "keep").write_text("an existing environment is not removed for a refused Python")
    result = run(fake_python(tmp_path, (3, 10, 12)), venv)
    assert result.returncode == 1
    assert "Python 3.10.12" in result.stderr and "3.11 or newer" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (venv / "keep").exists()


def test_missing_python_is_named(tmp_path):
    result = run(tmp_path / "no-such-python", tmp_path / "venv")
    assert result.returncode == 1
    assert "no-such-python not found" in result.stderr and "3.11 or newer" in result.stderr
