"""The XML-RPC response writer gives what the standard library writes."""

from __future__ import annotations

import xmlrpc.client

import pytest

from core.http.rpc import xmlrpc_response

VALUES = [
    [{"id": 7, "name": "Acme <&> 台北貿易", "ref": False, "active": True, "rate": 0.125,
      "company_id": [1, "My Company"], "category_id": [3, 4], "note": None,
      "nested": {"a": [1, [2, {"b": "c"}]]}}],
    0, -2**31, 2**31 - 1, 1.5, "", "x]]>y", True, False, None, {}, [], (1, "a"),
    xmlrpc.client.Binary(b"\x00\x01"), xmlrpc.client.DateTime("20261126T10:00:00"),
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_same_text_as_the_standard_library(value):
    expected = xmlrpc.client.dumps((value,), methodresponse=True, allow_none=True)
    assert xmlrpc_response(value) == expected


def test_refuses_what_the_standard_library_refuses():
    with pytest.raises(OverflowError):
        xmlrpc_response([2**40])
    with pytest.raises(TypeError):
        xmlrpc_response({1: "a"})
