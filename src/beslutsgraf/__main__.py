"""``python -m beslutsgraf``: the same as the ``beslutsgraf`` command."""

from .cli import main

raise SystemExit(main())
