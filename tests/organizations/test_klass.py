"""The KLASS refresh, against a local HTTP server that answers like KLASS."""

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from organizations.klass import KlassClient, KlassError, refresh_files
from organizations.loader import DATA_DIR

MUNICIPALITIES = [{"code": "0301", "name": "Oslo - Oslove"}, {"code": "3301", "name": "Drammen"},
                  {"code": "9999", "name": "Uoppgitt"}]
COUNTIES = [{"code": "03", "name": "Oslo"}, {"code": "33", "name": "Buskerud"}]
DISTRICTS = [{"code": "030101", "name": "Gamle Oslo"}, {"code": "030199", "name": "Uoppgitt"}]
CHANGES = [{"oldCode": "3005", "oldName": "Drammen", "newCode": "3301", "newName": "Drammen",
            "changeOccurred": "2024-01-01"}]


class FakeKlass(BaseHTTPRequestHandler):
    fail = False

    def do_GET(self):  # noqa: N802
        url = urlparse(self.path)
        if self.fail or "date" not in parse_qs(url.query) and "changes" not in url.path:
            self.send_response(503)
            self.end_headers()
            return
        if url.path.endswith("/131/changes"):
            body = {"codeChanges": CHANGES}
        elif "/131/" in url.path:
            body = {"codes": MUNICIPALITIES}
        elif "/104/" in url.path:
            body = {"codes": COUNTIES}
        else:
            body = {"codes": DISTRICTS}
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def klass_server():
    server = HTTPServer(("127.0.0.1", 0), FakeKlass)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/klass/v1"
    server.shutdown()
    FakeKlass.fail = False


def test_refresh_rewrites_the_code_lists(tmp_path, klass_server):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    written = refresh_files(KlassClient(klass_server), data)
    assert "municipalities-2026-01-01.csv" in written
    assert (data / "municipalities-2026-01-01.csv").read_text(encoding="utf-8") == (
        "code,name,county_code\n0301,Oslo - Oslove,03\n3301,Drammen,33\n"
    )
    assert (data / "oslo-city-districts.csv").read_text(encoding="utf-8") == (
        "code,name\n030101,Gamle Oslo\n"
    )
    assert "3005,Drammen,3301,Drammen,2024-01-01" in (
        data / "municipality-changes-2024.csv").read_text(encoding="utf-8")


def test_a_failing_klass_writes_nothing(tmp_path, klass_server):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    before = (data / "municipalities-2024-01-01.csv").read_text(encoding="utf-8")
    FakeKlass.fail = True
    with pytest.raises(KlassError):
        refresh_files(KlassClient(klass_server), data)
    assert (data / "municipalities-2024-01-01.csv").read_text(encoding="utf-8") == before


def test_plain_http_to_another_host_is_refused():
    with pytest.raises(KlassError, match="https"):
        KlassClient("http://data.ssb.no/api/klass/v1").codes_at(131, __import__(
            "datetime").date(2024, 1, 1))
