"""The users of the load test (`python -m bench.load` runs locust on this file, headless).

Readers open essay pages, the essay listing with filters and sort orders, searches with facet
filters, the search box's suggestions, concept pages and feeds. A few writers: anonymous visitors
who comment through the essay page's form (its CSRF token, signed form token and the browser's
proof of work, after the wait the spam check asks for), and students who sign in and save a draft
of their own essay in the admin. `StaticFile` fetches one file WhiteNoise serves, for the ceiling.

The site runs with production settings behind no proxy here, so each user sends what the TLS
proxy would add: X-Forwarded-Proto https and its own client address in X-Forwarded-For.
LOAD_TARGETS names the JSON file of addresses and accounts bench.load wrote; LOAD_STATUS_FILE
where the counts of answers by status code go when the run ends.
"""

import hashlib
import json
import os
import random
import re
import time
from collections import Counter
from pathlib import Path

import lxml.etree
import lxml.html
from locust import FastHttpUser, HttpUser, between, events, task

TARGETS = json.loads(Path(os.environ["LOAD_TARGETS"]).read_text(encoding="utf-8"))
STATUSES = Counter()
SERVER_ERRORS = []
# sha256(token ":" counter) must start with this, as community/spam.py checks.
WORK_PREFIX = "0000"
MIN_SECONDS_BEFORE_POST = 4.5
# Commenters and students each, at every level (bench.load sets it by the number of users).
WRITERS = int(os.environ.get("LOAD_WRITERS", "1"))


@events.request.add_listener
def count_status(request_type, name, response, exception, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    STATUSES[str(status)] += 1
    if status >= 500 and len(SERVER_ERRORS) < 20:
        SERVER_ERRORS.append(f"{status} {request_type} {name}")


@events.quitting.add_listener
def write_statuses(environment, **kwargs):
    path = os.environ.get("LOAD_STATUS_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"statuses": STATUSES, "server_errors": SERVER_ERRORS}, out)


def client_address():
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


class SiteUser(HttpUser):
    abstract = True

    def on_start(self):
        self.client.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": client_address()})

    def secure_cookies_over_loopback(self):
        """The session and CSRF cookies are Secure: a browser sends them over the proxy's HTTPS,
        which this plain-HTTP client stands for."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, path, name, **kwargs):
        self.secure_cookies_over_loopback()
        with self.client.get(path, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
            return response

    def post(self, path, name, data, expected):
        # CSRF over HTTPS checks the Referer against the host.
        headers = {"Referer": f"https://{self.host.split('://', 1)[1]}{path}"}
        self.secure_cookies_over_loopback()
        with self.client.post(
            path, data=data, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code not in expected:
                response.failure(f"{response.status_code} for POST {path}{refusal(response)}")
            return response


def refusal(response):
    """The form's own error messages in a refused answer, so a failure says why it was refused."""
    try:
        messages = lxml.html.fromstring(response.text).xpath(
            "//*[contains(@class, 'form-errors') or contains(@class, 'field-error')]//text()"
        )
    except (ValueError, lxml.etree.ParserError):
        return ""
    text = " ".join(" ".join(messages).split())
    return f": {text}" if text else ""


def form_fields(html, xpath):
    """What a browser would post from the form `xpath` finds, and its action; None when none is there."""
    forms = lxml.html.fromstring(html).xpath(xpath)
    if not forms:
        return None, None
    fields = dict(forms[0].form_values())
    # The page editor's StreamFields are inputs its scripts write from each block's JSON.
    for element in forms[0].xpath(".//*[@data-controller='w-block']"):
        items, _errors = json.loads(element.get("data-w-block-arguments-value"))
        stream_fields(element.get("id"), items, fields)
    return fields, forms[0].get("action")


def stream_fields(prefix, items, fields):
    fields[f"{prefix}-count"] = str(len(items))
    for number, item in enumerate(items):
        name = f"{prefix}-{number}"
        fields.update({f"{name}-deleted": "", f"{name}-order": str(number), f"{name}-id": item.get("id") or ""})
        if "type" in item:
            fields[f"{name}-type"] = item["type"]
        block_value(f"{name}-value", item["value"], fields)


def block_value(name, value, fields):
    if isinstance(value, dict):
        for key, inner in value.items():
            block_value(f"{name}-{key}", inner, fields)
    elif isinstance(value, list) and all(isinstance(item, dict) and "value" in item for item in value):
        stream_fields(name, value, fields)
    elif isinstance(value, list):
        fields[name] = [str(item) for item in value]
    elif isinstance(value, bool):
        if value:
            fields[name] = "on"
    else:
        fields[name] = "" if value is None else str(value)


class Reader(SiteUser):
    wait_time = between(1, 2)

    @task(6)
    def essay(self):
        self.get(random.choice(TARGETS["essays"]), "essay page")

    @task(3)
    def listing(self):
        facet, values = random.choice(list(TARGETS["filters"].items()))
        params = {facet: random.choice(values), "jarjestys": random.choice(TARGETS["listing_orders"])}
        if random.random() < 0.3:
            params["sivu"] = random.choice((2, 3))
        self.get(TARGETS["listing"], "listing, filter and order", params=params)

    @task(4)
    def search(self):
        params = {"q": random.choice(TARGETS["queries"])}
        if random.random() < 0.5:
            facet, values = random.choice(list(TARGETS["filters"].items()))
            params[facet] = random.choice(values)
        if random.random() < 0.3:
            params["jarjestys"] = random.choice(TARGETS["search_orders"])
        self.get("/haku/", "search with facets", params=params)

    @task(4)
    def autocomplete(self):
        self.get("/api/search/autocomplete/", "autocomplete", params={"q": random.choice(TARGETS["prefixes"])})

    @task(2)
    def concept(self):
        self.get(random.choice(TARGETS["concepts"]), "concept page")

    @task(1)
    def feed(self):
        self.get(random.choice(TARGETS["feeds"]), "feed")


class Commenter(SiteUser):
    """An anonymous visitor: reads an essay, lets the browser do the proof of work, comments."""

    fixed_count = WRITERS
    wait_time = between(2, 4)

    @task
    def comment(self):
        path = random.choice(TARGETS["commentable"])
        page = self.get(path, "essay page")
        shown = time.monotonic()
        fields, action = (
            form_fields(page.text, "//form[@class='comment-form']") if page.status_code == 200 else (None, None)
        )
        if fields is None:
            return
        counter = 0
        while not hashlib.sha256(f"{fields['tarkiste']}:{counter}".encode()).hexdigest().startswith(WORK_PREFIX):
            counter += 1
        fields.update(
            laskenta=str(counter),
            name="Kuormitustesti",
            text=f"Kommentti {random.getrandbits(64):x}: hyvä essee asiakaskokemuksesta.",
        )
        time.sleep(max(0.0, MIN_SECONDS_BEFORE_POST - (time.monotonic() - shown)))
        response = self.post(action.split("#")[0], "comment (POST)", fields, expected={302})
        if response.status_code == 302:
            self.get(response.headers["Location"].split("#")[0], "essay page")


class Student(SiteUser):
    """A student signed in to the admin who saves a draft of an essay of their own now and then."""

    fixed_count = WRITERS
    wait_time = between(3, 6)

    def on_start(self):
        super().on_start()
        self.username, self.essay_ids = random.choice(TARGETS["students"])
        login = self.get("/admin/login/", "admin sign-in page")
        fields, _action = form_fields(login.text, "//form[@method='post']")
        fields.update(username=self.username, password=TARGETS["password"])
        self.post("/admin/login/", "admin sign-in (POST)", fields, expected={302})

    @task
    def save_draft(self):
        path = f"/admin/pages/{random.choice(self.essay_ids)}/edit/"
        editor = self.get(path, "admin page editor")
        fields, _action = form_fields(editor.text, "//form[@id='page-edit-form']")
        if fields is None:
            return
        fields["title"] = re.sub(r" \(luonnos \w+\)$", "", fields["title"]) + f" (luonnos {random.getrandbits(16):x})"
        self.post(path, "admin save draft (POST)", fields, expected={302})


class StaticFile(FastHttpUser):
    """No think time: as many requests for one hashed static file as the server answers."""

    @task
    def static_file(self):
        self.client.get(
            TARGETS["static_file"], name="static file (WhiteNoise)", headers={"X-Forwarded-Proto": "https"}
        )
