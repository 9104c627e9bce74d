"""Placeholder photos for the culture demos, drawn with Pillow in memory (no file of the repository, no network)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def demo_photo(name: str, left: tuple, right: tuple | None = None, size=(320, 240)) -> SimpleUploadedFile:
    """A JPEG of one colour, or of two halves (the old house on the left, the new on the right)."""
    image = Image.new("RGB", size, left)
    if right is not None:
        ImageDraw.Draw(image).rectangle((size[0] // 2, 0, size[0], size[1]), fill=right)
    content = io.BytesIO()
    image.save(content, "JPEG", quality=80)
    return SimpleUploadedFile(name, content.getvalue(), content_type="image/jpeg")
