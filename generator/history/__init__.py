"""The KB's history: diff two knowledge bases, gather the release history from git tags."""
