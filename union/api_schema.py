"""OpenAPI schema hooks (drf-spectacular)."""


def only_api_paths(endpoints):
    """Keep the project's API (/api/…): the portal's URLconf also mounts Wagtail's internal admin
    API (/admin/api/main/…), which is not ours to publish."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
