"""What an ingest did, counted from what the index holds afterwards."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # symbolic links, pipes…: never read
    chunks: int = 0
    stopped: str = ""  # why the run stopped early (the index could not be written), if it did

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
            f"{len(self.removed)} removed",
            f"{len(self.failed)} failed",
        ]
        lines = [", ".join(parts) + f" ({self.chunks} chunks written)"]
        lines += [f"  failed: {_one_line(path)}: {reason}" for path, reason in self.failed]
        lines += [f"  skipped: {_one_line(path)}: {reason}" for path, reason in self.skipped]
        if self.stopped and not (self.added or self.updated or self.removed):
            lines.append(f"Nothing was changed: {self.stopped}")
        elif self.stopped:
            lines.append(
                f"Stopped early: {self.stopped}\nDocuments counted as added or updated are indexed; "
                "the rest of the index is as it was. Run the same command again to finish."
            )
        return "\n".join(lines)


def _one_line(path: str) -> str:
    """A file name as one line: a newline in a name must not forge a line of the summary."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in path)
