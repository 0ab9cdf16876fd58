from django.urls import path

from pilotage.certification import resources, views
from pilotage.core.registry import page_urls

app_name = "certification"

urlpatterns = [
    *page_urls(resources.RESOURCES),
    path(
        "validation-requests/<int:pk>/report-file/",
        views.ReportFileAdd.as_view(),
        name="report_file_add",
    ),
    path("validation-reports/<int:pk>/", views.ReportDownload.as_view(), name="report_download"),
    path("certificates/<int:pk>/pdf/", views.CertificatePdf.as_view(), name="certificate_pdf"),
    # Public (no sign-in): what a certificate's QR code opens, the lookup, the public key.
    path("verify/", views.VerifyLookup.as_view(), name="verify"),
    path("verify/public-key.pem", views.PublicKey.as_view(), name="public_key"),
    path("verify/<str:token>/", views.VerifyToken.as_view(), name="verify_token"),
]
