#!/usr/bin/env python3
"""Latency of the upload API against a running stack (default: ./photopipe local on 127.0.0.1:8080).

    python3 api/bench/latency.py [API_URL]

100 warm POST /uploads and GET /images/{id} (after 10 warm-up calls each), then three full round trips:
declare, PUT a 136 KB photo to the presigned URL, poll until the worker's 7 renditions are ready.
Standard library only.
"""
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.request

API = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
PHOTO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "photos",
                     "landscape.jpg")


def call(method, url, body=None, headers=None):
    started = time.perf_counter()
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            data, code = response.read(), response.status
    except urllib.error.HTTPError as e:
        data, code = e.read(), e.code
    return code, data, (time.perf_counter() - started) * 1000


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def declare(name, size):
    body = json.dumps({"fileName": name, "contentType": "image/jpeg", "size": size}).encode()
    code, data, ms = call("POST", API + "/uploads", body, {"Content-Type": "application/json"})
    assert code == 201, (code, data)
    return json.loads(data), ms


def main():
    posts, gets, ids = [], [], []
    for i in range(110):
        created, ms = declare(f"p{i}.jpg", 1000)
        posts.append(ms)
        ids.append(created["id"])
    for image_id in ids:
        code, _, ms = call("GET", API + "/images/" + image_id)
        assert code == 200
        gets.append(ms)
    posts, gets = posts[10:], gets[10:]
    print("POST /uploads   n=%d median %.1f ms p95 %.1f ms" % (len(posts), statistics.median(posts),
                                                              percentile(posts, 95)))
    print("GET /images/id  n=%d median %.1f ms p95 %.1f ms (pending)" % (len(gets), statistics.median(gets),
                                                                       percentile(gets, 95)))
    photo = open(PHOTO, "rb").read()
    for run in range(3):
        started = time.perf_counter()
        created, _ = declare("landscape.jpg", len(photo))
        code, _, _ = call("PUT", created["upload"]["url"], photo, created["upload"]["headers"])
        assert code == 200, code
        while True:
            _, data, _ = call("GET", created["statusUrl"])
            status = json.loads(data)
            if status["status"] != "pending":
                break
            time.sleep(0.1)
        print("round trip %d: declare + PUT %d KB + renditions %s in %.2f s" % (run + 1, len(photo) // 1024,
                                                                              status["status"],
                                                                              time.perf_counter() - started))


if __name__ == "__main__":
    main()
