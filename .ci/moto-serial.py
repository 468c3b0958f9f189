"""moto_server with one request at a time.

moto's stock server is threaded, and its TransactWriteItems is not atomic
across concurrent requests (seen: one handle guard written for two profiles
when 100 clients race). Real DynamoDB applies a transaction atomically; serving
one request at a time gives the tests those semantics.
It also answers GET /moto-api/poolside/sns-sms with the text messages SNS
"sent" (moto keeps them in memory and exposes no API for them), as JSON:
[{"messageId", "phoneNumber", "message", "region"}], for the custom sender tests, and
GET /moto-api/poolside/ses-sent with the emails SES accepted, as /moto-api/data.json's "ses"
section would list them — data.json itself fails (500) once any test has created a Lambda
function, because moto then asks a Docker daemon that is not there.
Usage: python3 moto-serial.py HOST PORT
"""
import json
import os
import signal
import sys

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

host, port = sys.argv[1], int(sys.argv[2])
os.environ.setdefault("MOTO_PORT", str(port))
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
moto_app = DomainDispatcherApplication(create_backend_app)


def sns_sms(environ, start_response):
    from moto.sns.models import sns_backends

    out = []
    for _account, regions in sns_backends.items():
        for region, backend in regions.items():
            for message_id, (phone, message) in backend.sms_messages.items():
                out.append({"messageId": message_id, "phoneNumber": phone, "message": message, "region": region})
    body = json.dumps(out).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def ses_sent(environ, start_response):
    from moto.core.model_instances import model_data

    out = []
    for m in getattr(model_data.get("ses", {}).get("Message"), "instances_tracked", []):
        out.append({"id": m.id, "source": m.source, "subject": m.subject, "body": m.body, "destinations": m.destinations})
    body = json.dumps({"ses": {"Message": out}}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def app(environ, start_response):
    if environ.get("PATH_INFO") == "/moto-api/poolside/sns-sms":
        return sns_sms(environ, start_response)
    if environ.get("PATH_INFO") == "/moto-api/poolside/ses-sent":
        return ses_sent(environ, start_response)
    return moto_app(environ, start_response)


run_simple(host, port, app, threaded=False, use_reloader=False)
