"""The public JSON API, versioned under /api/v1 (contract: docs/api.md). The blueprint is api.views.bp."""
