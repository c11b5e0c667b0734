import sys

from archive.launch import main

sys.exit(main())
