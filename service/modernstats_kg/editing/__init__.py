"""The write side: accounts and permissions, and the editing of the mapping through one gate.

accounts.py   users with a role (editor < reviewer < admin), argon2-hashed passwords and API tokens, kept in
              `accounts.sqlite` in the on-disk store's folder
sessions.py   browser sessions (random id, kept hashed, revocable, expiring), the session and CSRF cookies
throttle.py   failed logins slowed down per account and per client address
auth.py       FastAPI dependencies `current_user` and `require_role(role)`: Bearer token or session cookie,
              401 without valid credentials, 403 with the wrong role, CSRF checked on unsafe methods
cli.py        `mskg users ...` and `mskg tokens ...`
gate.py       the one write gate: `submit(store, Submission)` validates a change with the SHACL shapes, applies it and
              its history record in one transaction (422, 412, 503 as `ChangeRefused`, `StaleChange`,
              `EditingUnavailable`)
history.py    the PROV record of every change in the graph http://id.unece.org/history, and reading it back
mappings.py   a mapping as the store holds it (its ETag: a hash of its statements), the list with filters
mapping_changes.py  the changes of create, update, deprecate and review (status moves, provenance, four eyes)
operations.py the operations as the API calls them: If-Match checked against the store revision, batches
"""
