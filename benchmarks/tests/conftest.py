import sys
from pathlib import Path

# The report scripts are run as files (bin/bench), not installed: import them from their folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
