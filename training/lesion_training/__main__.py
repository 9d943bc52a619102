"""python3 -m lesion_training: the training command line (cli.py)."""
import sys

from .cli import main

sys.exit(main())
