"""Used by settlements 0008 and employment 0004: the two import tables become one (LedgerImport)."""


FIELDS = ("user_id", "file", "file_name", "status", "valid_only", "progress", "summary", "errors", "preview", "finished_at")


def copy_imports(source, target, kind_of) -> None:
    """Each old import record as a LedgerImport of its kind, with its upload time kept."""
    for old in source.objects.order_by("pk"):
        new = target.objects.create(kind=kind_of(old), **{name: getattr(old, name) for name in FIELDS})
        target.objects.filter(pk=new.pk).update(created_at=old.created_at)
