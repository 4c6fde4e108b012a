"""``python -m vidlint``: the same command as the ``vidlint`` console script."""

from vidlint.cli import run

if __name__ == "__main__":
    run()
