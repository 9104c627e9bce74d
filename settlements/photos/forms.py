"""The upload form's text: the photos themselves are read from `request.FILES` by the view (the service checks
each, naming it), so a file the form would refuse unnamed (an empty one) is named too."""

from django import forms

from ..input_ranges import PortalForm
from .services import CAPTION_MAX_LENGTH


class PhotoUploadForm(PortalForm):
    caption = forms.CharField(
        label="照片说明",
        required=False,
        max_length=CAPTION_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "placeholder": "照片说明（可不填）",
                "aria-label": "照片说明",
            }
        ),
    )
