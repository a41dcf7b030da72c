-- migrate:up
CREATE TABLE items (
  id        BIGSERIAL PRIMARY KEY,
  sku       TEXT NOT NULL UNIQUE CHECK (sku ~ '^[A-Z0-9-]+$'),
  name      TEXT NOT NULL,
  quantity  INTEGER NOT NULL CHECK (quantity >= 0),
  created   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- migrate:down
-- Forward-only: dropping inventory data is never automated.
