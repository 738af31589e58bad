from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from amtsflow.core import views as core_views
from amtsflow.tenants import views as tenant_views

api_v1 = [
    path("", include(("amtsflow.tenants.api.urls", "tenants-api"))),
    path("", include(("amtsflow.files.api.urls", "files-api"))),
    path("", include(("amtsflow.files.api.retention_urls", "files-retention-api"))),
    path("", include(("amtsflow.processes.api.urls", "processes-api"))),
    path("", include(("amtsflow.einvoices.api.urls", "einvoices-api"))),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]

urlpatterns = [
    path("", tenant_views.root, name="root"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        tenant_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "accounts/password/forgotten/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path("accounts/password/forgotten/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("operator/", include("amtsflow.tenants.operator_urls")),
    path("operator/", include("amtsflow.einvoices.operator_urls")),
    path("t/<slug:tenant_slug>/", include("amtsflow.tenants.urls")),
    path("t/<slug:tenant_slug>/", include("amtsflow.files.urls")),
    path("t/<slug:tenant_slug>/", include("amtsflow.processes.urls")),
    path("t/<slug:tenant_slug>/", include("amtsflow.einvoices.urls")),
    path("api/v1/", include(api_v1)),
    path("django-admin/", admin.site.urls),
]

handler400 = "amtsflow.core.views.bad_request"
handler403 = "amtsflow.core.views.permission_denied"
handler404 = "amtsflow.core.views.page_not_found"
handler500 = "amtsflow.core.views.server_error"
