"""Reading articles (files, folders, JSONL, web pages) and locating text in them: sentences, quotes,
injected instructions, datelines."""
