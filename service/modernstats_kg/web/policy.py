"""The site's Content Security Policy: scripts and styles from the site itself only, never inline.

Two vendored viewers add fixed <style> elements from their scripts. Rather than allowing inline style on their pages,
each page allows exactly those style sheets by hash (`with_style_hashes`); inline script stays refused everywhere.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

# ReDoc (styled-components) adds an empty <style> element it then fills through the CSSOM, which the policy does not
# govern, and one fixed sheet of global rules.
REDOC_STYLES = (
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty <style> element
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # its global rules
)

# YASGUI's result table resizes columns with `column-resizer`, which adds one fixed sheet (`.grip-resizable{...}`);
# the editor's syntax-error tooltip underlines the expected tokens with one fixed style attribute, which only
# 'unsafe-hashes' with that attribute's hash allows.
YASGUI_STYLES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",  # column-resizer's sheet
    "'unsafe-hashes'",
    "'sha256-EntWS0hFrz2vH7susM+dPUxvHlL6sBswmM8K80E5oUk='",  # style="text-decoration:underline"
)


def with_style_hashes(hashes: tuple[str, ...]) -> str:
    """The site's policy, also allowing the <style> elements whose content has one of `hashes`."""
    return CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' " + " ".join(hashes))
