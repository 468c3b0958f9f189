"""moto_server with one request at a time.

moto's stock server is threaded, and its TransactWriteItems is not atomic
across concurrent requests (seen: one handle guard written for two profiles
when 100 clients race). Real DynamoDB applies a transaction atomically; serving
one request at a time gives the tests those semantics.
Usage: python3 moto-serial.py HOST PORT
"""
import os
import signal
import sys

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

host, port = sys.argv[1], int(sys.argv[2])
os.environ.setdefault("MOTO_PORT", str(port))
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
run_simple(host, port, DomainDispatcherApplication(create_backend_app), threaded=False, use_reloader=False)
