"""Training precision follows the CPU: bf16 autocast only where bf16 is native, so that no default is a slowdown
on the machine that runs it."""
from lesion_training import utils

AVX2_ONLY = "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n"
AVX512_BF16 = "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma avx512f avx512_vnni avx512_bf16\n"
AMX = "processor\t: 0\nflags\t\t: fpu avx2 avx512f amx_bf16 amx_tile amx_int8\n"


def test_cpu_flags_are_read_from_cpuinfo_text():
    assert utils.cpu_flags(AVX2_ONLY) == {"fpu", "sse2", "avx", "avx2", "fma"}
    assert utils.cpu_flags("") == set()


def test_auto_uses_bf16_only_where_the_cpu_has_it():
    assert utils.use_bf16("auto", utils.cpu_flags(AVX2_ONLY)) is False
    assert utils.use_bf16("auto", utils.cpu_flags(AVX512_BF16)) is True
    assert utils.use_bf16("auto", utils.cpu_flags(AMX)) is True


def test_an_explicit_choice_wins_on_any_cpu():
    assert utils.use_bf16("bf16", utils.cpu_flags(AVX2_ONLY)) is True
    assert utils.use_bf16("fp32", utils.cpu_flags(AMX)) is False
