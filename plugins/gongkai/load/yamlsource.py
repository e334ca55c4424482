"""Read a YAML file into plain values while remembering where every value was written.

PyYAML composes a file into nodes that each carry a start mark; we build the Python
values from those nodes ourselves and keep a map from field path (``("staff", 1,
"phone")``) to position, so that a validator reporting paths can be turned into
``file:line:column``.

Two deliberate departures from plain ``yaml.safe_load``:

* Every scalar is kept as text (only an empty value or ``null``/``~`` becomes ``None``).
  YAML 1.1 would silently turn ``0595`` into 595 (an octal number), ``no`` into False and
  ``2020-13-01`` into a crash; the record schema decides what a field's type is instead.
* A key written twice in one mapping is an error, where PyYAML keeps the last one and
  drops the other without a word.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..findings import FieldPath, Finding, Position, SourceMap, error
from ..model.labels import dotted

try:  # libyaml is bundled in PyYAML's wheels; fall back to pure Python if it is not.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = FieldPath

_NULL_TAG = "tag:yaml.org,2002:null"
_MAX_DEPTH = 50
_MAX_VALUES = 500_000
"""Values in one file, aliases expanded: a 标准目录 of 5,000 rows has about 100,000. Ten lines
of nested aliases (a "billion laughs") would otherwise expand to billions."""
_MAX_ALIASES = 100


class YamlProblem(Exception):
    def __init__(self, finding: Finding):
        super().__init__(str(finding))
        self.finding = finding


def parse(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document; raise `YamlProblem` with a Chinese message if it is not one."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = Position(file, mark.line + 1, mark.column + 1) if mark else Position(file)
        raise YamlProblem(error(position, _syntax_message(exc))) from None
    except yaml.YAMLError as exc:  # e.g. a second document in the same file
        raise YamlProblem(error(Position(file), f"YAML 格式错误：{exc}")) from None
    if node is None:
        raise YamlProblem(error(Position(file, 1, 1), "文件为空"))
    builder = _Builder(file)
    value = builder.build(node, (), 0)
    return value, SourceMap(file, builder.marks, builder.keys)


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "无法解析"
    if "expected a single document" in str(exc):
        return "一个文件只能写一条记录（发现了多余的 “---” 分隔线）"
    return (
        f"YAML 语法错误（{problem}）。常见原因：缩进不一致、冒号后缺少空格、"
        "引号未闭合，或在文本中使用了未加引号的 “: ” 或 “#”"
    )


class _Builder:
    """Plain values from nodes, within the limits on depth, size and aliases."""

    def __init__(self, file: str):
        self.file = file
        self.marks: dict[Path, tuple[int, int]] = {}
        self.keys: dict[Path, tuple[int, int]] = {}
        self.values = 0
        self.seen: set[int] = set()
        self.aliases = 0

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise YamlProblem(error(self._at(node), f"嵌套层级过深（超过 {_MAX_DEPTH} 层；是否使用了自引用的锚点？）"))
        self.values += 1
        if self.values > _MAX_VALUES:
            raise YamlProblem(error(self._at(node), f"文件中的值超过 {_MAX_VALUES} 个（锚点 & 和别名 * 展开后）；请拆分文件，或不用别名"))
        if isinstance(node, yaml.CollectionNode):
            if id(node) in self.seen:  # the same node again: an alias
                self.aliases += 1
                if self.aliases > _MAX_ALIASES:
                    raise YamlProblem(error(self._at(node), f"别名（*）引用超过 {_MAX_ALIASES} 次；请直接写出内容"))
            self.seen.add(id(node))
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == _NULL_TAG and not getattr(node, "style", None):  # plain (libyaml says "", PyYAML None)
            return None
        return node.value

    def mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(error(self._at(key_node), "字段名必须是简单文本"))
            key = key_node.value
            if key in result:
                raise YamlProblem(
                    error(self._at(key_node), f"字段“{key}”在同一层重复出现；请删除或合并其中一个", dotted(path + (key,)))
                )
            self.keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result

    def _at(self, node: yaml.Node) -> Position:
        return Position(self.file, node.start_mark.line + 1, node.start_mark.column + 1)
