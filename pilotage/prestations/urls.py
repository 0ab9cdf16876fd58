from django.urls import path

from pilotage.prestations import views

app_name = "services"

urlpatterns = [
    path("deliveries/", views.DeliveryList.as_view(), name="delivery_list"),
    path("deliveries/new/", views.DeliveryEdit.as_view(), name="delivery_create"),
    path("deliveries/<int:pk>/", views.DeliveryDetail.as_view(), name="delivery_detail"),
    path("deliveries/<int:pk>/edit/", views.DeliveryEdit.as_view(), name="delivery_edit"),
    path("deliveries/<int:pk>/history/", views.DeliveryHistory.as_view(), name="delivery_history"),
    path("companies/", views.CompanyList.as_view(), name="company_list"),
    path("companies/new/", views.CompanyEdit.as_view(), name="company_create"),
    path("companies/<int:pk>/", views.CompanyDetail.as_view(), name="company_detail"),
    path("companies/<int:pk>/edit/", views.CompanyEdit.as_view(), name="company_edit"),
    path("companies/<int:pk>/history/", views.CompanyHistory.as_view(), name="company_history"),
    path("offerings/", views.OfferingList.as_view(), name="offering_list"),
    path("offerings/new/", views.OfferingEdit.as_view(), name="offering_create"),
    path("offerings/<int:pk>/", views.OfferingDetail.as_view(), name="offering_detail"),
    path("offerings/<int:pk>/edit/", views.OfferingEdit.as_view(), name="offering_edit"),
    path("offerings/<int:pk>/history/", views.OfferingHistory.as_view(), name="offering_history"),
    path("requests/", views.RequestList.as_view(), name="request_list"),
    path("requests/<int:pk>/", views.RequestDetail.as_view(), name="request_detail"),
    path("requests/<int:pk>/accept/", views.RequestAccept.as_view(), name="request_accept"),
    path("requests/<int:pk>/decline/", views.RequestDecline.as_view(), name="request_decline"),
    path("requests/<int:pk>/ice/", views.RequestFixIce.as_view(), name="request_fix_ice"),
    path("requests/<int:pk>/convert/", views.RequestConvert.as_view(), name="request_convert"),
    path("imports/new/", views.ImportCreate.as_view(), name="import_create"),
    path("imports/<int:pk>/", views.ImportDetail.as_view(), name="import_detail"),
    path("imports/<int:pk>/errors.csv", views.ImportErrors.as_view(), name="import_errors"),
    path("imports/template/<str:kind>/", views.ImportTemplate.as_view(), name="import_template"),
    # Public: no sign-in.
    path("catalogue/", views.Catalogue.as_view(), name="catalogue"),
    path("catalogue/<int:pk>/", views.CatalogueOffering.as_view(), name="catalogue_offering"),
    path("catalogue/follow/<str:token>/", views.RequestFollow.as_view(), name="request_follow"),
]
