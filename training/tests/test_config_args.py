"""The training command line is generated from TrainConfig: every field is an option, written once."""
import argparse
import dataclasses

from lesion_training import config_args
from lesion_training.train import TrainConfig


def parse(*argv, defaults=None):
    p = argparse.ArgumentParser()
    config_args.add_arguments(p, TrainConfig, defaults)
    return config_args.from_args(TrainConfig, p.parse_args(list(argv)))


def test_no_arguments_give_the_dataclass_defaults():
    assert parse() == TrainConfig()


def test_every_field_is_an_option():
    cfg = parse("--model", "triagenet", "--colour", "shades_of_gray", "--tta", "2", "--epochs", "3",
                "--lr", "0.0005", "--no-batchnorm", "--precision", "fp32", "--balance", "source_sampler",
                "--label-smoothing", "0.1", "--ham10000", "", "--limit-train", "40", "--run-name", "x")
    assert cfg.model == "triagenet" and cfg.colour == "shades_of_gray" and cfg.tta == 2 and cfg.epochs == 3
    assert cfg.lr == 0.0005 and cfg.batchnorm is False and cfg.precision == "fp32"
    assert cfg.balance == "source_sampler" and cfg.label_smoothing == 0.1
    assert cfg.ham10000 is None and cfg.limit_train == 40 and cfg.run_name == "x"
    p = argparse.ArgumentParser()
    config_args.add_arguments(p, TrainConfig)
    dests = {a.dest for a in p._actions}
    assert {f.name for f in dataclasses.fields(TrainConfig)} <= dests


def test_command_line_defaults_override_the_dataclass():
    assert parse(defaults={"data": "/d", "threads": 1}).data == "/d"
    assert parse(defaults={"threads": 1}).threads == 1


def test_version_3_options():
    cfg = parse("--model", "mobilenet_v2", "--width", "0.5", "--image-size", "160", "--no-pretrained",
                "--optimizer", "adamw", "--backbone-lr-factor", "0.1", "--freeze-epochs", "1")
    assert cfg.model == "mobilenet_v2" and cfg.width == 0.5 and cfg.image_size == 160 and cfg.pretrained is False
    assert cfg.optimizer == "adamw" and cfg.backbone_lr_factor == 0.1 and cfg.freeze_epochs == 1
    assert parse("--pretrained").pretrained is True and parse().pretrained is True
    assert parse().image_size == 128 and parse().optimizer == "adam" and parse().backbone_lr_factor == 1.0
    assert parse("--batchnorm").batchnorm is True and parse("--no-batchnorm").batchnorm is False
