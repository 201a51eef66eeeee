"""GGUF validation and metadata: the real embedded model, truncated copies, forged files."""

from __future__ import annotations

import struct

import pytest

from agents.backends.base import ModelFileError
from agents.gguf.check import check_gguf
from agents.gguf.meta import GgufFormatError, format_parameters, read_gguf
from agents.backends.llama import LlamaCppBackend
from app.core.paths import embedded_model_path
from tests.support.gguf_forge import forge_gguf, llama_metadata


@pytest.fixture(scope="module")
def model_bytes() -> bytes:
    return embedded_model_path().read_bytes()


def test_the_embedded_model_metadata_is_read():
    info = check_gguf(embedded_model_path())
    assert info.architecture == "llama"
    assert info.quantisation == "Q4_1"
    assert info.context_length == 8192
    assert 130_000_000 < info.parameter_count < 140_000_000 and info.parameters_label == "135M"
    assert info.chat_template and "messages" in info.chat_template
    assert (info.block_count, info.head_count, info.head_count_kv, info.embedding_length) == (30, 9, 3, 576)
    assert info.vocab_size == 49152
    assert info.data_end == info.file_size and not info.truncated
    assert info.metadata["general.size_label"] == "135M"
    assert "tokenizer.ggml.tokens" not in info.metadata  # the 49k-entry array is skipped, not kept


@pytest.mark.parametrize("cut, message", [
    (20, "not a GGUF model file"),
    (800, "damaged GGUF header"),
    (100_000, "truncated: the file ends inside the value of tokenizer.ggml.tokens"),
    (2_000_000, "truncated: it has 2,000,000 bytes but its tensors need"),
    (-1, "truncated: it has"),
])
def test_truncated_copies_are_refused_with_the_fix(tmp_path, model_bytes, cut, message):
    path = tmp_path / "cut.gguf"
    path.write_bytes(model_bytes[:cut])
    with pytest.raises(ModelFileError, match=message) as err:
        check_gguf(path)
    assert err.value.fix and "download" in err.value.fix.lower()


def test_non_gguf_files_are_refused(tmp_path):
    html = tmp_path / "model.gguf"
    html.write_text("<html>404 Not Found</html>" * 100)
    with pytest.raises(ModelFileError, match="does not start with the GGUF header"):
        check_gguf(html)
    with pytest.raises(ModelFileError, match="not a file"):
        check_gguf(tmp_path)
    with pytest.raises(ModelFileError, match="does not exist"):
        check_gguf(tmp_path / "missing.gguf")


def test_a_forged_llama_file_is_read_exactly(tmp_path):
    path = forge_gguf(tmp_path / "tiny.gguf", llama_metadata())
    info = check_gguf(path)
    assert info.architecture == "llama" and info.parameter_count == 2 * 64 * 32
    assert info.quantisation == "F32" and info.context_length == 2048 and info.vocab_size == 100
    assert info.model_name == "forged llama" and info.chat_template


def test_forged_files_with_lies_in_them_are_refused(tmp_path):
    old = forge_gguf(tmp_path / "v1.gguf", llama_metadata(), version=1)
    with pytest.raises(ModelFileError, match="GGUF version 1"):
        check_gguf(old)
    cut_data = forge_gguf(tmp_path / "cut.gguf", llama_metadata(), truncate_data=100)
    with pytest.raises(ModelFileError, match="is truncated: it has"):
        check_gguf(cut_data)
    # a string that claims to be longer than the file
    raw = bytearray(forge_gguf(tmp_path / "ok.gguf", llama_metadata()).read_bytes())
    raw[24:32] = struct.pack("<Q", 10**12)
    liar = tmp_path / "liar.gguf"
    liar.write_bytes(bytes(raw))
    with pytest.raises(ModelFileError, match="more than the file holds"):
        check_gguf(liar)
    # an unknown metadata value type
    raw = bytearray((tmp_path / "ok.gguf").read_bytes())
    key_len = struct.unpack_from("<Q", raw, 24)[0]
    struct.pack_into("<I", raw, 32 + key_len, 99)
    odd = tmp_path / "odd.gguf"
    odd.write_bytes(bytes(raw))
    with pytest.raises(ModelFileError, match="is damaged: .*unknown value type 99"):
        check_gguf(odd)


def test_unsupported_and_non_chat_architectures_are_refused_with_the_fix(tmp_path):
    bert = forge_gguf(tmp_path / "embed.gguf", llama_metadata("nomic-bert"))
    with pytest.raises(ModelFileError, match="`nomic-bert` model .* not a chat model") as err:
        check_gguf(bert)
    assert "instruct" in (err.value.fix or "")
    alien = forge_gguf(tmp_path / "alien.gguf", llama_metadata("martian-lm"))
    with pytest.raises(ModelFileError, match="`martian-lm` model, an architecture this version of llama.cpp") as err:
        check_gguf(alien)
    assert "upgrade llama-cpp-python" in (err.value.fix or "")
    nameless = forge_gguf(tmp_path / "nameless.gguf", {"general.name": "x"})
    with pytest.raises(ModelFileError, match="does not say which model architecture"):
        check_gguf(nameless)
    with pytest.raises(ModelFileError, match="martian-lm"):
        LlamaCppBackend(alien)  # the backend refuses before llama.cpp sees the file


def test_reader_errors_are_typed(tmp_path):
    path = tmp_path / "short.gguf"
    path.write_bytes(b"GGUF")
    with pytest.raises(GgufFormatError) as err:
        read_gguf(path)
    assert err.value.truncated


def test_parameter_labels():
    assert format_parameters(134_515_008) == "135M"
    assert format_parameters(7_615_616_512) == "7.6B"
    assert format_parameters(4096) == "4K"


def test_tensor_sizes_come_from_llama_cpp_s_own_tables():
    """The hand-written table had Q8_1 at 36 bytes a block; llama.cpp's `gguf` package says 40."""
    from agents.gguf.meta import file_types, ggml_types

    assert ggml_types()[9] == ("Q8_1", 32, 40)
    assert ggml_types()[12] == ("Q4_K", 256, 144)
    assert file_types()[15] == "Q4_K_M" and file_types()[0] == "F32"
