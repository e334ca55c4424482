"""Write YAML the way editors write it: Chinese as is, block style, long text as `|` blocks."""

from __future__ import annotations

from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):  # indent list items under their key
        return super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


def _list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    """Short lists of numbers or words on one line: ``new: [3, 1, 0, 0, 0, 0, 4]``, ``levels: [县级, 乡级]``."""
    scalars = all(isinstance(v, (int, float)) or (isinstance(v, str) and "\n" not in v) for v in value)
    flow = bool(value) and scalars and sum(len(str(v)) + 2 for v in value) <= 48
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _list)


def dump(data: Any, comment: str | None = None) -> str:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return (f"# {comment}\n" if comment else "") + text


def scalar(value: str) -> str:
    """One value as it may stand after ``key: `` on a line of its own (quoted where YAML needs it)."""
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, width=1000).removesuffix("\n...\n").rstrip("\n")
