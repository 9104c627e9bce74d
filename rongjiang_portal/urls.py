from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = settings.PORTAL_TITLE
admin.site.site_title = settings.PORTAL_TITLE
admin.site.index_title = "管理后台"

urlpatterns = [
    path("", include("settlements.accounts.urls")),  # login and its steps, user accounts, security
    path("admin/", admin.site.urls),
    path("", include("tasks.urls")),
    path("employment/", include("employment.urls")),
    path("services/", include("services.urls")),
    path("culture/", include("culture.urls")),
    path("governance/", include("governance.urls")),
    path("", include("settlements.urls")),
]

handler400 = "settlements.request_limits.bad_request"
