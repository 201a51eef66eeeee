"""Fit advice: pure estimates from size, quantisation and context against free memory."""

from __future__ import annotations

import pytest

from agents.gguf.fit import (
    GB,
    Footprint,
    advise,
    available_memory,
    estimate_bytes,
    footprint_of,
    kv_cache_bytes,
    max_parameters_label,
    remote_advice,
)
from agents.gguf.check import check_gguf
from app.core.paths import embedded_model_path

LLAMA3_8B_F16 = Footprint(weights_bytes=16_060_000_000, n_ctx=8192, parameter_count=8_030_000_000,
                          quantisation="F16", n_layers=32, n_kv_heads=8, head_dim_k=128)


def test_kv_cache_follows_the_layer_shapes():
    # 32 layers x 8 KV heads x (128 + 128) x 2 bytes = 128 KiB per token
    assert kv_cache_bytes(LLAMA3_8B_F16) == 131072 * 8192
    assert kv_cache_bytes(Footprint(weights_bytes=1, n_ctx=2048, n_layers=32, n_kv_heads=8, head_dim_k=128)) \
        == 131072 * 2048


def test_the_embedded_model_needs_a_few_hundred_megabytes():
    fp = footprint_of(check_gguf(embedded_model_path()), 4096)
    assert fp.n_ctx == 4096 and fp.n_layers == 30 and fp.head_dim_k == 64
    need = estimate_bytes(fp)
    assert 250 * 2**20 < need < 450 * 2**20
    assert footprint_of(check_gguf(embedded_model_path()), 100_000).n_ctx == 8192  # capped at the trained length


@pytest.mark.parametrize("available_gb, verdict", [(32, "fits"), (20, "tight"), (16, "wont_fit"), (4, "wont_fit")])
def test_verdicts_against_free_memory(available_gb, verdict):
    advice = advise(LLAMA3_8B_F16, available_gb * GB)
    assert advice.verdict == verdict
    assert advice.ok_to_load == (verdict != "wont_fit")
    assert f"of the {available_gb}.0 GB free" in advice.message
    assert (advice.suggestion is None) == (verdict == "fits")


def test_suggestions_name_something_smaller_that_fits():
    eight = advise(LLAMA3_8B_F16, 8 * GB).suggestion or ""
    assert "Q4_K_M build of the same model" in eight
    four = advise(LLAMA3_8B_F16, 4 * GB, [("smollm2-135m", 350 * 2**20), ("huge", 30 * GB)]).suggestion or ""
    assert "Q4_K_M" in four and "smollm2-135m" in four and "huge" not in four
    assert "at most" in four  # neither a shorter context nor a smaller build is enough
    tight = advise(LLAMA3_8B_F16, 22 * GB).suggestion or ""
    assert "a context of 4096 tokens instead of 8192" in tight
    starved = advise(LLAMA3_8B_F16, 50 * 2**20).suggestion or ""
    assert "Close other applications" in starved


def test_unknown_shapes_fall_back_to_a_per_parameter_estimate():
    fp = Footprint(weights_bytes=4_700_000_000, n_ctx=4096, quantisation="Q4_K_M")
    kv = kv_cache_bytes(fp)
    assert 0.2 * GB < kv < 1.0 * GB  # a 7-8B model at 4k context
    assert estimate_bytes(fp) > fp.weights_bytes + kv


def test_largest_model_label():
    assert max_parameters_label(6 * GB).endswith("B")
    assert max_parameters_label(300 * 2**20).endswith("M")


def test_remote_models_are_not_judged_here():
    advice = remote_advice("http://gpu-box:11434")
    assert advice.verdict == "remote" and advice.badge == "remote" and advice.ok_to_load
    assert "gpu-box" in advice.message


def test_available_memory_reads_meminfo_then_falls_back(tmp_path, monkeypatch):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    8000000 kB\n")
    assert available_memory(meminfo) == 8_000_000 * 1024
    monkeypatch.setattr("os.sysconf", lambda name: {"SC_AVPHYS_PAGES": 1000, "SC_PAGE_SIZE": 4096}[name])
    assert available_memory(tmp_path / "missing") == 4_096_000
    meminfo.write_text("MemTotal: 1 kB\n")  # no MemAvailable (old kernels)
    assert available_memory(meminfo) == 4_096_000
    assert available_memory() > 0
