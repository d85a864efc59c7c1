"""``python -m crmlab.simulate`` is ``crmlab simulate`` under another name: one parser, in
the CLI."""

from crmlab.cli import simulate_main

raise SystemExit(simulate_main())
