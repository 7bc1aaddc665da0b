"""The proxy in front of the delivery tests' moto servers (``moto_gaps.py``): a gap is
refused at once, everything else reaches moto, and an SDK retry of an operation moto
already answered gets that answer instead of running the operation twice."""

from __future__ import annotations

import http.client
import json

import pytest

from .moto_gaps import MotoGapProxy


@pytest.fixture(scope="module")
def proxy(own_moto: MotoGapProxy) -> MotoGapProxy:
    """This module's moto server behind the proxy (conftest's ``own_moto``)."""
    return own_moto


def _call(proxy: MotoGapProxy, target: str, body: dict, invocation: str,
          attempt: int) -> tuple[int, dict]:
    port = int(proxy.endpoint_url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/", body=json.dumps(body), headers={
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target,
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-2/"
                             "dynamodb/aws4_request, SignedHeaders=host, Signature=x",
            "amz-sdk-invocation-id": invocation, "amz-sdk-request": f"attempt={attempt}; max=3"})
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read() or b"{}")
    finally:
        connection.close()


TABLE = {"TableName": "locks", "BillingMode": "PAY_PER_REQUEST",
         "AttributeDefinitions": [{"AttributeName": "LockID", "AttributeType": "S"}],
         "KeySchema": [{"AttributeName": "LockID", "KeyType": "HASH"}]}


def test_a_retry_of_an_answered_operation_gets_moto_s_answer(proxy: MotoGapProxy) -> None:
    put = {"TableName": "locks", "Item": {"LockID": {"S": "state"}},
           "ConditionExpression": "attribute_not_exists(LockID)"}
    assert _call(proxy, "DynamoDB_20120810.CreateTable", TABLE, "create", 1)[0] == 200
    assert _call(proxy, "DynamoDB_20120810.PutItem", put, "lock-1", 1)[0] == 200
    # The SDK's second attempt of the same PutItem: moto's first answer, not a
    # ConditionalCheckFailed on the lock that first attempt took.
    assert _call(proxy, "DynamoDB_20120810.PutItem", put, "lock-1", 2)[0] == 200
    assert len(proxy.replayed) == 1 and "PutItem attempt 2" in proxy.replayed[0]
    # A new operation (another invocation) still reaches moto and meets the lock.
    status, body = _call(proxy, "DynamoDB_20120810.PutItem", put, "lock-2", 1)
    assert status == 400 and "ConditionalCheckFailed" in body["__type"]
    # A first attempt is never answered from memory, even with a known invocation id.
    assert _call(proxy, "DynamoDB_20120810.CreateTable", TABLE, "create", 1)[0] == 400


def test_a_gap_is_refused_at_once_and_named(proxy: MotoGapProxy) -> None:
    status, body = _call(proxy, "RedshiftServerless.CreateNamespace", {}, "gap", 1)
    assert status == 400 and body["__type"] == "NotImplementedByMoto"
    assert "RedshiftServerless.CreateNamespace" in proxy.refused
