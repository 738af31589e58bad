"""Use cases of incoming e-invoices, called alike by the UI, the REST API, commands and background tasks."""
