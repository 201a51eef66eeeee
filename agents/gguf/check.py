"""Checks that a file is a usable GGUF model before llama.cpp is asked to load it."""

from __future__ import annotations

import struct
from pathlib import Path

from agents.backends.base import ModelFileError
from agents.gguf.meta import (
    CHAT_ARCHITECTURES,
    NON_CHAT_ARCHITECTURES,
    GgufFormatError,
    GgufInfo,
    read_gguf,
)

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
HEADER_SIZE = 24  # magic, version, tensor count, metadata count
_REDOWNLOAD = "The file is probably truncated or corrupt: download it again."
_CUT_OFF = "The download was cut off: download the model again."


def check_gguf(path: Path) -> GgufInfo:
    """The file's metadata; raises ``ModelFileError`` naming the fix unless ``path`` is a usable GGUF model."""
    if not path.exists():
        raise ModelFileError(f"The model file {path} does not exist.", fix="Choose an existing .gguf file.")
    if not path.is_file():
        raise ModelFileError(f"{path} is not a file.", fix="Choose a .gguf file.")
    size = path.stat().st_size
    try:
        with path.open("rb") as fh:
            header = fh.read(HEADER_SIZE)
    except OSError as exc:
        raise ModelFileError(f"Cannot read {path}: {exc.strerror or exc}.",
                             fix="Check the file's permissions, or copy it somewhere readable.") from exc
    if len(header) < HEADER_SIZE or header[:4] != GGUF_MAGIC:
        where = ("it ends inside the GGUF header" if header[:4] == GGUF_MAGIC
                 else "it does not start with the GGUF header")
        raise ModelFileError(
            f"{path.name} is not a GGUF model file ({where}).",
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
            fix=_REDOWNLOAD,
        )
    try:
        info = read_gguf(path)
    except GgufFormatError as exc:
        if exc.truncated:
            raise ModelFileError(f"{path.name} is truncated: {exc.reason}.", fix=_CUT_OFF) from exc
        raise ModelFileError(f"{path.name} is damaged: {exc.reason}.", fix=_REDOWNLOAD) from exc
    except OSError as exc:
        raise ModelFileError(f"Cannot read {path}: {exc.strerror or exc}.",
                             fix="Check the file's permissions, or copy it somewhere readable.") from exc
    if info.truncated:
        raise ModelFileError(
            f"{path.name} is truncated: it has {info.file_size:,} bytes but its tensors need {info.data_end:,}.",
            fix=_CUT_OFF,
        )
    check_architecture(info)
    return info


def check_architecture(info: GgufInfo) -> None:
    """Raise ``ModelFileError`` unless llama.cpp can run ``info``'s architecture as a chat model."""
    arch = info.architecture
    name = info.path.name
    if not arch:
        raise ModelFileError(f"{name} does not say which model architecture it is (general.architecture).",
                             fix="Download the model again from a source that publishes llama.cpp GGUF files.")
    if arch in NON_CHAT_ARCHITECTURES:
        raise ModelFileError(
            f"{name} is a `{arch}` model (embeddings, an encoder or audio), not a chat model.",
            fix="Choose an instruct/chat GGUF, for example Qwen2.5-Instruct, Llama-3.2-Instruct or SmolLM2-Instruct.",
        )
    if arch not in CHAT_ARCHITECTURES:
        raise ModelFileError(
            f"{name} is a `{arch}` model, an architecture this version of llama.cpp does not run.",
            fix="Choose a GGUF of a supported architecture (llama, qwen2, qwen3, gemma3, phi3, mistral3, ...), "
                "or upgrade llama-cpp-python if the model is newer than it.",
        )
