"""Command-line options generated from a config dataclass, so each option is written once (its field).

Booleans that default to True become --NAME/--no-NAME, those that default to False become --NAME; a field's
metadata may carry "help" and "choices"; Optional[...] fields take '' for None.
"""
from __future__ import annotations

import argparse
import dataclasses
import typing


def _base_type(tp):
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return args[0] if typing.get_origin(tp) is typing.Union and args else tp


def _optional(tp) -> bool:
    return typing.get_origin(tp) is typing.Union and type(None) in typing.get_args(tp)


def add_arguments(parser: argparse.ArgumentParser, cls, defaults: dict = None, only=None, skip=()) -> None:
    """One option per field of cls (only those named in `only` when given; none named in `skip`, e.g. fields
    that a parent parser already declares)."""
    defaults = defaults or {}
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if (only is not None and f.name not in only) or f.name in skip:
            continue
        tp, flag = hints[f.name], "--" + f.name.replace("_", "-")
        default = defaults.get(f.name, f.default)
        help_text = f.metadata.get("help", "")
        if _base_type(tp) is bool:
            if default:
                parser.add_argument(flag, dest=f.name, action=argparse.BooleanOptionalAction,
                                    help=help_text or f"--no-{f.name.replace('_', '-')} turns {f.name} off")
            else:
                parser.add_argument(flag, dest=f.name, action="store_true", help=help_text)
            parser.set_defaults(**{f.name: default})
            continue
        base = _base_type(tp)
        conv = (lambda v, b=base: None if v == "" else b(v)) if _optional(tp) else base
        kwargs = {"dest": f.name, "type": conv, "default": default,
                  "help": (help_text + " " if help_text else "") + f"(default: {default})"}
        if "choices" in f.metadata:
            kwargs["choices"] = list(f.metadata["choices"])
        parser.add_argument(flag, **kwargs)


def parent_parser(cls, names, defaults: dict = None) -> argparse.ArgumentParser:
    """A parser without -h holding the options of the named fields, for argparse's parents=[...]: sub-commands
    that share an option take it from here, so it is declared once."""
    parser = argparse.ArgumentParser(add_help=False)
    add_arguments(parser, cls, defaults, only=names)
    return parser


def from_args(cls, namespace: argparse.Namespace):
    return cls(**{f.name: getattr(namespace, f.name) for f in dataclasses.fields(cls)})
