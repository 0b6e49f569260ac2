"""The daemon as any gRPC user sees it: Python's standard `grpcio` client with its default
channel options over the Unix socket (grpc-core then sends the socket's path as `:authority`),
server reflection as `grpcurl list`/`describe` use it, and a call built only from what
reflection returns (no generated stubs)."""
import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
import pytest
from grpc_reflection.v1alpha import reflection_pb2

from conftest import ENDPOINT

SOURCE = b"def add(a, b):\n    return a + b\n"


def _channel():
    # Default options on purpose: no grpc.default_authority, no ssl, the plain unix: target.
    return grpc.insecure_channel(ENDPOINT)


# v1 (what grpcurl asks first) and v1alpha (older clients) have the same messages.
REFLECTION = ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"]


def _reflection(channel, service):
    return channel.stream_stream(
        "/%s/ServerReflectionInfo" % service,
        request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
        response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
    )


def _reflect(stub, **request):
    replies = list(stub(iter([reflection_pb2.ServerReflectionRequest(**request)]), timeout=10))
    assert len(replies) == 1
    return replies[0]


def test_default_grpcio_channel_calls_the_daemon():
    with _channel() as channel:
        stats = channel.unary_unary("/kcache.v1.KernelCache/Stats")
        reply = stats(b"", timeout=10)  # an empty StatsRequest; the reply's bytes are a StatsReply
        assert isinstance(reply, bytes)
        health = channel.unary_unary("/grpc.health.v1.Health/Check")
        # HealthCheckRequest{service: "kcache.v1.KernelCache"}; the reply is {status: SERVING (1)}
        name = b"kcache.v1.KernelCache"
        assert health(b"\x0a" + bytes([len(name)]) + name, timeout=10) == b"\x08\x01"


@pytest.mark.parametrize("service", REFLECTION)
def test_reflection_lists_and_describes_the_services(service):
    with _channel() as channel:
        stub = _reflection(channel, service)
        services = {s.name for s in _reflect(stub, list_services="").list_services_response.service}
        assert {"kcache.v1.KernelCache", "grpc.health.v1.Health", service} <= services
        files = _reflect(stub, file_containing_symbol="kcache.v1.KernelCache").file_descriptor_response
        protos = [descriptor_pb2.FileDescriptorProto.FromString(b) for b in files.file_descriptor_proto]
        kcache_proto = next(p for p in protos if p.package == "kcache.v1")
        methods = {m.name for s in kcache_proto.service for m in s.method}
        assert {"Compile", "Stats", "Explain", "GetArtifact"} <= methods


def test_compile_with_types_from_reflection_only():
    """What grpcurl does: fetch the schema from the daemon, then call Compile with it."""
    with _channel() as channel:
        stub = _reflection(channel, REFLECTION[0])
        files = _reflect(stub, file_containing_symbol="kcache.v1.KernelCache").file_descriptor_response
        pool = descriptor_pool.DescriptorPool()
        protos = [descriptor_pb2.FileDescriptorProto.FromString(b) for b in files.file_descriptor_proto]
        pending = list(protos)
        while pending:  # add each file after the files it imports
            for p in list(pending):
                if all(dep in {q.name for q in protos if q not in pending} for dep in p.dependency):
                    pool.Add(p)
                    pending.remove(p)
        request_cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("kcache.v1.CompileRequest"))
        reply_cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("kcache.v1.CompileReply"))
        compile_ = channel.unary_unary(
            "/kcache.v1.KernelCache/Compile",
            request_serializer=request_cls.SerializeToString,
            response_deserializer=reply_cls.FromString,
        )
        request = request_cls(source=SOURCE, entry="add", signature="float64(float64, float64)")
        first = compile_(request, timeout=60)
        assert len(first.digest) == 64 and len(first.artifact) > 0
        again = compile_(request, timeout=60)
        assert again.cache_hit and again.digest == first.digest

        try:
            compile_(request_cls(source=b"def add(a, b):\n    return a +\n", entry="add",
                                 signature="float64(float64, float64)"), timeout=60)
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.INVALID_ARGUMENT, e
            assert "2:" in e.details(), e.details()
        else:
            raise AssertionError("a syntax error compiled")
