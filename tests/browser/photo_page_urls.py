"""The portal's URLs and one page of a photo owner, for the browser test: no page of the portal shows photos yet
(the first owner, facilities, registers itself), so the test shows a household's gallery the way an owner's page
will: one context helper and one include."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import path

from rongjiang_portal.urls import handler400  # noqa: F401  (the portal's 400 and 413 pages)
from rongjiang_portal.urls import urlpatterns as portal_urlpatterns
from settlements import photos
from settlements.models import Household

PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}{{ household }}{% endblock %}'
    '{% block content %}<h1 class="h4">搬迁户 {{ household }}</h1>{% include "partials/photo_gallery.html" %}'
    "{% endblock %}"
)


def owner_page(request, pk):
    household = get_object_or_404(Household.objects.for_user(request.user), pk=pk)
    context = {"household": household, "gallery": photos.gallery(household, request.user)}
    return HttpResponse(PAGE.render(context, request))


urlpatterns = [*portal_urlpatterns, path("test-photo-owner/<int:pk>/", owner_page, name="test_photo_owner")]
