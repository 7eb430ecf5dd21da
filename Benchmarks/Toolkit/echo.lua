-- wrk: POST /echo with the JSON body the in-process benchmark sends (Benchmarks/Toolkit/run.sh).
wrk.method = "POST"
wrk.body = '{"title": "A note", "body": "Some text that is not very long.", "tags": ["a", "b"]}'
wrk.headers["Content-Type"] = "application/json"
