from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/second-factor/", views.second_factor_verify, name="second_factor_verify"),
    path("accounts/second-factor/enrol/", views.second_factor_enrol, name="second_factor_enrol"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/account/", views.user_account, name="user_account"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/role/", views.user_role, name="user_role"),
    path("users/<int:pk>/second-factor/reset/", views.user_second_factor_reset, name="user_second_factor_reset"),
    path("security/", views.security_policy, name="security_policy"),
    path("security/capabilities/", views.capability_matrix, name="capability_matrix"),
    path("security/lockouts/", views.lockout_list, name="lockout_list"),
    path("security/lockouts/unlock/", views.lockout_unlock, name="lockout_unlock"),
]
