# SPDX-License-Identifier: MIT
# Decodes what otlp_receiver.py stored (DIR/req-N.json and .bin) with the official
# OpenTelemetry definitions (tests/otlp, compiled by protoc into GEN), never with
# joinrun's code, and prints one JSON object {"requests": [...], "spans": [...]}:
# spans of the requests answered 2xx, each {trace_id, span_id, parent_span_id (hex),
# trace_state, name, kind, start_ns, end_ns, status_code, status_message, attrs,
# events [{name, t, attrs}], resource}.  usage: /usr/bin/python3 otlp_decode.py GEN DIR
import glob, gzip, json, os, sys

sys.path.insert(0, sys.argv[1])
from google.protobuf import json_format  # noqa: E402
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2  # noqa: E402

def value(v):
    kind = v.WhichOneof("value")
    if kind == "array_value":
        return [value(x) for x in v.array_value.values]
    return getattr(v, kind) if kind else None

def spans_of(req):
    out = []
    for rs in req.resource_spans:
        res = {kv.key: value(kv.value) for kv in rs.resource.attributes}
        for ss in rs.scope_spans:
            for s in ss.spans:
                out.append({
                    "trace_id": s.trace_id.hex(), "span_id": s.span_id.hex(),
                    "parent_span_id": s.parent_span_id.hex(), "trace_state": s.trace_state,
                    "name": s.name, "kind": s.kind, "start_ns": s.start_time_unix_nano,
                    "end_ns": s.end_time_unix_nano, "status_code": s.status.code,
                    "status_message": s.status.message,
                    "attrs": {kv.key: value(kv.value) for kv in s.attributes},
                    "events": [{"name": e.name, "t": e.time_unix_nano,
                                "attrs": {kv.key: value(kv.value) for kv in e.attributes}}
                               for e in s.events],
                    "resource": res, "scope": ss.scope.name})
    return out

def parse(body, json_body):
    req = trace_service_pb2.ExportTraceServiceRequest()
    if json_body:
        # OTLP/JSON's ids are hex, where protobuf's JSON mapping says base64: turn them
        # into base64 first, as the OTLP specification tells a receiver to.
        import base64
        d = json.loads(body)
        for rs in d.get("resourceSpans", []):
            for ss in rs.get("scopeSpans", []):
                for s in ss.get("spans", []):
                    for k in ("traceId", "spanId", "parentSpanId"):
                        if k in s:
                            s[k] = base64.b64encode(bytes.fromhex(s[k])).decode()
        json_format.ParseDict(d, req)  # strict: an unknown field is an error
    else:
        req.ParseFromString(body)
    return req

out = {"requests": [], "spans": []}
for m in sorted(glob.glob(os.path.join(sys.argv[2], "req-*.json")),
                key=lambda p: int(p.split("-")[-1][:-5])):
    meta = json.load(open(m))
    body = open(m[:-5] + ".bin", "rb").read()
    h = meta["headers"]
    if h.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    ctype = h.get("content-type", "")
    spans = spans_of(parse(body, "json" in ctype))
    out["requests"].append({"n": meta["n"], "path": meta["path"], "status": meta["status"],
                            "t": meta["t"], "content_type": ctype,
                            "encoding": h.get("content-encoding", ""), "headers": h,
                            "spans": len(spans), "raw": body.decode("latin-1") if "json" in ctype else ""})
    if 200 <= meta["status"] < 300:
        out["spans"].extend(spans)
json.dump(out, sys.stdout)
