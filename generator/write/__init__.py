"""Write stage: the only code (with load/) that touches the disk; the MkDocs adapter and the site build."""
