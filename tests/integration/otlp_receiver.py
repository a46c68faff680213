# SPDX-License-Identifier: MIT
# An OTLP/HTTP receiver for tests/integration/otlp.sh: stores each request's path,
# headers and body (req-N.json, req-N.bin) in DIR, and answers as MODE says:
#   ok         200 (an empty ExportTraceServiceResponse)
#   503x2      503 twice (Retry-After: 0), then 200
#   429        429 with Retry-After: 1 once, then 200
#   400        400 to everything (not to be retried)
#   hang       never answers
#   garbage    200 with a body that is no ExportTraceServiceResponse
#   partial    200 with partial_success: 2 spans rejected (protobuf or JSON)
# Listens on 127.0.0.1 (port in DIR/port), stops after LIFETIME seconds.
# usage: otlp_receiver.py DIR MODE [LIFETIME]
import http.server, json, os, sys, threading, time

out, mode = sys.argv[1], sys.argv[2]
lifetime = float(sys.argv[3]) if len(sys.argv) > 3 else 120
count = 0
lock = threading.Lock()

class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        global count
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with lock:
            count += 1
            k = count
        status, extra = 200, {}
        if (mode == "503x2" and k <= 2) or mode == "400":
            status = 503 if mode == "503x2" else 400
            extra = {"Retry-After": "0"} if status == 503 else {}
        elif mode == "429" and k == 1:
            status, extra = 429, {"Retry-After": "1"}
        meta = {"path": self.path, "headers": {h.lower(): v for h, v in self.headers.items()},
                "status": status, "n": k, "t": time.time()}
        with open(os.path.join(out, "req-%d.bin" % k), "wb") as f:
            f.write(body)
        with open(os.path.join(out, "req-%d.json" % k), "w") as f:
            json.dump(meta, f)
        if mode == "hang":
            time.sleep(lifetime)
            return
        ctype = self.headers.get("Content-Type", "application/x-protobuf")
        payload = b""
        if mode == "garbage":
            payload = b"\xff\xfe not protobuf"
        elif mode == "partial" and "json" in ctype:
            payload = b'{"partialSuccess":{"rejectedSpans":"2","errorMessage":"too old"}}'
        elif mode == "partial":  # field 1 (partial_success) { 1: 2, 2: "too old" }
            inner = b"\x08\x02\x12\x07too old"
            payload = b"\x0a" + bytes([len(inner)]) + inner
        elif "json" in ctype:
            payload = b"{}"
        self.send_response(status)
        for h, v in extra.items():
            self.send_header(h, v)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
with open(os.path.join(out, "port.tmp"), "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
threading.Timer(lifetime, srv.shutdown).start()
srv.serve_forever()
