"""Office URLs of the accounts and core apps for the permission matrix."""

CASES = {
    "accounts:home": None,
    "accounts:login": None,
    "accounts:logout": None,
    "core:audit_log": None,
}
