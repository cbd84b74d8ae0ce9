"""rules/ imports nothing from Django (the Django side imports rules/, never the reverse)."""

import ast
import subprocess
import sys
from pathlib import Path

RULES = Path(__file__).resolve().parents[2] / "rules"


def test_no_module_in_rules_imports_django():
    for path in RULES.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n == "django" or n.startswith("django.") for n in names), path


def test_the_rules_run_without_django_installed_in_the_process():
    code = ("import sys; sys.modules['django'] = None; import rules.cli, rules.allowance, "
            "rules.grants.jobbsjansen_2026, rules.eligibility, rules.conditions, rules.goals; "
            "print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=RULES.parent)
    assert result.stdout.strip() == "ok", result.stderr
