"""Write small synthetic GGUF files (header, metadata, tensor table, data) for validation tests."""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from pathlib import Path

Value = int | float | bool | str | list[str] | list[int]


def _string(text: str) -> bytes:
    raw = text.encode("utf-8")
    return struct.pack("<Q", len(raw)) + raw


def _value(value: Value) -> bytes:
    if isinstance(value, bool):
        return struct.pack("<I?", 7, value)
    if isinstance(value, int):
        return struct.pack("<II", 4, value)
    if isinstance(value, float):
        return struct.pack("<If", 6, value)
    if isinstance(value, str):
        return struct.pack("<I", 8) + _string(value)
    if all(isinstance(v, str) for v in value):
        return struct.pack("<IIQ", 9, 8, len(value)) + b"".join(_string(str(v)) for v in value)
    return struct.pack("<IIQ", 9, 5, len(value)) + b"".join(struct.pack("<i", int(v)) for v in value)


def forge_gguf(path: Path, metadata: Mapping[str, Value], tensors: Sequence[tuple[str, tuple[int, ...]]] = (
        ("token_embd.weight", (64, 32)), ("output.weight", (64, 32))), *, version: int = 3,
        truncate_data: int = 0) -> Path:
    """A GGUF with F32 tensors of ``tensors`` shapes; ``truncate_data`` drops that many bytes from the end."""
    head = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(metadata))
    head += b"".join(_string(k) + _value(v) for k, v in metadata.items())
    offset = 0
    infos = b""
    sizes = []
    for name, shape in tensors:
        size = 4
        for d in shape:
            size *= d
        infos += _string(name) + struct.pack("<I", len(shape)) + b"".join(struct.pack("<Q", d) for d in shape)
        infos += struct.pack("<IQ", 0, offset)  # F32
        sizes.append(size)
        offset += (size + 31) // 32 * 32
    body = head + infos
    body += b"\0" * ((-len(body)) % 32)
    data = b"".join(b"\x01" * s + b"\0" * ((-s) % 32) for s in sizes)
    blob = body + data
    path.write_bytes(blob[:len(blob) - truncate_data] if truncate_data else blob)
    return path


def llama_metadata(arch: str = "llama", **extra: Value) -> dict[str, Value]:
    return {"general.architecture": arch, "general.name": f"forged {arch}", "general.file_type": 0,
            f"{arch}.context_length": 2048, f"{arch}.block_count": 2, f"{arch}.embedding_length": 64,
            f"{arch}.attention.head_count": 4, f"{arch}.attention.head_count_kv": 2,
            "tokenizer.ggml.tokens": [f"t{i}" for i in range(100)],
            "tokenizer.chat_template": "{% for m in messages %}{{ m.content }}{% endfor %}", **extra}
