from django.urls import path

from pilotage.core.registry import page_urls
from pilotage.training import resources, views

app_name = "training"

urlpatterns = [
    *page_urls(resources.RESOURCES),
    path("training-sessions/<int:pk>/attendance/", views.AttendanceRecord.as_view(),
         name="attendance_record"),
    path("training-sessions/<int:pk>/attendance.xlsx", views.AttendanceSheet.as_view(),
         name="attendance_sheet"),
    path("training-sessions/<int:pk>/attendance/import/", views.AttendanceImport.as_view(),
         name="attendance_import"),
    path("trainees/<int:pk>/certificate.pdf", views.CertificatePdf.as_view(),
         name="certificate_pdf"),
    # Public (no sign-in): what a certificate of attendance's QR code opens.
    path("verify/attendance/<str:token>/", views.Verify.as_view(), name="verify"),
]  # fmt: skip
