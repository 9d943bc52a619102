"""The command line: every command keeps its options, and an option several commands take is declared once."""
import argparse
from collections import Counter

import pytest

from lesion_training import cli

# every command's options as scripts call them (-h left out); changing one breaks someone's script
OPTIONS = {
    "train": {"--augment", "--backbone-lr-factor", "--balance", "--batch-size", "--batchnorm", "--cache-dir",
              "--colour", "--data", "--dropout", "--epochs", "--freeze-epochs", "--ham10000", "--head", "--image-size",
              "--label-smoothing", "--limit-train", "--limit-val", "--lr", "--match-resolution", "--match-resolution-p",
              "--min-lr-ratio", "--model", "--no-augment",
              "--no-batchnorm", "--no-pretrained", "--no-progress", "--no-verify-hashes", "--optimizer",
              "--output-dir", "--precision", "--pretrained", "--resume", "--run-name", "--schedule", "--seed",
              "--threads", "--tta", "--verify-hashes", "--warmup-epochs", "--weight-decay", "--width"},
    "verify-data": {"--data", "--external", "--ham10000", "--no-hashes"},
    "evaluate": {"--bootstrap", "--cache-dir", "--data", "--external", "--limit", "--out", "--run", "--tta"},
    "export": {"--comparison", "--docs-card", "--note", "--notes", "--out", "--report", "--run", "--version"},
    "golden": {"--check", "--model-dir", "--run"},
    "evaluate-model": {"--bootstrap", "--cache-dir", "--data", "--external", "--model-dir", "--out", "--trained-on"},
    "quantize": {"--bootstrap", "--cache-dir", "--calibration-images", "--data", "--external", "--model-dir",
                 "--no-evaluate", "--out"},
    "compare": {"--out", "reports"},
    "smoke": {"--data", "--external", "--ham10000", "--keep", "--limit", "--model", "--no-progress", "--synthetic",
              "--threads"},
}


def _if_present(folder):
    return str(folder) if (folder / "MANIFEST.tsv").is_file() else None


SHARED_DATA = cli.REPO_ROOT / ".." / "shared" / "data"
# the shared options, which commands take them, and the defaults they had when each command declared its own
SHARED = {
    "--data": ({"train", "verify-data", "evaluate", "evaluate-model", "quantize", "smoke"},
               str(SHARED_DATA / "isic")),
    "--cache-dir": ({"train", "evaluate", "evaluate-model", "quantize"}, str(cli.REPO_ROOT / "runs" / "cache")),
    "--ham10000": ({"train", "verify-data", "smoke"}, _if_present(SHARED_DATA / "ham10000")),
    "--external": ({"verify-data", "evaluate", "evaluate-model", "quantize", "smoke"}, _if_present(SHARED_DATA / "isic2018-test")),
    "--bootstrap": ({"evaluate", "evaluate-model", "quantize"}, 2000),
    "--threads": ({"train", "smoke"}, 2),
    "--no-progress": ({"train", "smoke"}, True),
    "--model-dir": ({"golden", "evaluate-model", "quantize"}, None),
}


@pytest.fixture(scope="module")
def commands():
    ap = cli.build_parser()
    sub = next(a for a in ap._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices


def _options(parser):
    return Counter(o for a in parser._actions for o in (a.option_strings or [a.dest]) if o not in ("-h", "--help"))


def test_every_command_keeps_its_options_each_once(commands):
    assert list(commands) == ["train", "verify-data", "evaluate", "export", "golden", "evaluate-model", "quantize",
                              "compare", "smoke"]
    for name, parser in commands.items():
        counts = _options(parser)
        assert set(counts) == OPTIONS[name], name
        assert max(counts.values()) == 1, (name, counts)


def test_shared_options_are_declared_once_with_their_defaults(commands):
    for flag, (users, default) in SHARED.items():
        assert {n for n, p in commands.items() if flag in _options(p)} == users, flag
        actions = {id(a): a for n in users for a in commands[n]._actions if flag in a.option_strings}
        assert len(actions) == 1, f"{flag} is declared {len(actions)} times"
        assert next(iter(actions.values())).default == default, flag
    assert commands["evaluate"].parse_args(["--run", "r"]).bootstrap == 2000
    assert commands["golden"]._option_string_actions["--model-dir"].required


def test_run_is_shared_where_it_is_required(commands):
    actions = {id(commands[n]._option_string_actions["--run"]) for n in ("evaluate", "export")}
    assert len(actions) == 1 and commands["export"]._option_string_actions["--run"].required
    assert not commands["golden"]._option_string_actions["--run"].required


def test_empty_folder_options_mean_none(commands):
    a = commands["smoke"].parse_args(["--ham10000", "", "--external", ""])
    assert a.ham10000 is None and a.external is None
    a = commands["evaluate"].parse_args(["--run", "r", "--cache-dir", ""])
    assert a.cache_dir is None
