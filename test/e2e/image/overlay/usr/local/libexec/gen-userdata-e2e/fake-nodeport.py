#!/usr/bin/python3
"""Fake NodePort for the e2e guest: what kube-proxy and the smoke nginx would answer.

Reads gen_userdata_e2e.fake_nodeport=PORT@IP,IP,... from the kernel command line,
adds each IP/32 to the loopback interface (the guest has no NIC, so nothing leaves
the VM) and answers every GET on PORT with HTTP 200 and nginx's welcome page, so the
cluster verifier's smoke check can reach "every node" of the profile. Logs each
request, so the test can see which node addresses were asked.
"""
import http.server
import os
import subprocess
import time

LOG = "/var/log/gen-userdata-e2e/fake-nodeport.log"


def log(msg):
    os.makedirs(os.path.dirname(LOG), exist_ok=True)
    with open(LOG, "a") as f:
        f.write("%.3f %s\n" % (time.time(), msg))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head></html>\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        log("GET %s%s from %s" % (self.headers.get("Host", "?"), self.path, self.client_address[0]))

    def log_message(self, *args):
        pass


def main():
    with open("/proc/cmdline") as f:
        words = f.read().split()
    spec = next((w.split("=", 1)[1] for w in words if w.startswith("gen_userdata_e2e.fake_nodeport=")), "")
    port, _, ips = spec.partition("@")
    if not port.isdigit() or not ips:
        log("no usable gen_userdata_e2e.fake_nodeport=PORT@IP,... in %r" % spec)
        raise SystemExit(1)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=False)
    for ip in ips.split(","):
        r = subprocess.run(["ip", "addr", "add", ip + "/32", "dev", "lo"], capture_output=True, text=True)
        log("ip addr add %s/32 dev lo: rc=%d %s" % (ip, r.returncode, r.stderr.strip()))
    server = http.server.ThreadingHTTPServer(("0.0.0.0", int(port)), Handler)
    log("listening on port %s for %s" % (port, ips))
    server.serve_forever()


if __name__ == "__main__":
    main()
