"""The write side: accounts and permissions (this package's foundation), later the editing of the mapping.

accounts.py   users with a role (editor < reviewer < admin), argon2-hashed passwords and API tokens, kept in
              `accounts.sqlite` in the on-disk store's folder
sessions.py   browser sessions (random id, kept hashed, revocable, expiring), the session and CSRF cookies
throttle.py   failed logins slowed down per account and per client address
auth.py       FastAPI dependencies `current_user` and `require_role(role)`: Bearer token or session cookie,
              401 without valid credentials, 403 with the wrong role, CSRF checked on unsafe methods
api.py        `GET /api/v1/me`
cli.py        `mskg users ...` and `mskg tokens ...`
"""
