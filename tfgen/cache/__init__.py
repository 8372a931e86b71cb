"""The content-addressed cache shared by the HCL parser and validate: authenticated entries on disk
(`store`) under keys that name everything a result depends on (`keys`)."""
