"""File storage that keeps Thai file names readable."""

from django.core.files.storage import FileSystemStorage

from .uploads import safe_filename


class ThaiFileSystemStorage(FileSystemStorage):
    """Django's FileSystemStorage names files with get_valid_name(), which keeps only \\w characters
    and so drops Thai vowel and tone marks (ดำเนินงาน → ดำเนนงาน). Ours cleans the name the same
    safe way (no path, no shell-special characters) but keeps Thai letters and marks."""

    def get_valid_name(self, name):
        return safe_filename(name, fallback="file")
