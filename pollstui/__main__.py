from pollstui.cli import main

raise SystemExit(main())
