"""``python -m cimon`` is the ``cimon`` command (``cimon serve`` starts its worker this way)."""

from cimon.cli import main

if __name__ == "__main__":
    main()
