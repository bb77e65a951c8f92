from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("me/data/", views.ExportView.as_view(), name="export"),
    path(
        "v/<slug:village>/roster/<int:pk>/remove/",
        views.RemoveView.as_view(),
        name="remove",
    ),
]
