"""The OpenAPI schema documents what the API really does: error responses, Idempotency-Key, public descriptions."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from core import views as core_views

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op) for path, ops in schema["paths"].items() for method, op in ops.items() if method in METHODS
    ]


def test_every_post_documents_the_idempotency_key_header(schema):
    missing = [
        f"POST {path}"
        for method, path, op in operations(schema)
        if method == "post"
        and not any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in op.get("parameters", []))
    ]
    assert missing == []


def test_every_operation_documents_its_errors_in_the_one_error_shape(schema):
    error_ref = "#/components/schemas/Error"
    wrong = []
    for method, path, op in operations(schema):
        secured = {} not in op.get("security", [{}])
        expected = {"400", "404"} | ({"401", "403"} if secured else set())
        if method in ("post", "patch"):
            expected |= {"415"}
        if method == "post":
            expected |= {"409", "422"}
        documented = {status for status in op["responses"] if status[0] in "45"}
        refs = {op["responses"][s]["content"]["application/json"]["schema"]["$ref"] for s in documented}
        if not expected <= documented or refs - {error_ref}:
            wrong.append(f"{method.upper()} {path}: {sorted(documented)}")
    assert wrong == []
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"error"}


def test_no_operation_shows_a_docstring_of_the_plumbing_as_its_description(schema):
    plumbing = {
        inspect.cleandoc(cls.__doc__)
        for cls in vars(core_views).values()
        if inspect.isclass(cls) and cls.__module__ == core_views.__name__ and cls.__doc__
    }
    assert plumbing, "core.views has documented base classes to compare against"
    shown = [(f"{method.upper()} {path}", op.get("description", "")) for method, path, op in operations(schema)]
    assert [name for name, text in shown if not text] == []
    assert [name for name, text in shown if text in plumbing] == []
