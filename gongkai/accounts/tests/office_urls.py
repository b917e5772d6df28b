"""Office URLs of the accounts and core apps for the permission matrix."""

CASES = {
    "accounts:home": None,
    "accounts:login": None,
    "accounts:logout": None,
    "core:audit_log": None,
    "accounts:two_factor_setup": None,
    "accounts:two_factor_verify": None,
    "accounts:password_change": None,
}
