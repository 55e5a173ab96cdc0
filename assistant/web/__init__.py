"""The web face: a Gradio page and its HTTP API, one module per tab."""
