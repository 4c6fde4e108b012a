from vidlint.sandbox.pytest_plugin import vidlint_files, vidlint_sandbox

__all__ = ["vidlint_files", "vidlint_sandbox"]
