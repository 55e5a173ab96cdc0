"""What ingest reads (issue #18): never a symbolic link or a special file, never mojibake, and
never one file in place of another because their names match."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.load import Loader, LoadError, discover, discover_documents

TEXT = "The Lead Member for Children’s Services holds the Director of Children’s Services to account.\n"


@pytest.fixture
def docs(tmp_path) -> Path:
    folder = tmp_path / "docs"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    (folder / "a" / "policy.txt").write_text("Council A’s policy. " + TEXT, encoding="utf-8")
    (folder / "b" / "policy.txt").write_text("Council B’s policy. " + TEXT, encoding="utf-8")
    (folder / "profile.txt").write_text(TEXT, encoding="utf-8")
    return folder


def test_a_symbolic_link_is_skipped_with_a_reason_in_a_folder_and_given_directly(docs, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (docs / "passwd.txt").symlink_to(secret)
    (docs / "linked-folder").symlink_to(tmp_path, target_is_directory=True)
    found = discover_documents([docs, docs / "passwd.txt"])
    assert [f.path.name for f in found.files] == ["policy.txt", "policy.txt", "profile.txt"]
    skipped = sorted((e.path.name, e.reason) for e in found.skipped)
    link = "skipped: it is a symbolic link (add the file it points to instead)"
    assert skipped == [("linked-folder", link), ("passwd.txt", link), ("passwd.txt", link)]
    assert all(e.skipped for e in found.skipped)
    with pytest.raises(LoadError, match="symbolic link"):
        Loader().run(docs / "passwd.txt")
    # The older entry point reports the same, so `lmcs ingest` never reads the link.
    files, problems = discover([docs])
    assert all(f.name != "passwd.txt" for f in files) and any("symbolic link" in p.reason for p in problems)


def test_a_named_pipe_is_skipped_not_read(docs):
    fifo = docs / "pipe.txt"
    os.mkfifo(fifo)
    found = discover_documents([docs, fifo])
    assert [(e.path.name, e.reason) for e in found.skipped] == [
        ("pipe.txt", "skipped: it is a named pipe, not a file"),
        ("pipe.txt", "skipped: it is a named pipe, not a file"),
    ]
    with pytest.raises(LoadError, match="named pipe"):
        Loader().run(fifo)  # returns at once: opening a FIFO for reading would block


def test_files_of_the_same_name_in_different_folders_get_different_ids(docs):
    found = discover_documents([docs])
    assert [f.doc_id for f in found.files] == ["a-policy", "b-policy", "profile"]
    texts = {f.doc_id: Loader().run(f.path, f.doc_id) for f in found.files}
    assert texts["a-policy"].raw_text.startswith("Council A’s") and texts["b-policy"].raw_text.startswith("Council B’s")
    # A file given directly keeps its own name.
    assert [f.doc_id for f in discover_documents([docs / "a" / "policy.txt"]).files] == ["policy"]


def test_a_missing_path_is_reported(tmp_path):
    found = discover_documents([tmp_path / "nowhere"])
    assert [(e.path.name, e.reason, e.skipped) for e in found.missing] == [("nowhere", "no such file or folder", False)]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("The Lead Member’s role".encode() + b" and the council\x92s duties", "mixes UTF-8 with another encoding"),
        ("子供サービス担当の主導メンバーの役割について".encode("shift_jis"), "not readable text"),
        ("Роль ведущего члена совета по делам детей".encode("koi8-r"), "not readable text"),
        (bytes(range(128, 256)) * 8, "not readable text"),
        (b"\xef\xbb\xbfThe council\xe2\x80", "says it is UTF-8-SIG but is not valid"),
    ],
    ids=["utf8-and-1252-mixed", "shift-jis", "koi8-r", "high-bytes", "broken-utf8-with-bom"],
)
def test_text_in_no_recognisable_encoding_is_refused_not_indexed_as_mojibake(tmp_path, data, reason):
    path = tmp_path / "notes.txt"
    path.write_bytes(data)
    with pytest.raises(LoadError, match=reason):
        Loader().run(path)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("cp1252", b""), ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("latin-1", b"")],
    ids=["windows-1252", "utf-8", "utf-8-bom", "utf-16-bom", "latin-1"],
)
def test_text_in_a_known_encoding_is_read_correctly(tmp_path, encoding, bom):
    text = "The Lead Member’s role is “statutory” – see section 19. Café." if encoding != "latin-1" else "Café, £5."
    path = tmp_path / "notes.txt"
    path.write_bytes(bom + text.encode(encoding))
    assert Loader().run(path).raw_text == text
