"""Culture test data, written through the culture services as the pages do."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from culture import services
from culture.models import SelectionCategory
from settlements.models import ResponsibleUnit, Settlement
from tests.factories import household_with_head


def jpeg(name="旧房.jpg", colour=(200, 30, 30)) -> SimpleUploadedFile:
    content = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(content, "JPEG")
    return SimpleUploadedFile(name, content.getvalue(), content_type="image/jpeg")


def not_an_image(name="说明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 not a photo", content_type="application/pdf")


def household(code="fumin", *, year=2017, moved_in=datetime.date(2018, 6, 1), **fields):
    return household_with_head(code, project_year=year, move_in_date=moved_in, **fields)[0]


def hang(household, day, *, actor, files=None):
    return services.house_photo_record(
        household=household,
        hung_on=day,
        hung_by=ResponsibleUnit.objects.get(name="县生态移民局"),
        files=[jpeg()] if files is None else files,
        actor=actor,
    )


def selection(code, year, held_on, *, actor, category=SelectionCategory.CIVILISED_FAMILY, other_name=""):
    from culture.models import Selection

    record = Selection(
        settlement=Settlement.objects.get(code=code),
        year=year,
        category=category,
        other_name=other_name,
        held_on=held_on,
        organiser=ResponsibleUnit.objects.get(name="县委宣传部"),
    )
    return services.selection_save(selection=record, actor=actor)
