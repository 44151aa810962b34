"""Business rules. Services take a Session and plain values; they never touch the request."""
