from gklint.cli import main

raise SystemExit(main())
