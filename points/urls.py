from django.urls import path

from points import catalogue_views, list_views, views

app_name = "points"
urlpatterns = [
    path("", views.PointsHomeView.as_view(), name="home"),
    path("entries/new/", views.EntryCreateView.as_view(), name="entry_new"),
    path("review/", views.ReviewQueueView.as_view(), name="review"),
    path(
        "entries/<int:pk>/review/", views.EntryReviewView.as_view(), name="entry_review"
    ),
    path(
        "entries/<int:pk>/reverse/",
        views.EntryReverseView.as_view(),
        name="entry_reverse",
    ),
    path(
        "entries/<int:pk>/appeal/", views.AppealCreateView.as_view(), name="appeal_new"
    ),
    path(
        "appeals/<int:pk>/decide/",
        views.AppealDecideView.as_view(),
        name="appeal_decide",
    ),
    path("households/<str:number>/", views.HouseholdView.as_view(), name="household"),
    path("photos/<int:pk>/", views.EvidencePhotoView.as_view(), name="photo"),
    path("rules/", catalogue_views.RulesView.as_view(), name="rules"),
    path(
        "rules/<int:year>/export.xlsx",
        catalogue_views.RulesExportView.as_view(),
        name="rules_export",
    ),
    path(
        "rules/import/", catalogue_views.RulesImportView.as_view(), name="rules_import"
    ),
    path("settings/", catalogue_views.SettingsView.as_view(), name="settings"),
    path("figures/", catalogue_views.FiguresView.as_view(), name="figures"),
    path("lists/", list_views.ListIndexView.as_view(), name="lists"),
    path("lists/new/", list_views.ListDraftView.as_view(), name="list_new"),
    path("lists/<int:pk>/", list_views.ListDetailView.as_view(), name="list"),
    path(
        "lists/<int:pk>/print/", list_views.ListPrintView.as_view(), name="list_print"
    ),
    path(
        "lists/<int:pk>/notify/",
        list_views.ListNotifyView.as_view(),
        name="list_notify",
    ),
    path(
        "lists/<int:pk>/publish/",
        list_views.ListPublishView.as_view(),
        name="list_publish",
    ),
    path(
        "lists/<int:pk>/credit.xlsx",
        list_views.CreditExportView.as_view(),
        name="credit_export",
    ),
    path(
        "lines/<int:pk>/review/",
        list_views.LineReviewView.as_view(),
        name="line_review",
    ),
    path(
        "lines/<int:pk>/object/",
        list_views.LineObjectView.as_view(),
        name="line_object",
    ),
    path(
        "lines/<int:pk>/consent/",
        list_views.LineConsentView.as_view(),
        name="line_consent",
    ),
    path(
        "lines/<int:pk>/tasks/",
        list_views.RepairTaskCreateView.as_view(),
        name="task_new",
    ),
    path(
        "tasks/<int:pk>/verify/",
        list_views.RepairTaskVerifyView.as_view(),
        name="task_verify",
    ),
]
