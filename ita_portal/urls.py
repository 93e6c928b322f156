"""Root URLs: staff screens under /staff/, accounts, the admin, and the public site at /."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "ระบบมาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA)"
admin.site.site_title = "ผู้ดูแลระบบ ITA"
admin.site.index_title = "การดูแลระบบ"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("staff/", include("measures.urls")),
    path("", include("reports.urls")),
]
