"""`python -m assistant.cli …` is `lmcs …`."""

from assistant.cli import main

main()
