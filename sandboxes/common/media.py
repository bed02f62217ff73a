"""What every sandbox knows of media files: their kind by magic bytes, and a placeholder video."""

# A bare MP4 header: seeded videos have no footage, but their video URLs answer with a valid container.
PLACEHOLDER_MP4 = (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
                   b"\x00\x00\x00\x08free\x00\x00\x00\x08mdat")


def sniff(data: bytes) -> str | None:
    """The kind of an uploaded file by its magic bytes ("jpeg", "png", "gif", "webp" or "mp4"); None if
    it is neither an image nor a video."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp":
        return "mp4"
    return None
