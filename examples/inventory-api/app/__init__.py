"""inventory-api: a small FastAPI service for ProdSprint's demo and end-to-end tests."""
