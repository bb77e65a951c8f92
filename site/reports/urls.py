from django.urls import path

from reports.views import committee, reports

app_name = "reports"
urlpatterns = [
    path("", reports.IndexView.as_view(), name="index"),
    path("new/", reports.FileView.as_view(), name="new"),
    path("<int:pk>/", reports.DetailView.as_view(), name="detail"),
    path("<int:pk>/assign/", reports.AssignView.as_view(), name="assign"),
    path("<int:pk>/chase/", reports.ChaseView.as_view(), name="chase"),
    path("<int:pk>/progress/", reports.ProgressView.as_view(), name="progress"),
    path("<int:pk>/close/", reports.CloseView.as_view(), name="close"),
    path("<int:pk>/rate/", reports.RateView.as_view(), name="rate"),
    path("<int:pk>/escalate/", reports.EscalateView.as_view(), name="escalate"),
    path("<int:pk>/me-too/", reports.MeTooView.as_view(), name="me_too"),
    path("<int:pk>/topic/", reports.TopicView.as_view(), name="topic"),
    path("<int:pk>/points/", reports.AwardView.as_view(), name="award"),
    path("photos/<int:pk>/", reports.PhotoView.as_view(), name="photo"),
    path("queue/", committee.QueueView.as_view(), name="queue"),
    path("departments/", committee.DepartmentsView.as_view(), name="departments"),
    path("figures/", committee.FiguresView.as_view(), name="figures"),
    path("figures.xlsx", committee.FiguresExportView.as_view(), name="figures_export"),
    path("township/", committee.TownshipView.as_view(), name="township"),
    path(
        "township/figures.xlsx",
        committee.TownshipExportView.as_view(),
        name="township_export",
    ),
]
