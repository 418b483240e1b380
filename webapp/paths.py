"""Where the project's folders are: the one fact every layer may need, depending on nothing."""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
