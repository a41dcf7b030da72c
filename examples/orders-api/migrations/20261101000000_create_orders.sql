-- migrate:up
CREATE TABLE orders (
  id        BIGSERIAL PRIMARY KEY,
  item      TEXT NOT NULL,
  quantity  INTEGER NOT NULL CHECK (quantity >= 1),
  created   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE orders;
