from django.urls import path

from pilotage.fund import views

app_name = "fund"

urlpatterns = [
    path("fund/", views.Overview.as_view(), name="overview"),
    path("fund/journal/", views.Journal.as_view(), name="journal"),
    path("fund/journal/import/", views.LedgerImport.as_view(), name="import"),
    path("fund/entries/<int:pk>/", views.EntryDetail.as_view(), name="entry_detail"),
    path("fund/entries/<int:pk>/reverse/", views.EntryReverse.as_view(), name="entry_reverse"),
    path("fund/entries/<int:pk>/history/", views.EntryHistory.as_view(), name="entry_history"),
    path("fund/allocations/new/", views.AllocationCreate.as_view(), name="allocation_create"),
    path("fund/allocations/options/", views.AllocationOptions.as_view(), name="allocation_options"),
    path("fund/allocations/<int:pk>/", views.AllocationDetail.as_view(), name="allocation_detail"),
    path(
        "fund/allocations/<int:pk>/history/",
        views.AllocationHistory.as_view(),
        name="allocation_history",
    ),
    path("fund/reallocations/new/", views.ReallocationCreate.as_view(), name="reallocation_create"),
    path("fund/commitments/", views.CommitmentList.as_view(), name="commitment_list"),
    path("fund/commitments/new/", views.CommitmentCreate.as_view(), name="commitment_create"),
    path("fund/commitments/<int:pk>/", views.CommitmentDetail.as_view(), name="commitment_detail"),
    path(
        "fund/commitments/<int:pk>/pay/",
        views.DisbursementCreate.as_view(),
        name="disbursement_create",
    ),
    path(
        "fund/commitments/<int:pk>/history/",
        views.CommitmentHistory.as_view(),
        name="commitment_history",
    ),
    path("fund/tranches/", views.TrancheList.as_view(), name="tranche_list"),
    path("fund/tranches/new/", views.TrancheCreate.as_view(), name="tranche_create"),
    path("fund/tranches/<int:pk>/", views.TrancheDetail.as_view(), name="tranche_detail"),
    path("fund/tranches/<int:pk>/compute/", views.TrancheCompute.as_view(), name="tranche_compute"),
    path("fund/tranche-computations/<int:pk>/", views.ComputationDetail.as_view(),
         name="computation_detail"),
    path("fund/tranche-computations/<int:pk>/pay/", views.TranchePay.as_view(),
         name="tranche_pay"),
]  # fmt: skip
