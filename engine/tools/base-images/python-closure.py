"""Prints, as JSON, what of the host's Python a FastAPI service and its pytest suite need.

Run by ensureRuntimeBaseImage('python') with the host's /usr/bin/python3 in isolated mode. It
imports the runtime and test modules, then exercises them the way the image will be used (a
FastAPI app under TestClient, pytest with pytest-cov writing a Cobertura XML report, uvicorn loading its
protocol classes), and lists the dist-packages entries (and their .dist-info, which pytest needs
for plugin entry points) that ended up imported. Optional extras that libraries import only when
present (httpx's CLI pulls rich and pygments, uvicorn tries PyYAML) are left out to keep the
image small; they fall back cleanly when absent.
"""
import importlib
import importlib.metadata
import json
import os
import sys
import tempfile

# module -> Debian package that provides it (named in the error when it is missing)
REQUIRED = {
    "fastapi": "python3-fastapi",
    "fastapi.testclient": "python3-fastapi",
    "starlette": "python3-starlette",
    "pydantic": "python3-pydantic",
    "uvicorn": "python3-uvicorn",
    "uvicorn.main": "python3-uvicorn",
    "anyio": "python3-anyio",
    "sniffio": "python3-sniffio",
    "idna": "python3-idna",
    "h11": "python3-h11",
    "click": "python3-click",
    "httpx": "python3-httpx",
    "httpcore": "python3-httpcore",
    "certifi": "python3-certifi",
    "pytest": "python3-pytest",
    "pluggy": "python3-pluggy",
    "iniconfig": "python3-iniconfig",
    "packaging": "python3-packaging",
    "coverage": "python3-coverage",
    "pytest_cov": "python3-pytest-cov",
    "typing_extensions": "python3-typing-extensions",
}
OPTIONAL = {"rich", "pygments", "yaml", "_distutils_hack", "markdown_it", "mdurl", "_yaml"}

TEST = '''
from fastapi import FastAPI
from fastapi.testclient import TestClient

app = FastAPI()

@app.get("/healthz")
def healthz():
    return {"status": "ok"}

def test_health():
    assert TestClient(app).get("/healthz").json() == {"status": "ok"}
'''


def main():
    missing = []
    for module, package in REQUIRED.items():
        try:
            importlib.import_module(module)
        except ImportError as error:
            missing.append({"module": module, "package": package, "error": str(error)})
    if missing:
        print(json.dumps({"missing": missing}))
        return

    import uvicorn
    from fastapi import FastAPI

    uvicorn.Config(FastAPI(), lifespan="on").load()

    import pytest

    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "test_probe.py"), "w") as handle:
            handle.write(TEST)
        cwd = os.getcwd()
        os.chdir(work)
        try:
            code = pytest.main(
                ["-q", "-p", "no:cacheprovider", "--cov=.", "--cov-report=xml:coverage.xml", "."]
            )
        finally:
            os.chdir(cwd)
        if code != 0:
            print(json.dumps({"missing": [{"module": "pytest run", "package": "python3-pytest",
                                           "error": f"the probe's pytest run exited {code}"}]}))
            return

    site = "/usr/lib/python3/dist-packages/"
    tops = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None) or ""
        if path.startswith(site):
            tops.add(path[len(site):].split("/")[0])
    tops = {top for top in tops if top.removesuffix(".py").split(".")[0] not in OPTIONAL}

    dists = importlib.metadata.packages_distributions()
    entries = set(tops)
    for top in tops:
        for name in dists.get(top.removesuffix(".py").split(".")[0], []):
            path = getattr(importlib.metadata.distribution(name), "_path", None)
            if path and str(path).startswith(site):
                entries.add(str(path)[len(site):])

    print(json.dumps({
        "version": sys.version,
        "executable": os.path.realpath(sys.executable),
        "stdlib": os.path.dirname(os.__file__),
        "sitePackages": site.rstrip("/"),
        "entries": sorted(entries),
    }))


main()
