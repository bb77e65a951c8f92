from django.urls import path

from points import views

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
]
