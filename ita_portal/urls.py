"""Root URLs: staff screens under /staff/, accounts, the admin, and the public site at /."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from measures.views import accounts, people

admin.site.site_header = "ระบบมาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA)"
admin.site.site_title = "ผู้ดูแลระบบ ITA"
admin.site.index_title = "การดูแลระบบ"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # An invitation's link (measures.people.invite): the first password, then the names.
    path("accounts/invitation/<uidb64>/<token>/", people.InvitationView.as_view(), name="invitation"),
    path("admin/", admin.site.urls),
    path("staff/", include("measures.urls")),
    path("", include("reports.urls")),
]
