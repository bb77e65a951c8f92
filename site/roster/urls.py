from django.urls import path

from roster import views

app_name = "roster"
urlpatterns = [
    path("", views.RosterView.as_view(), name="list"),
    path("export/", views.RosterExportView.as_view(), name="export"),
    path("import/", views.RosterImportView.as_view(), name="import"),
    path(
        "import/<int:pk>/",
        views.RosterImportDetailView.as_view(),
        name="import_detail",
    ),
    path(
        "import/<int:pk>/confirm/",
        views.RosterImportConfirmView.as_view(),
        name="import_confirm",
    ),
]
