-- POST /bench/echo with a small JSON object (the shape the Hummingbird peer decodes as EchoBody).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Frischer Käse von Alpenhof","quantity":3,"price_cents":1299,"tags":["bio","käse","alpen"],"gift":false}'
