#!/usr/bin/env python3
"""Accounts and sessions for the contract test, so that schemathesis reaches each route's real answer
and not only its refusals: a signed-up client, an operator, a throwaway account for each sign-out
route, completed sessions and answered ones, one per kind of use. Writes into DIR the schemathesis
configuration that sends them (schemathesis.toml: a bearer token per protected route, real session
tokens drawn half the time where a route takes one, the other half staying random so the refusals
are exercised too) and the server's contract (openapi.json) with one change: the sign-up example
names a real session, so that the examples phase signs up whatever the random draws.
Usage: scripts/contract-fixtures.py PORT BINARY DIR (the server on PORT and BINARY share a database)."""
import json
import os
import secrets
import subprocess
import sys
import urllib.request

from passerelle_api import answered_session, call, completed_session, signup_form

port, binary, directory = int(sys.argv[1]), sys.argv[2], sys.argv[3]
PASSWORD = "contrat-passerelle-2026"
# Addresses of this run only: the database may hold an earlier run's accounts.
RUN = secrets.token_hex(4)


def operator_token(email):
    created = subprocess.run([binary, "create-operator", "--email", email], input=PASSWORD + "\n",
                             capture_output=True, text=True)
    assert created.returncode == 0, created.stderr
    status, body = call(port, "POST", "/api/auth/login", {"email": email, "password": PASSWORD})
    assert status == 200, (status, body)
    return body["access_token"]


def client_token():
    status, body = call(port, "POST", "/api/session-migration/migrate",
                        {"session_token": completed_session(port), "client_data": signup_form(f"client-{RUN}@contrat.test")})
    assert status == 201, (status, body)
    return body["access_token"]


def toml(value):
    """A TOML string (JSON's escaping is valid TOML for these values)."""
    return json.dumps(value)


def siren(prefix):
    """The 8 digits followed by their Luhn key: a SIREN the sign-up form accepts."""
    digits = [int(c) for c in prefix + "0"]
    total = sum(d if i % 2 == 0 else (2 * d - 9 if 2 * d > 9 else 2 * d) for i, d in enumerate(reversed(digits)))
    return prefix + str((10 - total % 10) % 10)


client = client_token()
operator = operator_token(f"operateur-{RUN}@contrat.test")
# Signing out everywhere also revokes the other route's token: one account each.
signout, signout_everywhere = operator_token(f"sortie-{RUN}@contrat.test"), operator_token(f"sortie-partout-{RUN}@contrat.test")
# Sessions for each kind of use, so that no route's writes change what another route is shown.
sessions = {"reading": [completed_session(port)], "migrating": [completed_session(port)],
            "signing_up": [completed_session(port)], "completing": [answered_session(port)],
            "answering": [answered_session(port)], "abandoning": [answered_session(port)]}


def operation(match, token=None, **parameters):
    """A route's bearer token, and its parameters drawn half the time from a dictionary
    (`body__session_token="reading"` for body.session_token)."""
    lines = ["[[operations]]", match]
    if token:
        lines.append(f"headers = {{ Authorization = {toml('Bearer ' + token)} }}")
    if parameters:
        bindings = ", ".join(f'{toml(key.replace("__", "."))} = {{ dictionary = "{name}", probability = 0.5 }}'
                             for key, name in parameters.items())
        lines.append(f"parameters = {{ {bindings} }}")
    return "\n".join(lines)


blocks = ["# Written by scripts/contract-fixtures.py for one contract run; holds live tokens.",
          "# A route that never got past its refusals in the whole run fails it: the contract must see real",
          "# answers. (validation_mismatch is judged phase by phase, and the coverage phase draws no real",
          "# session or SIREN from the dictionaries: it stays a warning.)",
          '[warnings]\nfail-on = ["missing_auth", "missing_test_data"]',
          # Data the document allows may still break a rule it cannot state (a SIREN's check digit, a
          # question the questionnaire does not have, a session past its expiry): 422 and 410, not 400.
          # A well-formed request refused as malformed (400, 413, 415) still fails the run.
          '[checks.positive_data_acceptance]\n'
          'expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "410", "422", "429"]',
          # Data the document forbids must be refused: schemathesis's list, and 410 (the session is gone)
          # and 413 (the body is too large), refusals too.
          '[checks.negative_data_rejection]\n'
          'expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "410", "413", "415", "422", "428", "429"]']
blocks += [f"[dictionaries.{name}]\nvalues = {toml(tokens)}" for name, tokens in sessions.items()]
# A random SIREN passes its key check one time in ten: half the sign-ups get a valid one.
blocks.append(f"[dictionaries.sirens]\nvalues = {toml([siren(p) for p in ('44306184', '73282932', '55210055')])}")
blocks += [
    operation('include-path-regex = "^/api/client/"', client),
    operation('include-path = "/api/session-migration/stats"', operator),
    operation('include-path = "/api/auth/logout"', signout),
    operation('include-path = "/api/auth/logout-everywhere"', signout_everywhere),
    operation('include-path = "/api/session-migration/migrate-existing"', client, body__session_token="migrating"),
    operation('include-path = "/api/session-migration/migrate"', body__session_token="signing_up",
              body__client_data__siren="sirens"),
    operation('include-path-regex = "^/api/session-migration/(can-migrate|session-data)/"', path__token="reading"),
    operation('include-path = "/api/simulator/sessions/{token}/results"', path__token="reading"),
    operation('include-path = "/api/simulator/sessions/{token}/complete"', path__token="completing"),
    operation('include-path = ["/api/simulator/sessions/{token}", "/api/simulator/sessions/{token}/answers"]',
              path__token="answering"),
    operation('include-path = "/api/simulator/sessions/{token}/abandon"', path__token="abandoning"),
]
with open(os.path.join(directory, "schemathesis.toml"), "w") as config:
    config.write("\n\n".join(blocks) + "\n")

# A sign-up needs a real session and a form that passes nine checks, which random data seldom does.
with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=30) as response:
    contract = json.load(response)
signup = contract["paths"]["/api/session-migration/migrate"]["post"]["requestBody"]["content"]["application/json"]
signup["example"]["session_token"] = sessions["signing_up"][0]
with open(os.path.join(directory, "openapi.json"), "w") as document:
    json.dump(contract, document, ensure_ascii=False)
