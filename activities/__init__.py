"""Everything that touches the world: HTTP, TLS, (later) the browser, the LLM, files."""
