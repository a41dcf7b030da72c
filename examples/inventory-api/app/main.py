"""The inventory service's HTTP API.

Items are kept in memory: the example stays dependency-light. migrations/ holds the schema a
Postgres-backed store would use; ProdSprint's tests stage applies it to a throwaway PostgreSQL
(and passes DATABASE_URL) to prove it applies, before any release.
"""
import os
import threading
import time

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from app.metrics import RequestMetrics


class NewItem(BaseModel):
    sku: str = Field(..., min_length=1, max_length=64, regex=r"^[A-Z0-9-]+$")
    name: str = Field(..., min_length=1, max_length=200)
    quantity: int = Field(..., ge=0)


class Item(NewItem):
    id: int


def create_app():
    app = FastAPI(title="inventory-api")
    metrics = RequestMetrics()
    items = {}
    lock = threading.Lock()
    next_id = [1]

    @app.middleware("http")
    async def observe(request: Request, call_next):
        started = time.perf_counter()
        response = await call_next(request)
        # The route template (/items/{item_id}), not the path: one series per route.
        route = getattr(request.scope.get("route"), "path", "unmatched")
        if route != "/metrics":
            metrics.observe(request.method, route, response.status_code, time.perf_counter() - started)
        return response

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/metrics", response_class=PlainTextResponse)
    def prometheus_metrics():
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

    @app.get("/items", response_model=list[Item])
    def list_items():
        return list(items.values())

    @app.get("/items/{item_id}", response_model=Item)
    def get_item(item_id: int):
        item = items.get(item_id)
        if item is None:
            raise HTTPException(status_code=404, detail=f"no item {item_id}")
        return item

    @app.post("/items", response_model=Item, status_code=201)
    def create_item(new: NewItem):
        with lock:
            if any(item.sku == new.sku for item in items.values()):
                raise HTTPException(status_code=409, detail=f"sku {new.sku} already exists")
            item = Item(id=next_id[0], **new.dict())
            items[item.id] = item
            next_id[0] += 1
        return item

    return app


if os.environ.get("DATABASE_URL"):
    print("DATABASE_URL is set, but this example keeps items in memory", flush=True)
app = create_app()
