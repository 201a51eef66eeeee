"""Build the one-folder desktop bundle and its tarball; skipped when nothing it is made from changed.

    python installer/build_bundle.py [--force] [--out DIR]

Output (default ``build/bundle/``):
  dist/bureau/                           the bundle: ``bureau`` (app and CLI) and ``_internal/``
  bureau-VERSION-linux-ARCH.tar.gz       bureau/ with bureau.desktop, icons/ and install.sh
  inputs.sha256                          the hash of everything the bundle is built from (the cache key)

The cache key covers pyproject.toml, the spec and this folder, every source and resource file
of app/, agents/, teams/, resources/, and the versions of the installed packages, so a changed
dependency rebuilds too. Set ``BUREAU_BUNDLE_CACHE`` to keep built bundles outside the checkout
(a CI machine with a persistent cache folder then builds once per change).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("app", "agents", "teams", "resources", "installer")
SKIP_DIRS = {"__pycache__", ".pytest_cache"}
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def version() -> str:
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    return text.split('__version__ = "', 1)[1].split('"', 1)[0]


def tarball_name() -> str:
    return f"bureau-{version()}-{sys.platform}-{platform.machine()}.tar.gz"


def inputs_hash() -> str:
    digest = hashlib.sha256()
    files = [ROOT / "pyproject.toml"]
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and not SKIP_DIRS & set(path.parts) and path.suffix not in {".pyc"}:
                files.append(path)
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for dist in sorted(importlib.metadata.distributions(), key=lambda d: d.metadata["Name"].lower()):
        digest.update(f"{dist.metadata['Name']}=={dist.version}\n".encode())
    digest.update(f"{sys.version}|{platform.machine()}".encode())
    return digest.hexdigest()


def build(out: Path, *, force: bool = False) -> tuple[Path, bool, float]:
    """Build into ``out`` unless its key matches; returns (bundle folder, built?, seconds)."""
    key = inputs_hash()
    bundle = out / "dist" / "bureau"
    stamp = out / "inputs.sha256"
    cache = os.environ.get("BUREAU_BUNDLE_CACHE")
    cached = Path(cache).expanduser() / key[:16] if cache else None
    if not force and stamp.exists() and stamp.read_text().strip() == key and (bundle / "bureau").exists():
        return bundle, False, 0.0
    if not force and cached is not None and (cached / "dist" / "bureau" / "bureau").exists():
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(cached, out, symlinks=True)
        return bundle, False, 0.0
    started = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = dict(os.environ, PYTHONHASHSEED="0", QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(out / "dist"), "--workpath", str(out / "work"),
                    str(ROOT / "installer" / "bureau.spec")], check=True, cwd=ROOT, env=env)
    shutil.rmtree(out / "work", ignore_errors=True)
    _desktop_files(bundle)
    _tarball(bundle, out / tarball_name())
    stamp.write_text(key + "\n")
    if cached is not None:
        shutil.rmtree(cached, ignore_errors=True)
        shutil.copytree(out, cached, symlinks=True)
    return bundle, True, time.perf_counter() - started


def _desktop_files(bundle: Path) -> None:
    shutil.copy(ROOT / "installer" / "bureau.desktop", bundle / "bureau.desktop")
    shutil.copy(ROOT / "installer" / "install.sh", bundle / "install.sh")
    (bundle / "install.sh").chmod(0o755)
    icons = bundle / "icons"
    icons.mkdir(exist_ok=True)
    shutil.copy(ROOT / "resources" / "icons" / "bureau.svg", icons / "bureau.svg")
    for size in ICON_SIZES:
        shutil.copy(ROOT / "resources" / "icons" / f"bureau-{size}.png", icons / f"bureau-{size}.png")


def _tarball(bundle: Path, target: Path) -> None:
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname="bureau")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bundle")
    parser.add_argument("--force", action="store_true", help="rebuild even when the inputs are unchanged")
    args = parser.parse_args(argv)
    bundle, built, seconds = build(args.out, force=args.force)
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    tar = args.out / tarball_name()
    print(f"{'built in %.0f s' % seconds if built else 'up to date (inputs unchanged)'}: {bundle}")
    print(f"bundle {size / 1e6:.0f} MB; tarball {tar.stat().st_size / 1e6:.0f} MB: {tar}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
