#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run QEMU monitor (QMP) commands that a guest asks for.

    qmp-relay.py QMP_SOCKET GUEST_OUTPUT_FILE [DEVICES_JSON]

The guest writes lines "P2PDMA-QMP: device_del ID" or "P2PDMA-QMP:
device_add ID" to the serial port that QEMU writes to GUEST_OUTPUT_FILE;
this follows the file and runs each command on QEMU's QMP socket, so that
a test in the guest can hot-unplug or hot-add a device at the moment it
chooses. device_add takes the device's properties from DEVICES_JSON (an
object of them by ID, written by scripts/vm.sh): the guest names a device,
it does not choose its properties. Nothing else is relayed. Exits when
QEMU closes the socket. Logs commands, replies and events on stdout.
"""
import json
import os
import select
import socket
import sys
import time


def main():
    sock_path, out_path = sys.argv[1], sys.argv[2]
    devices = {}
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            devices = json.load(f)
    for _ in range(600):
        if os.path.exists(sock_path):
            break
        time.sleep(0.1)
    sock = socket.socket(socket.AF_UNIX)
    sock.connect(sock_path)
    rbuf = b""

    def send(obj):
        sock.sendall(json.dumps(obj).encode() + b"\n")

    send({"execute": "qmp_capabilities"})
    pos = 0
    while True:
        ready, _, _ = select.select([sock], [], [], 0.2)
        if ready:
            data = sock.recv(65536)
            if not data:
                return 0
            rbuf += data
            while b"\n" in rbuf:
                line, rbuf = rbuf.split(b"\n", 1)
                print("qmp <", line.decode(errors="replace"), flush=True)
        try:
            with open(out_path, "rb") as out:
                out.seek(pos)
                chunk = out.read()
        except FileNotFoundError:
            continue
        # only whole lines
        end = chunk.rfind(b"\n") + 1
        pos += end
        for line in chunk[:end].decode(errors="replace").splitlines():
            line = line.strip("\r")
            if not line.startswith("P2PDMA-QMP: "):
                continue
            words = line.split()[1:]
            if len(words) == 2 and words[0] == "device_del":
                cmd = {"execute": "device_del", "arguments": {"id": words[1]}}
                print("qmp >", json.dumps(cmd), flush=True)
                send(cmd)
            elif len(words) == 2 and words[0] == "device_add" and words[1] in devices:
                cmd = {"execute": "device_add", "arguments": devices[words[1]]}
                print("qmp >", json.dumps(cmd), flush=True)
                send(cmd)
            else:
                print("ignored:", line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
