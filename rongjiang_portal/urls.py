from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = settings.PORTAL_TITLE
admin.site.site_title = settings.PORTAL_TITLE
admin.site.index_title = "基础数据管理"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("", include("tasks.urls")),
    path("employment/", include("employment.urls")),
    path("", include("settlements.urls")),
]

handler400 = "settlements.request_limits.bad_request"
