#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# joinrun --otlp, --otlp-file, --propagate: what a real HTTP receiver on
# 127.0.0.1 gets, decoded with the official OpenTelemetry definitions (tests/otlp):
# a known tree with every kind of end, TRACEPARENT in and out along every way a
# process is made, retries (503, 429 with Retry-After), no retry of a 400, a dead, a
# hanging and a garbage endpoint that change no exit status and no log, partial
# success, gzip, http/json, --otlp-file, a saved log sent again with the same ids,
# header secrets never shown, and a clear error for each bad variable.
. "$(dirname "$0")/lib.sh"
JR=$B/joinrun
PY=/usr/bin/python3
HERE=$ROOT/tests/integration
[ -x "$JR" ] || { echo "not ok otlp-built # $JR missing"; exit 1; }
if ! command -v protoc >/dev/null || ! $PY -c 'import google.protobuf' 2>/dev/null; then
  echo "not ok otlp-decoder # needs protoc and python3-protobuf: make deps"
  exit 1
fi
mkdir -p "$T/gen"
(cd "$ROOT/tests/otlp" && protoc -I . --python_out="$T/gen" \
  opentelemetry/proto/collector/trace/v1/trace_service.proto opentelemetry/proto/trace/v1/trace.proto \
  opentelemetry/proto/common/v1/common.proto opentelemetry/proto/resource/v1/resource.proto) ||
  { echo "not ok otlp-protoc"; exit 1; }
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
unset TRACEPARENT TRACESTATE OTEL_SDK_DISABLED OTEL_EXPORTER_OTLP_TRACES_ENDPOINT OTEL_EXPORTER_OTLP_ENDPOINT \
  OTEL_EXPORTER_OTLP_HEADERS OTEL_EXPORTER_OTLP_PROTOCOL OTEL_EXPORTER_OTLP_COMPRESSION \
  OTEL_SERVICE_NAME OTEL_RESOURCE_ATTRIBUTES
export OTEL_EXPORTER_OTLP_TIMEOUT=3000
cd "$T" || exit 1

receiver() { # receiver NAME MODE: starts one, sets URL
  mkdir -p "$T/$1"
  $PY "$HERE/otlp_receiver.py" "$T/$1" "$2" 120 & PIDS+=($!)
  for _ in $(seq 100); do [ -f "$T/$1/port" ] && break; sleep 0.05; done
  URL=http://127.0.0.1:$(cat "$T/$1/port")
}
decode() { $PY "$HERE/otlp_decode.py" "$T/gen" "$T/$1" >"$T/$1.json"; }
# expect NAME DECODED PYTHON: PYTHON asserts over d (the decoded JSON) and sp (its spans).
expect() {
  local name=$1 file=$2 code=$3
  check "$name" $PY -c "
import json, sys
d = json.load(open('$T/$file.json')); sp = d['spans']
by_id = {s['span_id']: s for s in sp}; by_pid = {s['attrs'].get('process.pid'): s for s in sp}
$code"
}

# 1. A known tree: exit 0, exit 3, SIGTERM, a grandchild, a zombie, an orphan, an exec
#    chain; the default protocol (protobuf) and a percent-encoded secret header.
cat >zombie.py <<'PY'
import os, time
if os.fork() == 0:
    os._exit(0)
if os.fork() == 0:  # the orphan: outlives its parent
    time.sleep(0.3)
    os._exit(0)
time.sleep(0.1)
PY
receiver tree ok
OTEL_EXPORTER_OTLP_ENDPOINT=$URL/ OTEL_EXPORTER_OTLP_HEADERS='Authorization=Bearer%20s3cr3t, x-b = 2' \
  OTEL_SERVICE_NAME=ci OTEL_RESOURCE_ATTRIBUTES='deployment.environment=test,service.name=ignored,k=a%2Cb' \
  "$JR" --otlp --argv -o tree.log -- sh -c 'true; sh -c "exit 3"; '"$PY"' -c "" "two words" ""; sleep 10 & sleep 0.1; kill -TERM $!; wait;
    sh -c "sleep 0.01; true"; sh -c "exec sh -c \"exec sleep 0.02\""; '"$PY"' zombie.py; sleep 0.4' >tree.out 2>&1
check tree-status test $? = 0
decode tree
expect tree-path tree 'assert all(r["path"] == "/v1/traces" and "x-protobuf" in r["content_type"] for r in d["requests"]), d["requests"]'
expect tree-headers tree 'assert all(r["headers"]["authorization"] == "Bearer s3cr3t" and r["headers"]["x-b"] == "2" for r in d["requests"])'
check tree-secret-not-shown sh -c '! grep -rq s3cr3t tree.out tree.log'
expect tree-one-trace tree 'assert len({s["trace_id"] for s in sp}) == 1 and len(sp) == len(by_id) >= 10, len(sp)'
expect tree-internal tree 'assert all(s["kind"] == 1 and s["scope"] == "libjoin" and s["start_ns"] <= s["end_ns"] for s in sp)'
expect tree-parents tree '
for s in sp:
    pp = s["attrs"].get("process.parent_pid")
    assert pp not in by_pid or s["parent_span_id"] == by_pid[pp]["span_id"], s
root = [s for s in sp if s["parent_span_id"] == ""]
assert len(root) == 1 and root[0]["name"] == "sh", root'
expect tree-exit3 tree '
s = [s for s in sp if s["attrs"].get("process.exit.code") == 3][0]
assert s["status_code"] == 2 and s["attrs"]["error.type"] == "3" and s["status_message"] == "exit 3", s'
expect tree-sigterm tree '
s = [s for s in sp if s["attrs"].get("error.type") == "SIGTERM"][0]
assert s["name"] == "sleep" and s["status_code"] == 2 and "process.exit.code" not in s["attrs"], s
assert any(e["name"] == "exit" and e["attrs"].get("libjoin.signal") == "SIGTERM" for e in s["events"]), s'
expect tree-ok-unset tree 'assert all(s["status_code"] == 0 for s in sp if s["attrs"].get("process.exit.code") == 0)'
expect tree-grandchild tree '
g = [s for s in sp if s["name"] == "sleep" and s["attrs"].get("process.command_line") == "sleep 0.01"][0]
assert by_id[g["parent_span_id"]]["name"] == "sh" and by_id[g["parent_span_id"]]["parent_span_id"] != "", g'
expect tree-exec-chain tree '
c = [s for s in sp if s["attrs"].get("process.command_line") == "sleep 0.02"][0]
assert c["name"] == "sleep" and [e["name"] for e in c["events"]][:1] == ["exec"], c
assert c["attrs"]["process.command_args"] == ["sleep", "0.02"], c'
expect tree-zombie tree '
z = [s for s in sp if s["attrs"].get("libjoin.zombie")]
# never reaped by its parent: unreaped, or reaped by joinrun (the subreaper) as an orphan
assert z and (z[0]["attrs"]["libjoin.reaped"] is False or z[0]["attrs"].get("libjoin.orphan") is True), z
assert any(e["name"] == "libjoin.zombie" for e in z[0]["events"]), z'
expect tree-args tree '
a = [s for s in sp if s["attrs"].get("process.command_args", [""])[1:] == ["-c", "", "two words", ""]]
assert len(a) == 1 and a[0]["name"] == "python3", a'
expect tree-orphan tree '
py = [s for s in sp if s["attrs"].get("process.command_args", [""])[1:] == ["zombie.py"]][0]
kids = [s for s in sp if s["parent_span_id"] == py["span_id"]]
assert len(kids) == 2 and all(k["name"] == "python3" for k in kids), kids
assert all(k["attrs"]["libjoin.reaped"] is False or k["attrs"].get("libjoin.orphan") is True for k in kids), kids'
expect tree-reap tree '
s = [s for s in sp if s["attrs"].get("process.exit.code") == 3][0]
r = [e for e in s["events"] if e["name"] == "reap"][0]
assert s["attrs"]["libjoin.reaper.pid"] == s["attrs"]["process.parent_pid"] and r["attrs"]["libjoin.reap.call"], s'
expect tree-cpu tree 'assert all(s["attrs"].get("libjoin.cpu.user_inclusive_ms", 0) >= 0 and "libjoin.maxrss_kb" in s["attrs"] for s in sp if s["attrs"].get("libjoin.reaped"))'
expect tree-resource tree '
r = sp[0]["resource"]
assert r["service.name"] == "ci" and r["deployment.environment"] == "test" and r["k"] == "a,b" and r["os.type"] == "linux" and r["host.name"], r'
check tree-log-kept grep -q '"event":"reap"' tree.log

# 2. TRACEPARENT in: the root's parent, the trace, and TRACESTATE carried.
receiver tp ok
TRACEPARENT=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 TRACESTATE=vendor=x \
  OTEL_EXPORTER_OTLP_ENDPOINT=$URL "$JR" --otlp -- sh -c 'true' >/dev/null 2>&1
decode tp
expect tp-joins tp '
assert sp and all(s["trace_id"] == "0af7651916cd43dd8448eb211c80319c" and s["trace_state"] == "vendor=x" for s in sp)
assert [s["parent_span_id"] for s in sp if s["parent_span_id"] not in by_id] == ["b7ad6b7169203331"], sp'
TRACEPARENT=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331 OTEL_EXPORTER_OTLP_ENDPOINT=$URL \
  "$JR" --otlp -- true >/dev/null 2>tpbad.err
check tp-invalid-said grep -q '^joinrun: TRACEPARENT=.*not a W3C traceparent' tpbad.err

# 3. --propagate: each process that execs finds TRACEPARENT naming its own span, made
#    by dash's vfork, fork, Python's subprocess, posix_spawn and system().
cat >who.py <<'PY'
import os, sys
with open(sys.argv[1], "a") as f:
    f.write("%d %s %s\n" % (os.getpid(), os.environ.get("TRACEPARENT", "-"), sys.argv[2]))
PY
cat >ways.py <<PY
import os, subprocess, sys
w = "$T/who.py"; out = "$T/seen"
subprocess.run(["$PY", w, out, "subprocess"])
pid = os.posix_spawn("$PY", ["$PY", w, out, "posix_spawn"], os.environ); os.waitpid(pid, 0)
os.system("$PY %s %s system" % (w, out))
pid = os.fork()
if pid == 0:
    os.execv("$PY", ["$PY", w, out, "fork"])
os.waitpid(pid, 0)
pid = os.fork()
if pid == 0:  # forked twice without exec: the grandchild's parent is this child
    p2 = os.fork()
    if p2 == 0:
        os.execv("$PY", ["$PY", w, out, "fork-fork"])
    os.waitpid(p2, 0); os._exit(0)
os.waitpid(pid, 0)
PY
receiver prop ok
OTEL_EXPORTER_OTLP_ENDPOINT=$URL "$JR" --otlp --propagate -- sh -c "$PY who.py $T/seen dash; $PY ways.py; exec $PY who.py $T/seen exec" >/dev/null 2>&1
check prop-status test $? = 0
decode prop
expect prop-own-span prop '
seen = [l.split() for l in open("'"$T"'/seen")]
assert sorted(w for _, _, w in seen) == sorted(["dash", "subprocess", "posix_spawn", "system", "fork", "fork-fork", "exec"]), seen
for pid, tp, way in seen:
    v, tr, sid, fl = tp.split("-")
    s = by_id[sid]
    assert s["attrs"]["process.pid"] == int(pid) and s["trace_id"] == tr and v == "00" and fl == "01", (way, s)
    if way == "fork-fork":
        assert by_id[s["parent_span_id"]]["attrs"]["process.pid"] == s["attrs"]["process.parent_pid"], s
    if way == "exec":
        assert s["parent_span_id"] == "" and s["name"] == "python3", s'
# without --propagate the environment is left as it is
OTEL_EXPORTER_OTLP_ENDPOINT=$URL TRACEPARENT=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 \
  "$JR" --otlp -- sh -c 'printenv TRACEPARENT' >noprop.out 2>/dev/null
check prop-off-untouched grep -qx 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 noprop.out
check prop-needs-export sh -c '"$1" --propagate -- true; test $? = 2' sh "$JR"

# 4. Retries: 503 twice then 200 (gzip); 429 with Retry-After: 1 waited; 400 not retried.
receiver retry 503x2
OTEL_EXPORTER_OTLP_ENDPOINT=$URL OTEL_EXPORTER_OTLP_COMPRESSION=gzip "$JR" --otlp -- sh -c '/bin/true; /bin/true' >/dev/null 2>&1
decode retry
expect retry-503 retry '
assert [r["status"] for r in d["requests"]] == [503, 503, 200] and all(r["encoding"] == "gzip" for r in d["requests"]), d["requests"]
assert len(sp) == 3 == len(by_id), len(sp)'
receiver r429 429
OTEL_EXPORTER_OTLP_ENDPOINT=$URL "$JR" --otlp -- true >/dev/null 2>&1
decode r429
expect retry-after r429 '
r = d["requests"]
assert [x["status"] for x in r] == [429, 200] and r[1]["t"] - r[0]["t"] >= 0.9, r'
receiver r400 400
OTEL_EXPORTER_OTLP_ENDPOINT=$URL "$JR" --otlp -- sh -c 'exit 4' >/dev/null 2>r400.err
check r400-status test $? = 4
decode r400
expect r400-once r400 'assert len(d["requests"]) == 1, d["requests"]'
check r400-said grep -q 'HTTP 400.*joinrun --report' r400.err

# 4b. Spans stream while the tree runs: the processes done go within about 5 s,
#     the rest at the end, none twice.
receiver stream ok
s0=$($PY -c 'import time; print(time.time())')
OTEL_EXPORTER_OTLP_ENDPOINT=$URL "$JR" --otlp -- sh -c '/bin/true; /bin/true; sleep 7; /bin/true' >/dev/null 2>&1
s1=$($PY -c 'import time; print(time.time())')
decode stream
# a log that holds an earlier run: this run's trace has this run's processes only
OTEL_EXPORTER_OTLP_ENDPOINT=$URL "$JR" --otlp -o two.log -- sh -c '/bin/true; /bin/true; sleep 6' >/dev/null 2>&1
receiver stream2 ok
OTEL_EXPORTER_OTLP_ENDPOINT=$URL "$JR" --otlp -o two.log -- sh -c '/bin/false; sleep 6' >/dev/null 2>&1
decode stream2
expect stream-this-run stream2 'assert len(d["requests"]) >= 2 and sorted(s["name"] for s in sp) == ["false", "sh", "sleep"], sp'
expect stream-early stream '
r = d["requests"]
assert len(r) >= 2 and r[0]["t"] < '"$s1"' - 1 and r[0]["spans"] == 2, r
assert len(sp) == 5 == len(by_id), len(sp)'

# 5. A dead endpoint, a hanging one, garbage and a partial success: the exit status and
#    log untouched, one message, bounded time.
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
s0=$(date +%s%N)
OTEL_EXPORTER_OTLP_TIMEOUT=1500 OTEL_EXPORTER_OTLP_HEADERS='x-api-key=s3cr3t-dead' \
  OTEL_EXPORTER_OTLP_ENDPOINT=http://user:pw@127.0.0.1:$port "$JR" --otlp -o dead.log -- sh -c 'sh -c "exit 1"; exit 7' >dead.out 2>&1
rc=$?
s1=$(date +%s%N)
check dead-status test $rc = 7
check dead-bounded test $(( (s1 - s0) / 1000000 )) -lt 4500
check dead-said grep -q "^joinrun: otlp: 2 of 2 spans not exported to http://127.0.0.1:$port/v1/traces: .*joinrun --report $T/dead.log --otlp" dead.out
check dead-once test "$(grep -c otlp dead.out)" = 1
check dead-no-secret sh -c '! grep -q -e s3cr3t -e pw@ dead.out dead.log'
check dead-log-whole grep -c '"event":"reap"' dead.log
receiver hang hang
s0=$(date +%s%N)
OTEL_EXPORTER_OTLP_TIMEOUT=1000 OTEL_EXPORTER_OTLP_ENDPOINT=$URL "$JR" --otlp -- sh -c 'exit 5' >/dev/null 2>hang.err
rc=$?
s1=$(date +%s%N)
check hang-status test $rc = 5
check hang-bounded test $(( (s1 - s0) / 1000000 )) -lt 3000
check hang-said grep -q 'otlp: .*not exported' hang.err
receiver garbage garbage
OTEL_EXPORTER_OTLP_ENDPOINT=$URL "$JR" --otlp -- true >/dev/null 2>garbage.err
check garbage-status test $? = 0
check garbage-said grep -q 'not an ExportTraceServiceResponse' garbage.err
receiver partial partial
OTEL_EXPORTER_OTLP_ENDPOINT=$URL "$JR" --otlp -- sh -c '/bin/true; /bin/true' >/dev/null 2>partial.err
check partial-said grep -q 'rejected 2 of 3 spans' partial.err
OTEL_EXPORTER_OTLP_PROTOCOL=http/json OTEL_EXPORTER_OTLP_ENDPOINT=$URL "$JR" --otlp -- sh -c '/bin/true; /bin/true' >/dev/null 2>partial2.err
check partial-json-said grep -q 'rejected 2 of 3 spans' partial2.err

# 6. http/json (checked strictly against the official definitions), TRACES_ENDPOINT as
#    it is, --otlp=URL, --otlp-file, and a saved log sent again with the same ids.
receiver js ok
OTEL_EXPORTER_OTLP_PROTOCOL=http/json OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=$URL/custom/path \
  "$JR" --otlp -o js.log --otlp-file spans.jsonl -- sh -c 'sh -c "exit 2"' >/dev/null 2>&1
decode js
expect js-json js '
r = d["requests"][0]
assert r["path"] == "/custom/path" and r["content_type"] == "application/json", r
import re
assert re.search(r"\"traceId\":\"[0-9a-f]{32}\"", r["raw"]) and re.search(r"\"startTimeUnixNano\":\"[0-9]+\"", r["raw"]), r["raw"][:300]
assert re.search(r"\"kind\":1", r["raw"]) and re.search(r"\"intValue\":\"2\"", r["raw"]), r["raw"][:300]
assert len(sp) == 2 and any(s["status_code"] == 2 for s in sp), sp'
check js-file $PY -c '
import json, sys
lines = [json.loads(l) for l in open("spans.jsonl")]
got = sorted(s["spanId"] for l in lines for rs in l["resourceSpans"] for ss in rs["scopeSpans"] for s in ss["spans"])
sent = sorted(s["span_id"] for s in json.load(open("js.json"))["spans"])
assert got == sent, (got, sent)'
receiver again ok
"$JR" --report js.log --otlp="$URL" >/dev/null 2>&1
check again-status test $? = 0
decode again
expect again-same-ids again '
before = json.load(open("'"$T"'/js.json"))["spans"]
assert sorted((s["trace_id"], s["span_id"], s["parent_span_id"], s["start_ns"]) for s in sp) == sorted((s["trace_id"], s["span_id"], s["parent_span_id"], s["start_ns"]) for s in before)
assert d["requests"][0]["path"] == "/v1/traces"'
"$JR" --otlp-file only.jsonl -- true >/dev/null 2>&1
check file-only grep -q '"resourceSpans"' only.jsonl

# 7. Bad values: one clear message, exit 2, nothing run; OTEL_SDK_DISABLED.
bad() { # bad NAME VAR=VALUE WANT: exit 2, WANT said, CMD not run
  local name=$1 env=$2 want=$3
  rm -f ran
  env "$env" "$JR" --otlp -- touch ran >bad.out 2>&1
  check "$name" sh -c 'test $1 = 2 && test ! -e ran && grep -q -- "$2" bad.out' sh $? "$want"
}
bad bad-protocol OTEL_EXPORTER_OTLP_PROTOCOL=grpc 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc: grpc is not supported'
bad bad-traces-protocol OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/xml 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/xml: the protocols are'
bad bad-compression OTEL_EXPORTER_OTLP_COMPRESSION=br 'OTEL_EXPORTER_OTLP_COMPRESSION=br: the compressions are gzip and none'
bad bad-timeout OTEL_EXPORTER_OTLP_TIMEOUT=10s 'OTEL_EXPORTER_OTLP_TIMEOUT=10s: not a number of milliseconds'
bad bad-timeout-zero OTEL_EXPORTER_OTLP_TIMEOUT=0 'OTEL_EXPORTER_OTLP_TIMEOUT=0: not a number'
bad bad-endpoint OTEL_EXPORTER_OTLP_ENDPOINT=ftp://host 'OTEL_EXPORTER_OTLP_ENDPOINT: not an http:// or https:// URL'
bad bad-endpoint-port OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://host:/v1/traces 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: not an http'
OTEL_EXPORTER_OTLP_TIMEOUT=500 "$JR" --otlp="http://127.0.0.1:$port/v1/traces?api_key=s3cr3t-q" -- true 2>query.err
check url-query-not-shown sh -c '! grep -q s3cr3t query.err && grep -q "traces?\.\.\." query.err'
check bad-url-option sh -c '"$1" --otlp=localhost:4318 -- true 2>&1 | grep -q "^joinrun: --otlp: not an http"' sh "$JR"
bad bad-headers OTEL_EXPORTER_OTLP_HEADERS=a=1,tok3n-no-equals "OTEL_EXPORTER_OTLP_HEADERS: entry 2 has no '='"
check bad-headers-secret sh -c '! grep -q tok3n bad.out'
bad bad-header-escape OTEL_EXPORTER_OTLP_HEADERS=a=%zz 'entry 1 (a): the value is not percent-encoded'
bad bad-header-name 'OTEL_EXPORTER_OTLP_HEADERS=a b=1' 'entry 1: not a valid key'
bad bad-resource OTEL_RESOURCE_ATTRIBUTES=novalue "OTEL_RESOURCE_ATTRIBUTES: entry 1 has no '='"
bad bad-resource-utf8 OTEL_RESOURCE_ATTRIBUTES=a=1,b=%ff 'entry 2 (b): the value is not percent-encoded UTF-8'
rm -f ran
OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$port OTEL_SDK_DISABLED=TRUE "$JR" --otlp -- touch ran 2>dis.err
check disabled sh -c 'test $1 = 0 && test -e ran && grep -q "OTEL_SDK_DISABLED is true: no OpenTelemetry export" dis.err && ! grep -q "not exported" dis.err' sh $?
OTEL_EXPORTER_OTLP_ENDPOINT=$URL OTEL_SDK_DISABLED=maybe "$JR" --otlp -- true 2>dis2.err
check disabled-bad-warned grep -q 'OTEL_SDK_DISABLED=maybe: neither true nor false' dis2.err
check otlp-await-refused sh -c '"$1" --otlp -f await -- true 2>/dev/null; test $? = 2' sh "$JR"
check otlp-repeat-refused sh -c '"$1" --otlp --repeat 2 -o d -- true 2>/dev/null; test $? = 2' sh "$JR"
