"""Sign-in, two-factor authentication, a country's team and agencies, and the audit log."""
