#!/usr/bin/env python3
"""Does a burst of sign-ins hold up other requests? Against a running server: the questionnaire's
latency alone, then while eight wrong sign-ins (bcrypt at the server's cost) run at once.
A hand measurement, not a benchmark with a target. Usage: scripts/signin-probe.py PORT"""
import concurrent.futures
import sys
import time

from passerelle_api import call

port = int(sys.argv[1])


def timed(method, path, body=None):
    start = time.time()
    call(port, method, path, body)
    return round(1000 * (time.time() - start))


print(f"questionnaire alone: {min(timed('GET', '/api/simulator/questions') for _ in range(5))} ms")
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    sign_ins = [pool.submit(timed, "POST", "/api/auth/login", {"email": f"sonde{i}@example.fr", "password": "mauvais-mot-de-passe"})
                for i in range(8)]
    time.sleep(0.3)
    during = []
    for _ in range(5):
        during.append(timed("GET", "/api/simulator/questions"))
        time.sleep(0.1)
    print(f"eight wrong sign-ins: {[f.result() for f in sign_ins]} ms")
print(f"questionnaire during them: {during} ms")
