"""What the culture writes share."""

from django.core.exceptions import ValidationError


def photo_errors_on(field: str, error: ValidationError) -> ValidationError:
    """A photo upload's refusal (`settlements.photos`), placed beside the form's file field."""
    return ValidationError({field: error.messages})
