"""The bundle test builds a PyInstaller bundle (minutes): collected only by `make bundle-test`."""

import os

collect_ignore_glob = [] if os.environ.get("BUREAU_BUNDLE_TEST") == "1" else ["test_*.py"]
