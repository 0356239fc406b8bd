"""The sentences genart's code writes for a person (refusals, warnings and notices), read from the source as
templates: an f-string's values become named fields ("{name} must be from {low} to {high}, got {value}."), named
after the expression that fills them. The catalogue (genart/locale) keys its translations by these templates."""
import ast
import collections
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "genart"
SENTENCE_CALLS = {"GenartError", "gr.Error", "gr.Warning", "gr.Info"}


def field_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return "type" if node.attr == "__name__" else node.attr
    if isinstance(node, ast.Call):
        inner = field_name(node.func)
        return f"{inner}_{field_name(node.args[0])}" if node.args else inner
    if isinstance(node, (ast.Subscript, ast.Starred)):
        return field_name(node.value)
    if isinstance(node, ast.BinOp):
        return field_name(node.left)
    return "value"


def template(node: ast.expr) -> str | None:
    """An English sentence's template, or None when the node is not a literal string or f-string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}")
    if not isinstance(node, ast.JoinedStr):
        return None
    parts, seen = [], collections.Counter()
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(value.value.replace("{", "{{").replace("}", "}}"))
            continue
        name = field_name(value.value)
        seen[name] += 1
        parts.append("{%s}" % (name if seen[name] == 1 else f"{name}{seen[name]}"))
    return "".join(parts)


def _notice_value(node: ast.AST) -> ast.expr | None:
    """The string an assignment to a name ending in `notice` (or an `if` expression's branch of it) gives."""
    if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("notice") for t in node.targets):
        return node.value
    return None


def shown_sentences() -> dict[str, list[str]]:
    """template -> where it is written (file:line), for every refusal, warning and notice in genart's code."""
    found = collections.defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            values = []
            if isinstance(node, ast.Call) and node.args and ast.unparse(node.func) in SENTENCE_CALLS:
                values.append(node.args[0])
            notice = _notice_value(node)
            if notice is not None:
                values.extend([notice.body, notice.orelse] if isinstance(notice, ast.IfExp) else [notice])
            for value in values:
                text = template(value)
                if text:
                    found[text].append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return dict(found)
