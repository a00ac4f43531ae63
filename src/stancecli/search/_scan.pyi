MEMO_HEAD: bytes

def walk(
    key: bytes, dev: int, ino: int, threads: int = 0, memo: bytes | None = None, racy_ns: int = 0,
    coarse_ns: int = 0, /
) -> tuple[bytes, int, list[tuple[int, bytes, int]], bytes]: ...
