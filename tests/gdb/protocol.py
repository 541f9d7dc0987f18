#!/usr/bin/env python3
"""gdb_protocol: the gdb stub's remote protocol by hand, through `outboard run`.

- bad input: line noise, a bad checksum (nacked), an overlong packet
  (acked, answered E01), then normal service;
- qSupported, the target description, registers at the entry point,
  unmapped memory answered with an error, a register written and read back;
- a computing guest (debuggee spin) stopped with Ctrl-C (0x03), released by
  a memory write, and its exit status reported (W03);
- the guest clock stands still while the guest is stopped, and the
  plugins' heartbeats go on (stopped longer than a connection's dead time);
- vKill ends the run (status 137); a guest fault stops in gdb (T0b), then
  ends the run (X0b, status 139); a bad --gdb address is refused.

usage: protocol.py ARM_NM   (OB_BIN, OB_EXAMPLES from ctest)
"""
import atexit
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

NM = sys.argv[1]
BIN = os.environ["OB_BIN"]
ELF = os.path.join(os.environ["OB_EXAMPLES"], "debuggee.elf")
WORK = tempfile.mkdtemp(prefix="ob-gdb-test.")
atexit.register(shutil.rmtree, WORK, True)


def fail(msg):
    print("FAIL gdb_protocol: " + msg, file=sys.stderr)
    sys.exit(1)


def symbol(name):
    out = subprocess.run([NM, ELF], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    fail("no symbol " + name)


def checksum(body):
    return "%02x" % (sum(body.encode("latin-1")) & 0xFF)


class Client:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buf = b""

    def raw(self, data):
        self.s.sendall(data)

    def byte(self):
        while not self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                fail("the stub closed the connection")
            self.buf += chunk
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def packet(self):
        """The next packet's body, skipping acks; acks it."""
        while self.byte() != b"$":
            pass
        body = b""
        while True:
            b = self.byte()
            if b == b"#":
                break
            body += b
        cs = self.byte() + self.byte()
        if int(cs, 16) != sum(body) & 0xFF:
            fail("bad checksum from the stub on %r" % body)
        self.raw(b"+")
        return body.decode("latin-1")

    def ack(self):
        b = self.byte()
        return b.decode()

    def cmd(self, body):
        self.raw(("$%s#%s" % (body, checksum(body))).encode("latin-1"))
        if self.ack() != "+":
            fail("packet %r was not acked" % body)
        return self.packet()


def start(*args):
    err = open(os.path.join(WORK, "run.err"), "w+")
    out = open(os.path.join(WORK, "run.out"), "w+")
    p = subprocess.Popen([os.path.join(BIN, "outboard"), "run", "--fs", WORK, *args],
                         stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=WORK)
    for _ in range(200):
        err.seek(0)
        m = re.search(r"waiting for gdb on 127\.0\.0\.1:(\d+)", err.read())
        if m:
            return p, int(m.group(1)), out, err
        if p.poll() is not None:
            break
        time.sleep(0.05)
    err.seek(0)
    fail("no 'waiting for gdb' line: " + err.read())


def le32(hexstr):
    return int.from_bytes(bytes.fromhex(hexstr), "little")


def session_spin():
    stop_addr = symbol("spin_stop")
    entry = symbol("_start")
    p, port, out, err = start("--gdb", str(0), ELF, "spin")
    time.sleep(1.2)  # waiting for a client is stopped time too
    c = Client(port)

    # Bad input first: noise, a bad checksum, an overlong packet.
    c.raw(b"garbage!")
    c.raw(b"$g#00")
    if c.ack() != "-":
        fail("a bad checksum was not nacked: %r" % c.buf)
    big = "X" * 20000
    c.raw(("$%s#%s" % (big, checksum(big))).encode())
    if c.ack() != "+" or c.packet() != "E01":
        fail("an overlong packet was not answered E01")

    sup = c.cmd("qSupported:multiprocess+;swbreak+;xmlRegisters=arm")
    if "PacketSize=" not in sup or "qXfer:features:read+" not in sup:
        fail("qSupported: " + sup)
    xml = c.cmd("qXfer:features:read:target.xml:0,fff")
    if not xml.startswith("l") or "org.gnu.gdb.arm.core" not in xml or '"cpsr"' not in xml:
        fail("target description: " + xml[:200])
    if not c.cmd("?").startswith("T05thread:1;"):
        fail("the first stop is not thread 1 at its entry")
    regs = c.cmd("g")
    if len(regs) != 17 * 8:
        fail("g: %d hex digits" % len(regs))
    if le32(regs[15 * 8:16 * 8]) != entry:
        fail("pc %#x at the start, not _start %#x" % (le32(regs[15 * 8:16 * 8]), entry))
    if le32(regs[16 * 8:]) & 0x3F != 0x10:
        fail("cpsr %#x: not User mode, ARM state" % le32(regs[16 * 8:]))
    for bad in ("m0,4", "mfffffff0,10", "M0,4:00000000", "Z0,0,4"):
        r = c.cmd(bad)
        if not re.fullmatch(r"E[0-9a-f]{2}", r):
            fail("%s (unmapped) answered %r, not an error" % (bad, r))
    for bad in ("mzz", "M10000,4:0", "p99", "Hgffff", "X10000,4:", "vCont;q"):
        if not c.cmd(bad).startswith("E"):
            fail("malformed %r not answered with an error" % bad)
    if c.cmd("qUnknownThing") != "":
        fail("an unknown query must get the empty reply")
    if c.cmd("P4=78563412") != "OK" or c.cmd("p4") != "78563412":
        fail("r4 written and read back")
    if c.cmd("m%x,4" % stop_addr) != "00000000":
        fail("spin_stop is not 0 at the start")

    # Stopped for longer than a connection's dead time (3 s, ipc.h): the
    # heartbeats must keep the fs plugin and the host up, and the guest clock
    # must not count it.
    time.sleep(3.5)
    c.raw(b"$c#63")
    if c.ack() != "+":
        fail("c not acked")
    time.sleep(0.5)  # the guest computes in its loop now
    c.raw(b"\x03")
    stop = c.packet()
    if not stop.startswith("T02thread:1;"):
        fail("Ctrl-C answered %r, not T02 for thread 1" % stop)
    if c.cmd("M%x,4:01000000" % stop_addr) != "OK":
        fail("writing spin_stop")
    c.raw(b"$c#63")
    c.ack()
    exit_reply = c.packet()
    if exit_reply != "W03":
        fail("exit reported as %r, not W03" % exit_reply)
    status = p.wait(timeout=30)
    out.seek(0)
    text = out.read()
    if status != 3:
        fail("exit status %d, not 3" % status)
    m = re.fullmatch(r"started at (\d+) ms\nspun\n", text)
    if not m:
        fail("output %r" % text)
    if int(m.group(1)) >= 1000:
        fail("the guest clock read %s ms at main: it counted the 4.7 s stopped at entry"
             % m.group(1))
    err.seek(0)
    log = err.read()
    if "silent" in log or "declaring it down" in log:
        fail("a connection went down while the guest was stopped: " + log)


def session_kill():
    p, port, out, err = start("-g", "0", ELF)
    c = Client(port)
    if c.cmd("vKill;1") != "OK":
        fail("vKill not answered OK")
    status = p.wait(timeout=30)
    err.seek(0)
    if status != 137:
        fail("killed run ended with %d, not 137" % status)
    if "killed from gdb" not in err.read():
        fail("no word about the kill on stderr")


def session_fault():
    """A guest fault stops in gdb first (SIGSEGV), then ends the run (X0b)."""
    elf = os.path.join(os.environ["OB_EXAMPLES"], "fault_null.elf")
    p, port, out, err = start("--gdb", "0", elf)
    c = Client(port)
    c.raw(b"$c#63")
    c.ack()
    stop = c.packet()
    if not stop.startswith("T0bthread:1;"):
        fail("a NULL read answered %r, not T0b (SIGSEGV) for thread 1" % stop)
    if not re.fullmatch(r"[0-9a-f]{136}", c.cmd("g")):
        fail("registers of the faulting thread")
    c.raw(b"$c#63")
    c.ack()
    if c.packet() != "X0b":
        fail("the fault's end not reported as X0b")
    status = p.wait(timeout=30)
    err.seek(0)
    if status != 139 or "guest fault (SIGSEGV)" not in err.read():
        fail("the fault ended the run with %d, not 139 and a fault report" % status)


def bad_address():
    for spec in ("localhost:", "70000", ":1234", "x:y"):
        r = subprocess.run([os.path.join(BIN, "outboard"), "run", "--gdb", spec, ELF],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=WORK)
        if r.returncode == 0 or "--gdb" not in r.stderr:
            fail("--gdb %r: status %d, stderr %r" % (spec, r.returncode, r.stderr))


session_spin()
session_kill()
session_fault()
bad_address()
print("gdb_protocol: passed")
