"""Open data exports: the service directory as an HSDS 3.0 tabular data package."""
