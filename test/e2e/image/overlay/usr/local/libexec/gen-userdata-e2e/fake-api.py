#!/usr/bin/python3
"""Fake Kubernetes API endpoint for the e2e guest.

Reads gen_userdata_e2e.fake_api=HOST:PORT from the kernel command line, adds
HOST/32 to the loopback interface (the guest has no NIC, so nothing leaves
the VM) and accepts TCP connections there, closing each at once. That is all
a joining node's "wait for the API endpoint" needs; the join itself is the
kubeadm stand-in's business. Every accepted connection is logged.
"""
import os
import socket
import subprocess
import time

LOG = "/var/log/gen-userdata-e2e/fake-api.log"


def log(msg):
    os.makedirs(os.path.dirname(LOG), exist_ok=True)
    with open(LOG, "a") as f:
        f.write("%.3f %s\n" % (time.time(), msg))


def main():
    with open("/proc/cmdline") as f:
        words = f.read().split()
    spec = next((w.split("=", 1)[1] for w in words if w.startswith("gen_userdata_e2e.fake_api=")), "")
    host, _, port = spec.rpartition(":")
    if not host or not port.isdigit():
        log("no usable gen_userdata_e2e.fake_api=HOST:PORT in %r" % spec)
        raise SystemExit(1)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=False)
    r = subprocess.run(["ip", "addr", "add", host + "/32", "dev", "lo"], capture_output=True, text=True)
    log("ip addr add %s/32 dev lo: rc=%d %s" % (host, r.returncode, r.stderr.strip()))
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, int(port)))
    s.listen(64)
    log("listening on %s:%s" % (host, port))
    while True:
        c, addr = s.accept()
        log("connection from %s:%d" % addr)
        c.close()


if __name__ == "__main__":
    main()
