"""The OpenAPI document: valid OpenAPI 3, every /api/v1 route, generated from the schemas we dump with."""
import re

from openapi_spec_validator import validate

from gallery.api import schemas


def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def test_it_is_a_valid_openapi_3_document(client):
    spec = document(client)
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_it_covers_every_api_route(client, app):
    paths = document(client)["paths"]
    routes = {(re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule.rule), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == {(path, method) for path, item in paths.items() for method in item}
    for path, item in paths.items():
        for operation in item.values():
            assert operation["summary"] and operation["responses"]
            names = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert names == set(re.findall(r"{(\w+)}", path))


def test_the_read_api_is_fully_described(client):
    paths = document(client)["paths"]
    for path in ["/api/v1/products/{tag_key}", "/api/v1/products/{tag_key}/media", "/api/v1/media",
                 "/api/v1/media/{media_id}", "/api/v1/categories/{tag_key}/media"]:
        responses = paths[path]["get"]["responses"]
        assert {"200", "304", "502", "503", "504"} <= set(responses)
        assert "$ref" in responses["200"]["content"]["application/json"]["schema"]


def test_media_pages_document_their_parameters_and_errors(client):
    operation = document(client)["paths"]["/api/v1/products/{tag_key}/media"]["get"]
    query = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
    assert query["limit"] == {"type": "integer", "default": 20, "minimum": 1, "maximum": 100}
    assert "media_position" in query["sort"]["enum"]
    assert query["rights_given"]["enum"] == [0, 1]
    assert {"400", "404", "410", "502", "503", "504"} <= set(operation["responses"])
    assert "Retry-After" in operation["responses"]["503"]["headers"]
    brand = document(client)["paths"]["/api/v1/media"]["get"]
    sort = next(p for p in brand["parameters"] if p["name"] == "sort")
    assert "media_position" not in sort["schema"]["enum"]


def test_the_shapes_are_the_schemas_views_dump_with(client):
    components = document(client)["components"]["schemas"]
    assert set(components["Media"]["properties"]) == set(schemas.Media().fields)
    assert set(components["Product"]["properties"]) == set(schemas.Product().fields)
    assert components["Media"]["properties"]["type"]["enum"] == ["image", "video"]
    answered = client.get("/api/v1/media/3042079992").json["media"]
    assert set(answered) == set(components["Media"]["properties"])
