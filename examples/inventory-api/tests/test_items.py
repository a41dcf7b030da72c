from fastapi.testclient import TestClient

from app.main import create_app


def client():
    return TestClient(create_app())


def test_health_endpoint_answers_ok():
    response = client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_an_item_is_created_listed_and_fetched():
    api = client()
    created = api.post("/items", json={"sku": "TEA-1", "name": "tea", "quantity": 3})
    assert created.status_code == 201
    assert created.json() == {"id": 1, "sku": "TEA-1", "name": "tea", "quantity": 3}
    assert api.get("/items").json() == [created.json()]
    assert api.get("/items/1").json() == created.json()


def test_an_invalid_item_is_refused():
    api = client()
    assert api.post("/items", json={"sku": "tea", "name": "tea", "quantity": 1}).status_code == 422
    assert api.post("/items", json={"sku": "TEA-1", "name": "tea", "quantity": -1}).status_code == 422


def test_a_duplicate_sku_is_a_conflict():
    api = client()
    assert api.post("/items", json={"sku": "TEA-1", "name": "tea", "quantity": 1}).status_code == 201
    assert api.post("/items", json={"sku": "TEA-1", "name": "tea", "quantity": 2}).status_code == 409


def test_an_unknown_item_is_not_found():
    assert client().get("/items/42").status_code == 404


def test_metrics_are_prometheus_text_with_a_latency_histogram_per_route():
    api = client()
    api.get("/items")
    api.get("/items/7")
    text = api.get("/metrics").text
    assert "# TYPE http_request_duration_seconds histogram" in text
    assert 'http_request_duration_seconds_count{method="GET",route="/items",code="200"} 1' in text
    assert 'http_requests_total{method="GET",route="/items/{item_id}",code="404"} 1' in text
