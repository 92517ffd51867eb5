"""The SPARQL 1.1 Protocol, one module per job:

- `protocol`: read a request (GET, POST form, POST direct) into one `ProtocolRequest`
- `limits`: what a query may do here, decided before it runs (no SERVICE or LOAD unless allow-listed)
- `execution`: one query job run on a store, its answer serialised and capped
- `wire`, `worker_process`, `workers`: the pool of worker processes that makes a time limit stop the work
- `answer_cache`: answers kept per content version, replayed before routing
- `service_description`: the SPARQL Service Description of the endpoint
- `endpoint`: the `/sparql` route that ties them together; `install(app, query_page=...)` wires it

This file imports nothing: a module of the package loads only what it needs itself.
"""
