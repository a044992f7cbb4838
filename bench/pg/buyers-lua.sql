-- Prints the Lua file that bench/lua/checkout.lua reads (`products`, `tokens`) for the buyers of bench/pg/seed.sql,
-- and bench/lua/ids.lua (`ids`, the same products):
--   psql "$DATABASE_URL" -At -v buyers=64 -f bench/pg/buyers-lua.sql > buyers.lua
SELECT 'products = {' || string_agg('"' || id || '"', ',' ORDER BY id) || '}' FROM products WHERE id LIKE 'prd\_C%';
SELECT 'tokens = {' || string_agg('"pgbench-token-' || lpad(i::text, 15, '0') || '"', ',' ORDER BY i) || '}'
FROM generate_series(0, :buyers - 1) AS i;
SELECT 'ids = products';
