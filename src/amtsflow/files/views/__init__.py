"""Staff UI of the E-Akte, one module per page family; each view parses, calls one selector or service, renders."""
