"""Following a download that runs as a job: the view redirects to the job page, and the
file is fetched from there (the tests run tasks at once, so the job is done)."""

from __future__ import annotations

from django.urls import resolve, reverse


def job_download(client, url: str, params: dict | None = None):
    response = client.get(url, params or {})
    assert response.status_code == 302, response.status_code
    match = resolve(response.url)
    assert match.view_name == "jobs:detail", response.url
    return client.get(reverse("jobs:download", kwargs=match.kwargs))
