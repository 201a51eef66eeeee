"""Checks that a file is a GGUF model before llama.cpp is asked to load it."""

from __future__ import annotations

import struct
from pathlib import Path

from agents.backend import ModelFileError

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
HEADER_SIZE = 24  # magic, version, tensor count, metadata count


def check_gguf(path: Path) -> None:
    """Raise ``ModelFileError`` naming the fix unless ``path`` looks like a usable GGUF file."""
    if not path.exists():
        raise ModelFileError(f"The model file {path} does not exist.", fix="Choose an existing .gguf file.")
    if not path.is_file():
        raise ModelFileError(f"{path} is not a file.", fix="Choose a .gguf file.")
    size = path.stat().st_size
    with path.open("rb") as fh:
        header = fh.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE or header[:4] != GGUF_MAGIC:
        raise ModelFileError(
            f"{path.name} is not a GGUF model file (it does not start with the GGUF header).",
            fix="Download the model again as a .gguf file (llama.cpp format).",
        )
    version, tensors, metadata = struct.unpack("<IQQ", header[4:])
    if version not in SUPPORTED_VERSIONS:
        raise ModelFileError(
            f"{path.name} is GGUF version {version}; Bureau reads versions 2 and 3.",
            fix="Convert it with a current llama.cpp, or download a newer build of the model.",
        )
    if tensors == 0 or size < 1024 or metadata > 1_000_000 or tensors > 1_000_000:
        raise ModelFileError(
            f"{path.name} has a damaged GGUF header ({tensors} tensors, {metadata} metadata keys).",
            fix="The file is probably truncated or corrupt: download it again.",
        )
