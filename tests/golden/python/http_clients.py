# requests, the third-party HTTP client: module functions (also imported
# under another name) and a Session's methods (also through `with`).
import requests
from requests import post as send

URL = "http://127.0.0.1:9/"


def with_requests():
    requests.get(URL, timeout=1)
    send(URL, json={"a": 1})
    requests.put(URL, data=b"x")
    requests.patch(URL)
    requests.delete(URL)
    requests.head(URL)
    requests.options(URL)
    requests.request("GET", URL)
    s = requests.Session()
    s.get(URL)
    s.post(URL)
    s.put(URL)
    s.patch(URL)
    s.delete(URL)
    s.head(URL)
    s.options(URL)
    s.request("GET", URL)
    with requests.session() as t:
        t.headers.update({"X": "1"})  # not a request: not a site
        return t.get(URL).json()


if __name__ == "__main__":
    try:
        with_requests()
    except requests.RequestException as e:
        print("requests", type(e).__name__)
