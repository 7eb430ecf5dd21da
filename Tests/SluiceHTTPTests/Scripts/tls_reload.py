"""The SIGHUP reload of the TLS certificate, from a client's side.

    python3 tls_reload.py PORT PID CERTIFICATES SERVED

CERTIFICATES holds certificates.py's files; SERVED the server.pem and server-key.pem the server
was started with. Keeps a connection open, puts the renewed certificate in SERVED, sends SIGHUP
and checks that new connections get it while the open connection is still served, and a request
in flight across the signal is answered whole; then puts a
key that does not match, sends SIGHUP again, and checks the renewed certificate is still served.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import sys
import time

port, pid, certificates, served = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
context = ssl.create_default_context(cafile=f"{certificates}/ca.pem")


def served_common_name():
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        with context.wrap_socket(sock, server_hostname="localhost") as tls:
            subject = dict(item[0] for item in tls.getpeercert()["subject"])
            return subject["commonName"]


def wait_for(name):
    deadline = time.time() + 10
    while served_common_name() != name:
        assert time.time() < deadline, f"still not serving {name} after SIGHUP"
        time.sleep(0.1)


kept = http.client.HTTPSConnection("localhost", port, context=context, timeout=10)
kept.request("GET", "/before")
assert kept.getresponse().read() and served_common_name() == "localhost"

in_flight = http.client.HTTPSConnection("localhost", port, context=context, timeout=10)
in_flight.request("GET", "/in-flight", headers={"X-Probe-Delay": "1500", "X-Probe-Stream": "100000", "X-Probe-Chunks": "10"})

shutil.copy(f"{certificates}/renewed.pem", f"{served}/server.pem")
shutil.copy(f"{certificates}/renewed-key.pem", f"{served}/server-key.pem")
os.kill(pid, signal.SIGHUP)
wait_for("renewed.localhost")

in_flight_response = in_flight.getresponse()
assert in_flight_response.status == 200 and len(in_flight_response.read()) == 100000, "the request in flight across SIGHUP"
in_flight.close()

kept.request("GET", "/after")
response = kept.getresponse()
assert response.status == 200 and json.loads(response.read())["pathInfo"] == "/after"
old = dict(item[0] for item in kept.sock.getpeercert()["subject"])
assert old["commonName"] == "localhost", "the open connection is still the one made with the first certificate"

shutil.copy(f"{certificates}/client-key.pem", f"{served}/server-key.pem")
os.kill(pid, signal.SIGHUP)
time.sleep(1)
assert served_common_name() == "renewed.localhost", "a failed reload changed the certificate"
kept.close()
print(json.dumps({"ok": True}))
